"""Who may manage whom (accounts.manage_people) and which roles they may grant, as a matrix; and the
"Your organisation" pages that use it."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.choices import OrganisationKind, Role
from accounts.errors import AccountsError
from accounts.models import Invitation, Membership, Organisation
from accounts.queries import organisations_managed_by
from accounts.rules import grantable_roles

from ..factories import (
    DioceseFactory,
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    TrustFactory,
    UserFactory,
)

R = Role


@pytest.fixture
def world(db, home_la_org, other_la_org, national_body, home_school, home_la, other_la):
    """One organisation of each kind, and a manager (or non-manager) for each."""
    academy = SchoolFactory(local_authority=home_la, name="Home Academy", type_group="Academies")
    other_school = SchoolFactory(local_authority=other_la, name="Away Primary")
    trust, diocese = TrustFactory(name="Home Trust"), DioceseFactory(name="Diocese of Home")
    org = {
        "home_la": home_la_org,
        "other_la": other_la_org,
        "national": national_body,
        "maintained": OrganisationFactory(
            kind=OrganisationKind.SCHOOL, name=home_school.name, school=home_school, local_authority=home_la
        ),
        "academy": OrganisationFactory(kind=OrganisationKind.SCHOOL, name="Home Academy", school=academy),
        "other_la_school": OrganisationFactory(
            kind=OrganisationKind.SCHOOL, name="Away Primary", school=other_school
        ),
        "teaching_school": OrganisationFactory(
            kind=OrganisationKind.TEACHING_SCHOOL,
            name="Home Teaching School",
            school=SchoolFactory(local_authority=home_la, name="Teaching Primary"),
        ),
        "trust": OrganisationFactory(kind=OrganisationKind.ACADEMY_TRUST, name="Home Trust", trust=trust),
        "diocese": OrganisationFactory(
            kind=OrganisationKind.DIOCESE, name="Diocese of Home", diocese=diocese
        ),
    }

    def member(key, role, email):
        return MembershipFactory(user=UserFactory(email=email), organisation=org[key], role=role).user

    people = {
        "national_admin": member("national", R.NATIONAL_ADMINISTRATOR, "admin@example.org"),
        "la_officer": member("home_la", R.LA_OFFICER, "officer@home.example.org"),
        "la_commissioner": member("home_la", R.COMMISSIONER, "commissioner@home.example.org"),
        "ts_lead": member("teaching_school", R.TEACHING_SCHOOL_LEAD, "lead@teaching.example.org"),
        "headteacher": member("maintained", R.HEADTEACHER, "head@home.example.org"),
        "school_leader": member("maintained", R.SCHOOL_LEADER, "leader@home.example.org"),
        "trust_commissioner": member("trust", R.COMMISSIONER, "ceo@trust.example.org"),
        "diocese_commissioner": member("diocese", R.COMMISSIONER, "director@diocese.example.org"),
        "associate": member("national", R.ASSOCIATE, "associate@example.org"),
        "outsider": UserFactory(email="outsider@example.org"),
    }
    return org, people


ALL_BY_KIND = {
    "home_la": {R.LA_OFFICER, R.COMMISSIONER},
    "other_la": {R.LA_OFFICER, R.COMMISSIONER},
    "national": {R.NATIONAL_ADMINISTRATOR, R.COMMISSIONER, R.ASSOCIATE},
    "maintained": {R.HEADTEACHER, R.SCHOOL_LEADER, R.SCHOOL_BUSINESS_MANAGER, R.COMMISSIONER},
    "academy": {R.HEADTEACHER, R.SCHOOL_LEADER, R.SCHOOL_BUSINESS_MANAGER, R.COMMISSIONER},
    "other_la_school": {R.HEADTEACHER, R.SCHOOL_LEADER, R.SCHOOL_BUSINESS_MANAGER, R.COMMISSIONER},
    "teaching_school": {
        R.TEACHING_SCHOOL_LEAD, R.HEADTEACHER, R.SCHOOL_LEADER, R.SCHOOL_BUSINESS_MANAGER, R.COMMISSIONER,
    },
    "trust": {R.COMMISSIONER},
    "diocese": {R.COMMISSIONER},
}
# (manager, organisation) -> the roles they may grant there; anything not listed: none at all.
GRANTS = {
    **{("national_admin", key): roles for key, roles in ALL_BY_KIND.items()},
    ("la_officer", "home_la"): {R.LA_OFFICER, R.COMMISSIONER},
    ("la_officer", "maintained"): {R.HEADTEACHER, R.SCHOOL_LEADER, R.SCHOOL_BUSINESS_MANAGER, R.COMMISSIONER},
    ("ts_lead", "teaching_school"): {
        R.TEACHING_SCHOOL_LEAD, R.HEADTEACHER, R.SCHOOL_LEADER, R.SCHOOL_BUSINESS_MANAGER, R.COMMISSIONER,
    },
    ("headteacher", "maintained"): {
        R.HEADTEACHER, R.SCHOOL_LEADER, R.SCHOOL_BUSINESS_MANAGER, R.COMMISSIONER,
    },
    ("trust_commissioner", "trust"): {R.COMMISSIONER},
    ("diocese_commissioner", "diocese"): {R.COMMISSIONER},
}
MANAGERS = [
    "national_admin",
    "la_officer",
    "la_commissioner",
    "ts_lead",
    "headteacher",
    "school_leader",
    "trust_commissioner",
    "diocese_commissioner",
    "associate",
    "outsider",
]
CELLS = [(manager, key) for manager in MANAGERS for key in ALL_BY_KIND]


@pytest.mark.parametrize(("manager", "key"), CELLS)
def test_who_may_manage_which_organisation(world, manager, key):
    org, people = world
    user = people[manager]

    expected = (manager, key) in GRANTS
    assert user.has_perm("accounts.manage_people", org[key]) is expected
    assert (org[key] in organisations_managed_by(user)) is expected


@pytest.mark.parametrize(("manager", "key"), CELLS)
def test_which_roles_each_manager_may_grant(world, manager, key):
    """Each cell checks every role: the ones listed are allowed, every other one is refused."""
    org, people = world

    granted = grantable_roles(people[manager], org[key])

    for role in Role:
        assert (role in granted) is (role in GRANTS.get((manager, key), set())), role


def test_a_head_cannot_make_a_national_administrator_anywhere(world):
    org, people = world
    for organisation in org.values():
        assert R.NATIONAL_ADMINISTRATOR not in grantable_roles(people["headteacher"], organisation)


def test_a_removed_manager_manages_nothing(world):
    org, people = world
    head = people["headteacher"]
    Membership.objects.filter(user=head).delete()
    head = type(head).objects.get(pk=head.pk)

    assert not head.has_perm("accounts.manage_people", org["maintained"])
    assert not organisations_managed_by(head).exists()


def test_a_headteacher_counts_as_a_school_leader(world):
    from accounts.rules import is_school_leader
    from brokerage.rules import SCHOOL_ROLES

    _, people = world
    assert is_school_leader(people["headteacher"])
    assert R.HEADTEACHER in SCHOOL_ROLES


# --- The pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("manager", "key"),
    [
        ("headteacher", "maintained"),
        ("la_officer", "maintained"),
        ("la_officer", "academy"),
        ("school_leader", "maintained"),
        ("outsider", "maintained"),
        ("national_admin", "diocese"),
        ("trust_commissioner", "trust"),
        ("ts_lead", "maintained"),
    ],
)
def test_the_people_page_is_for_those_who_may_manage(client, world, manager, key):
    org, people = world
    client.force_login(people[manager])

    response = client.get(reverse("accounts:organisation", args=[org[key].pk]))

    assert response.status_code == (200 if (manager, key) in GRANTS else 403)


def test_the_people_page_lists_members_invitations_and_requests(
    client, world, django_capture_on_commit_callbacks
):
    org, people = world
    head = people["headteacher"]
    services.invite(
        email="new@home.example.org", organisation=org["maintained"], role=R.SCHOOL_LEADER, invited_by=head
    )
    client.force_login(head)

    response = client.get(reverse("accounts:organisation", args=[org["maintained"].pk]))

    content = response.content.decode()
    assert "leader@home.example.org" in content and "new@home.example.org" in content
    assert "Never" in content  # last sign-in
    assert "No requests are waiting" in content


def test_the_people_page_costs_the_same_queries_with_more_people(
    client, world, django_assert_max_num_queries
):
    org, people = world
    client.force_login(people["headteacher"])
    url = reverse("accounts:organisation", args=[org["maintained"].pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for number in range(8):
        MembershipFactory(organisation=org["maintained"], role=R.SCHOOL_LEADER)
        services.invite(
            email=f"p{number}@home.example.org",
            organisation=org["maintained"],
            role=R.COMMISSIONER,
            invited_by=people["headteacher"],
        )

    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_chooser_sends_a_single_organisation_manager_straight_there(client, world):
    org, people = world
    client.force_login(people["headteacher"])

    response = client.get(reverse("accounts:organisation-chooser"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:organisation", args=[org["maintained"].pk])


def test_the_chooser_lets_an_la_officer_find_their_maintained_schools(client, world):
    org, people = world
    client.force_login(people["la_officer"])

    response = client.get(reverse("accounts:organisation-chooser"), {"q": "Home"})

    names = [o.name for o in response.context["found"]]
    assert org["maintained"].name in names and "Home Academy" not in names


def test_the_chooser_refuses_someone_who_manages_nothing(client, world):
    _, people = world
    client.force_login(people["school_leader"])

    assert client.get(reverse("accounts:organisation-chooser")).status_code == 403


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (R.SCHOOL_LEADER, True),
        (R.HEADTEACHER, True),
        (R.COMMISSIONER, True),
        (R.NATIONAL_ADMINISTRATOR, False),
        (R.LA_OFFICER, False),
        (R.TEACHING_SCHOOL_LEAD, False),
    ],
)
def test_the_head_invites_only_roles_within_their_remit(
    client, world, role, allowed, django_capture_on_commit_callbacks
):
    org, people = world
    client.force_login(people["headteacher"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:organisation-invite", args=[org["maintained"].pk]),
            {"email": "new@home.example.org", "role": role},
        )

    assert (response.status_code == 302) is allowed
    assert Invitation.objects.filter(role=role).exists() is allowed
    assert len(mail.outbox) == (1 if allowed else 0)


def test_the_invite_form_shows_errors_on_its_fields(client, world):
    org, people = world
    client.force_login(people["headteacher"])

    response = client.post(
        reverse("accounts:organisation-invite", args=[org["maintained"].pk]), {"email": "nope"}
    )

    form = response.context["form"]
    assert "email" in form.errors and "role" in form.errors
    assert b"govuk-error-summary" in response.content


def test_a_manager_changes_a_members_role(client, world):
    org, people = world
    membership = Membership.objects.get(user=people["school_leader"])
    client.force_login(people["headteacher"])
    url = reverse("accounts:membership-change-role", args=[org["maintained"].pk, membership.pk])

    response = client.post(url, {"role": R.COMMISSIONER})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == R.COMMISSIONER
    assert membership.history.count() == 2


def test_nobody_changes_their_own_role(client, world):
    org, people = world
    head = people["headteacher"]
    membership = Membership.objects.get(user=head)
    client.force_login(head)

    url = reverse("accounts:membership-change-role", args=[org["maintained"].pk, membership.pk])
    assert client.post(url, {"role": R.SCHOOL_LEADER}).status_code == 403
    with pytest.raises(AccountsError, match="own roles"):
        services.change_role(membership, role=R.SCHOOL_LEADER, actor=head)
    with pytest.raises(AccountsError, match="own roles"):
        services.remove_member(membership, actor=head)
    membership.refresh_from_db()
    assert membership.role == R.HEADTEACHER


def test_a_national_administrator_cannot_change_their_own_role_either(world):
    _, people = world
    admin = people["national_admin"]
    with pytest.raises(AccountsError, match="own roles"):
        services.change_role(Membership.objects.get(user=admin), role=R.ASSOCIATE, actor=admin)


def test_a_manager_cannot_change_a_role_outside_their_remit(world):
    org, people = world
    officer_membership = Membership.objects.get(user=people["la_officer"])

    with pytest.raises(AccountsError):
        services.change_role(officer_membership, role=R.COMMISSIONER, actor=people["headteacher"])


def test_removing_a_member_asks_first_then_keeps_the_history(client, world):
    org, people = world
    leader = people["school_leader"]
    membership = Membership.objects.get(user=leader)
    client.force_login(people["headteacher"])
    url = reverse("accounts:membership-remove", args=[org["maintained"].pk, membership.pk])

    assert b"Remove" in client.get(url).content
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(url)

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Membership.history.filter(id=membership.pk, history_type="-").exists()
    leader = type(leader).objects.get(pk=leader.pk)
    assert leader.active_memberships == []


def test_a_member_of_another_organisation_cannot_be_reached_through_this_one(client, world):
    org, people = world
    officer_membership = Membership.objects.get(user=people["la_officer"])
    client.force_login(people["headteacher"])

    url = reverse("accounts:membership-remove", args=[org["maintained"].pk, officer_membership.pk])
    assert client.post(url).status_code == 404


@pytest.mark.parametrize(
    ("manager", "school", "allowed"),
    [
        ("la_officer", "maintained_without_row", True),
        ("la_officer", "academy_without_row", False),
        ("national_admin", "academy_without_row", True),
        ("headteacher", "maintained_without_row", False),
    ],
)
def test_a_schools_people_page_is_reached_by_urn_creating_its_organisation(
    client, world, home_la, manager, school, allowed
):
    _, people = world
    schools = {
        "maintained_without_row": SchoolFactory(local_authority=home_la, name="New Maintained"),
        "academy_without_row": SchoolFactory(
            local_authority=home_la, name="New Academy", type_group="Academies"
        ),
    }
    client.force_login(people[manager])

    response = client.post(reverse("accounts:organisation-for-school"), {"urn": schools[school].urn})

    created = Organisation.objects.filter(school=schools[school], kind=OrganisationKind.SCHOOL).first()
    if allowed:
        assert response.status_code == 302 and response.url == reverse(
            "accounts:organisation", args=[created.pk]
        )
    else:
        assert response.status_code == 403 and created is None


def test_an_unknown_urn_is_told_not_created(client, world):
    _, people = world
    client.force_login(people["la_officer"])

    response = client.post(reverse("accounts:organisation-for-school"), {"urn": "abc"})

    assert response.status_code == 302 and response.url == reverse("accounts:organisation-chooser")


def test_a_head_appointed_after_routing_may_answer_their_schools_request(client, world, home_school):
    from accounts.models import AccessRequest
    from accounts.rules import can_answer_access_request

    org, people = world
    request = AccessRequest.objects.create(
        full_name="Rita",
        email="rita@example.org",
        organisation_kind=OrganisationKind.SCHOOL,
        school=home_school,
        role=R.SCHOOL_LEADER,
        reason="Maths lead",
        state="awaiting_decision",
    )

    assert can_answer_access_request(people["headteacher"], request)
    assert not can_answer_access_request(people["school_leader"], request)

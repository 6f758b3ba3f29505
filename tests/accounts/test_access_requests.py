"""Asking for access: confirm the email, routing, approve with a role, decline with a reason,
throttling, and never revealing whether an email has an account."""

import re

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.urls import reverse

from accounts import services
from accounts.choices import AccessRequestState, OrganisationKind, Role
from accounts.errors import LinkUnusable
from accounts.models import AccessRequest, Invitation, Membership, Organisation, User
from accounts.queries import access_requests_to_answer

from ..factories import MembershipFactory, OrganisationFactory, SchoolFactory, TrustFactory, UserFactory
from ..links import opened


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://syslead.test"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def form_data(school, **overrides):
    return {
        "full_name": "Rita Request",
        "email": "rita@home.example.org",
        "organisation_kind": OrganisationKind.SCHOOL,
        "school_query": str(school.urn),
        "role": Role.SCHOOL_LEADER,
        "reason": "I lead maths and will log deployment time.",
        **overrides,
    }


def confirm_link(message) -> str:
    return re.search(r"https://syslead\.test(/accounts/request-access/confirm/[^\s]+/)", message.body).group(
        1
    )


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def post(school, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:request-access"), form_data(school, **overrides))

    return post


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    def get(link):
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(opened(client, link))

    return get


def test_the_sign_in_page_links_to_ask_for_access(client):
    response = client.get(reverse("accounts:sign-in"))

    assert reverse("accounts:request-access").encode() in response.content


def test_asking_sends_a_confirmation_link_and_nothing_else(ask, home_school, la_officer):
    response = ask(home_school)

    assert response.status_code == 302 and response.url == reverse("accounts:request-access-sent")
    request = AccessRequest.objects.get()
    assert request.state == AccessRequestState.UNCONFIRMED and request.school == home_school
    assert [m.to for m in mail.outbox] == [["rita@home.example.org"]]
    assert "Confirm" in mail.outbox[0].subject


def test_the_form_asks_for_every_field_with_messages_on_them(client, db):
    response = client.post(reverse("accounts:request-access"), {})

    errors = response.context["form"].errors
    assert {"full_name", "email", "organisation_kind", "role", "reason"} <= set(errors)
    assert b"govuk-error-summary" in response.content
    assert not AccessRequest.objects.exists()


def test_a_school_is_found_by_postcode_or_name(ask, home_la):
    school = SchoolFactory(local_authority=home_la, name="Holt Junior", postcode="NR25 6DU")

    ask(school, school_query="nr25 6du")
    ask(school, school_query="holt junior", email="other@home.example.org")

    assert list(AccessRequest.objects.values_list("school", flat=True)) == [school.pk, school.pk]


def test_several_matching_schools_are_offered_to_choose_from(client, home_la, ask):
    first = SchoolFactory(local_authority=home_la, name="St Mary's Primary")
    SchoolFactory(local_authority=home_la, name="St Mary's Infant")

    response = client.post(reverse("accounts:request-access"), form_data(first, school_query="St Mary"))
    assert "school_urn" in response.context["form"].errors
    assert b"St Mary&#x27;s Infant" in response.content

    ask(first, school_query="St Mary", school_urn=str(first.urn))
    assert AccessRequest.objects.get().school == first


def test_a_school_that_matches_nothing_is_an_error_on_the_field(client, home_school):
    response = client.post(reverse("accounts:request-access"), form_data(home_school, school_query="Nowhere"))

    assert "school_query" in response.context["form"].errors


def test_a_role_the_kind_does_not_have_is_refused(client, home_school):
    response = client.post(reverse("accounts:request-access"), form_data(home_school, role=Role.LA_OFFICER))

    assert "role" in response.context["form"].errors


def test_a_national_administrator_role_cannot_be_asked_for(client, home_school):
    response = client.post(
        reverse("accounts:request-access"), form_data(home_school, role=Role.NATIONAL_ADMINISTRATOR)
    )

    assert "role" in response.context["form"].errors


def test_the_confirmation_link_routes_to_the_schools_own_head(ask, confirm, home_school, la_officer):
    school_org = OrganisationFactory(kind=OrganisationKind.SCHOOL, name=home_school.name, school=home_school)
    head = MembershipFactory(
        organisation=school_org, role=Role.HEADTEACHER, user__email="head@home.example.org"
    ).user
    MembershipFactory(organisation=school_org, role=Role.SCHOOL_LEADER)  # not a manager
    ask(home_school)
    link = confirm_link(mail.outbox[0])
    mail.outbox.clear()

    response = confirm(link)

    assert response.status_code == 200 and b"Request sent" in response.content
    request = AccessRequest.objects.get()
    assert request.state == AccessRequestState.AWAITING_DECISION
    assert list(request.routed_to.all()) == [head]
    assert [m.to for m in mail.outbox] == [["head@home.example.org"]]
    assert list(access_requests_to_answer(head)) == [request]
    assert list(access_requests_to_answer(la_officer)) == []


def test_a_school_without_managers_goes_to_its_local_authority_officers(
    ask, confirm, home_school, la_officer, other_la_officer
):
    ask(home_school)
    confirm(confirm_link(mail.outbox[0]))

    request = AccessRequest.objects.get()
    assert list(request.routed_to.all()) == [la_officer]
    assert mail.outbox[-1].to == [la_officer.email]


def test_with_no_managers_and_no_officers_it_goes_to_the_national_administrators(
    ask, confirm, other_school, national_admin, la_officer
):
    ask(other_school)
    confirm(confirm_link(mail.outbox[0]))

    assert list(AccessRequest.objects.get().routed_to.all()) == [national_admin]
    assert mail.outbox[-1].to == [national_admin.email]


def test_a_trust_without_an_organisation_goes_to_the_national_administrators(
    ask, confirm, home_school, national_admin
):
    trust = TrustFactory(name="Broadland Learning Trust")
    ask(
        home_school,
        organisation_kind=OrganisationKind.ACADEMY_TRUST,
        trust_query="broadland",
        role=Role.COMMISSIONER,
    )
    confirm(confirm_link(mail.outbox[0]))

    request = AccessRequest.objects.get()
    assert request.trust == trust
    assert list(request.routed_to.all()) == [national_admin]


def test_confirming_twice_routes_once(ask, confirm, home_school, la_officer):
    ask(home_school)
    link = confirm_link(mail.outbox[0])
    confirm(link)
    sent = len(mail.outbox)

    assert confirm(link).status_code == 200
    assert len(mail.outbox) == sent


def test_an_expired_confirmation_link_says_so(ask, client, home_school, monkeypatch):
    ask(home_school)
    link = confirm_link(mail.outbox[0])
    monkeypatch.setattr(AccessRequest, "CONFIRM_WITHIN", __import__("datetime").timedelta(seconds=-1))

    response = client.get(link, follow=True)

    assert response.status_code == 410 and b"expired" in response.content
    assert AccessRequest.objects.get().state == AccessRequestState.UNCONFIRMED


@pytest.mark.parametrize("token", ["junk", "1:abc:def"])
def test_a_tampered_confirmation_link_says_it_is_not_valid(client, db, token):
    link = reverse("accounts:request-access-confirm-link", kwargs={"token": token})

    response = client.get(link, follow=True)

    assert response.status_code == 404 and b"not valid" in response.content


def test_an_invitation_token_does_not_confirm_an_access_request(ask, home_school):
    ask(home_school)
    request = AccessRequest.objects.get()
    token = signing.TimestampSigner(salt="accounts.invitation").sign(str(request.pk))

    with pytest.raises(LinkUnusable):
        services.confirm_access_request(token)


@pytest.fixture
def awaiting(ask, confirm, home_school, la_officer):
    ask(home_school)
    confirm(confirm_link(mail.outbox[0]))
    mail.outbox.clear()
    return AccessRequest.objects.get()


def test_the_officer_approves_with_a_role_and_the_person_gets_an_invitation(
    client, awaiting, la_officer, home_school, django_capture_on_commit_callbacks
):
    assert not Organisation.objects.filter(school=home_school).exists()
    client.force_login(la_officer)
    url = reverse("accounts:access-request-detail", args=[awaiting.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert set(page.context["roles"]) == {
        Role.HEADTEACHER, Role.SCHOOL_LEADER, Role.SCHOOL_BUSINESS_MANAGER, Role.COMMISSIONER,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "role": Role.HEADTEACHER})

    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.state == AccessRequestState.APPROVED and awaiting.granted_role == Role.HEADTEACHER
    organisation = Organisation.objects.get(school=home_school)
    assert (
        organisation.kind == OrganisationKind.SCHOOL
        and organisation.local_authority == home_school.local_authority
    )
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation, invitation.role) == (
        "rita@home.example.org",
        organisation,
        Role.HEADTEACHER,
    )
    assert invitation.full_name == "Rita Request"
    assert [m.to for m in mail.outbox] == [["rita@home.example.org"]]
    assert "approved" in mail.outbox[0].subject
    assert "/accounts/invitations/" in mail.outbox[0].body
    assert list(access_requests_to_answer(la_officer)) == []


def test_the_person_accepts_the_approval_and_joins(
    client, awaiting, la_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_access_request(awaiting, role=Role.SCHOOL_LEADER, actor=la_officer)
    emailed = re.search(r"https://syslead\.test(/accounts/invitations/[^\s]+/)", mail.outbox[0].body)[1]
    link = opened(client, emailed)

    password = "a-long-unusual-phrase-42"
    client.post(link, {"full_name": "Rita Request", "new_password1": password, "new_password2": password})

    rita = User.objects.get(email="rita@home.example.org")
    assert Membership.objects.filter(user=rita, role=Role.SCHOOL_LEADER).exists()


def test_a_role_outside_the_approvers_remit_is_refused(client, awaiting, la_officer):
    client.force_login(la_officer)

    response = client.post(
        reverse("accounts:access-request-detail", args=[awaiting.pk]),
        {"decision": "approve", "role": Role.NATIONAL_ADMINISTRATOR},
    )

    assert response.status_code == 200
    assert "role" in response.context["approve_form"].errors
    awaiting.refresh_from_db()
    assert awaiting.state == AccessRequestState.AWAITING_DECISION


def test_declining_needs_a_reason_and_tells_the_person(
    client, awaiting, la_officer, django_capture_on_commit_callbacks
):
    client.force_login(la_officer)
    url = reverse("accounts:access-request-detail", args=[awaiting.pk])

    empty = client.post(url, {"decision": "decline", "reason": " "})
    assert "reason" in empty.context["decline_form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "decline", "reason": "You do not work at this school."})

    awaiting.refresh_from_db()
    assert awaiting.state == AccessRequestState.DECLINED and awaiting.decided_by == la_officer
    assert [m.to for m in mail.outbox] == [["rita@home.example.org"]]
    assert "You do not work at this school." in mail.outbox[0].body
    assert not Invitation.objects.exists()


def test_a_request_is_answered_once(awaiting, la_officer, national_admin):
    services.decline_access_request(awaiting, reason="No.", actor=la_officer)

    with pytest.raises(services.AccountsError, match="already answered"):
        services.approve_access_request(awaiting, role=Role.SCHOOL_LEADER, actor=national_admin)


@pytest.mark.parametrize("persona", ["other_la_officer", "outsider", "school_leader", "commissioner"])
def test_only_those_it_was_routed_to_may_answer(client, awaiting, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("accounts:access-request-detail", args=[awaiting.pk])).status_code == 403


def test_a_national_administrator_may_answer_any_request(client, awaiting, national_admin):
    client.force_login(national_admin)

    assert client.get(reverse("accounts:access-request-detail", args=[awaiting.pk])).status_code == 200
    assert awaiting in access_requests_to_answer(national_admin)


def test_an_existing_account_sees_the_same_page_and_is_told_by_email(ask, client, home_school):
    UserFactory(email="known@home.example.org")

    known = ask(home_school, email="known@home.example.org")
    unknown = ask(home_school, email="unknown@home.example.org")

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert AccessRequest.objects.count() == 2
    known_mail, unknown_mail = mail.outbox
    assert known_mail.subject == unknown_mail.subject
    assert "already have an account" in known_mail.body
    assert "already have an account" not in unknown_mail.body
    sent_page = client.get(known.url).content
    assert b"account" not in sent_page.lower().replace(b"accounts", b"")


def test_asking_is_throttled_per_email(client, home_school):
    for _ in range(services.ACCESS_REQUESTS_PER_EMAIL_PER_HOUR):
        assert client.post(reverse("accounts:request-access"), form_data(home_school)).status_code == 302

    response = client.post(reverse("accounts:request-access"), form_data(home_school))

    assert response.status_code == 429
    assert b"too many times" in response.content
    assert AccessRequest.objects.count() == services.ACCESS_REQUESTS_PER_EMAIL_PER_HOUR


def test_asking_is_throttled_per_address(client, home_school):
    for number in range(services.ACCESS_REQUESTS_PER_IP_PER_HOUR):
        client.post(
            reverse("accounts:request-access"), form_data(home_school, email=f"p{number}@example.org")
        )

    response = client.post(
        reverse("accounts:request-access"), form_data(home_school, email="new@example.org")
    )

    assert response.status_code == 429


def test_the_throttle_treats_known_and_unknown_emails_alike(client, home_school):
    UserFactory(email="known@home.example.org")
    statuses = {}
    for email in ("known@home.example.org", "unknown@home.example.org"):
        statuses[email] = [
            client.post(reverse("accounts:request-access"), form_data(home_school, email=email)).status_code
            for _ in range(services.ACCESS_REQUESTS_PER_EMAIL_PER_HOUR + 1)
        ]

    assert statuses["known@home.example.org"] == statuses["unknown@home.example.org"]


def test_approving_an_la_request_creates_the_authority_organisation(
    home_la, national_admin, ask, confirm, home_school
):
    ask(
        home_school,
        organisation_kind=OrganisationKind.LOCAL_AUTHORITY,
        local_authority=str(home_la.pk),
        role=Role.LA_OFFICER,
    )
    confirm(confirm_link(mail.outbox[0]))
    request = AccessRequest.objects.get()

    services.approve_access_request(request, role=Role.LA_OFFICER, actor=national_admin)

    organisation = Organisation.objects.get(kind=OrganisationKind.LOCAL_AUTHORITY, local_authority=home_la)
    assert Invitation.objects.get().organisation == organisation


def test_access_requests_to_answer_is_one_query(awaiting, la_officer, django_assert_num_queries):
    la_officer.active_memberships  # read once per request anyway  # noqa: B018
    with django_assert_num_queries(1):
        rows = [(r.full_name, r.school.name, r.target_name) for r in access_requests_to_answer(la_officer)]

    assert len(rows) == 1


def test_a_name_typed_with_right_to_left_overrides_is_saved_without_them(ask, home_school, la_officer):
    ask(home_school, full_name="Rita \u202etseuqeR\u202c")

    assert AccessRequest.objects.get().full_name == "Rita tseuqeR"


def test_a_reason_over_2000_characters_is_refused_with_the_limit(client, home_school):
    response = client.post(reverse("accounts:request-access"), form_data(home_school, reason="x" * 1_000_000))

    message = "Why you need access must be 2,000 characters or fewer"
    assert response.context["form"].errors["reason"] == [message]
    assert not AccessRequest.objects.exists()

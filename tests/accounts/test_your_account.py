"""The "Your account" page: name, phone, password, memberships and email choices; and the
organisation get-or-create helpers other apps call."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.choices import EmailKind, OrganisationKind, Role
from accounts.models import Organisation, User
from accounts.validators import validate_uk_phone

from ..factories import DioceseFactory, SchoolFactory, TrustFactory, UserFactory
from ..factories.accounts import DEFAULT_PASSWORD

URL = reverse("accounts:you")


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302 and reverse("accounts:sign-in") in response.url


def test_the_page_shows_the_persons_memberships(client, la_officer):
    client.force_login(la_officer)

    response = client.get(URL)

    assert response.status_code == 200
    assert b"Norfolk County Council" in response.content and b"Local authority officer" in response.content


def test_someone_without_a_membership_is_told_whom_to_ask(client, outsider):
    client.force_login(outsider)

    assert b"Ask the people who manage yours to invite you" in client.get(URL).content


def test_a_person_changes_their_name_and_phone(client, outsider):
    client.force_login(outsider)

    response = client.post(
        URL, {"form": "details", "full_name": "  Olu   Outsider ", "phone": "01632 960 001"}
    )

    assert response.status_code == 302
    outsider.refresh_from_db()
    assert (outsider.full_name, outsider.phone) == ("Olu Outsider", "01632 960 001")
    assert outsider.history.first().full_name == "Olu Outsider"


@pytest.mark.parametrize(
    ("phone", "valid"),
    [
        ("01632 960 001", True),
        ("07700 900 982", True),
        ("+44 7700 900 982", True),
        ("(01632) 960-001", True),
        ("", True),
        ("12345", False),
        ("+1 212 555 0100", False),
        ("+44 07700 900 982", False),
        ("0770090098212", False),
        ("phone me", False),
    ],
)
def test_phone_numbers_must_be_uk_numbers(phone, valid):
    if valid:
        validate_uk_phone(phone)
    else:
        with pytest.raises(ValidationError):
            validate_uk_phone(phone)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"full_name": "", "phone": ""}, "full_name"),
        ({"full_name": "Olu", "phone": "not a number"}, "phone"),
        ({"full_name": "Olu", "phone": "0" * 21}, "phone"),
        ({"full_name": "x" * 201, "phone": ""}, "full_name"),
    ],
)
def test_bad_details_are_shown_on_their_field_and_not_saved(client, outsider, data, field):
    client.force_login(outsider)

    response = client.post(URL, {"form": "details", **data})

    assert response.status_code == 400
    assert field in response.context["details_form"].errors
    assert b"govuk-error-summary" in response.content
    outsider.refresh_from_db()
    assert outsider.full_name != data["full_name"]


def test_a_person_changes_their_password_and_stays_signed_in(client, outsider):
    client.force_login(outsider)
    new = "another-long-phrase-77"

    response = client.post(
        reverse("accounts:change-password"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.check_password(new)
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {
                "old_password": "wrong",
                "new_password1": "another-long-phrase-77",
                "new_password2": "another-long-phrase-77",
            },
            "old_password",
        ),
        (
            {"old_password": DEFAULT_PASSWORD, "new_password1": "short", "new_password2": "short"},
            "new_password2",
        ),
        (
            {
                "old_password": DEFAULT_PASSWORD,
                "new_password1": "another-long-phrase-77",
                "new_password2": "other",
            },
            "new_password2",
        ),
    ],
)
def test_password_changes_follow_the_password_rules(client, outsider, data, field):
    client.force_login(outsider)

    response = client.post(reverse("accounts:change-password"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    outsider.refresh_from_db()
    assert outsider.check_password(DEFAULT_PASSWORD)


def test_a_person_turns_informational_emails_off_and_on(client, outsider):
    client.force_login(outsider)

    client.post(URL, {"form": "emails", "wanted": [EmailKind.APPLICATION_UPDATES]})

    outsider = User.objects.get(pk=outsider.pk)
    assert services.wants_email(outsider, EmailKind.APPLICATION_UPDATES)
    assert not services.wants_email(outsider, EmailKind.DEPLOYMENT_UPDATES)
    assert not services.wants_email(outsider, EmailKind.PEOPLE_UPDATES)
    assert client.get(URL).context["emails_form"].initial["wanted"] == [EmailKind.APPLICATION_UPDATES]


def test_emails_that_need_action_cannot_be_turned_off(client, outsider):
    client.force_login(outsider)

    response = client.post(URL, {"form": "emails", "wanted": ["invitation"]})

    assert response.status_code == 400
    assert "wanted" in response.context["emails_form"].errors
    services.set_email_preferences(outsider, wanted=[])
    assert services.wants_email(outsider, "invitation")
    assert services.wants_email(outsider, "agreement-sent")


def test_nobody_inactive_wants_email(outsider):
    outsider.is_active = False

    assert not services.wants_email(outsider, "invitation")


def test_the_inviter_who_opted_out_is_not_told_of_acceptance(
    head_of_school, django_capture_on_commit_callbacks, mailoutbox
):
    head, organisation = head_of_school
    services.set_email_preferences(head, wanted=[])
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            email="n@example.org", organisation=organisation, role=Role.SCHOOL_LEADER, invited_by=head
        )
    newcomer = UserFactory(email="n@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_invitation(invitation, user=newcomer)

    assert [m.to for m in mailoutbox] == [["n@example.org"]]


@pytest.fixture
def head_of_school(home_school):
    from ..factories import MembershipFactory

    organisation = services.organisation_for_school(home_school)
    return MembershipFactory(organisation=organisation, role=Role.HEADTEACHER).user, organisation


# --- Organisation get-or-create ------------------------------------------------------------------


def test_organisation_for_school_creates_one_and_then_finds_it(home_school):
    first = services.organisation_for_school(home_school)
    again = services.organisation_for_school(home_school)

    assert first == again
    assert (first.kind, first.school, first.local_authority) == (
        OrganisationKind.SCHOOL,
        home_school,
        home_school.local_authority,
    )
    assert Organisation.objects.filter(school=home_school).count() == 1


def test_two_schools_with_the_same_name_get_two_organisations(home_la):
    first = SchoolFactory(local_authority=home_la, name="St Mary's Primary School")
    second = SchoolFactory(local_authority=home_la, name="St Mary's Primary School")

    a, b = services.organisation_for_school(first), services.organisation_for_school(second)

    assert a != b and b.name == f"St Mary's Primary School ({second.urn})"


def test_a_teaching_school_is_its_own_kind(home_school):
    school = services.organisation_for_school(home_school)
    teaching = services.organisation_for_school(home_school, kind=OrganisationKind.TEACHING_SCHOOL)

    assert school != teaching and teaching.kind == OrganisationKind.TEACHING_SCHOOL


def test_trust_diocese_and_authority_organisations(home_la):
    trust, diocese = TrustFactory(), DioceseFactory()

    assert services.organisation_for_trust(trust).trust == trust
    assert services.organisation_for_diocese(diocese).diocese == diocese
    la = services.organisation_for_local_authority(home_la)
    assert (la.kind, la.local_authority) == (OrganisationKind.LOCAL_AUTHORITY, home_la)
    assert services.organisation_for_local_authority(home_la) == la

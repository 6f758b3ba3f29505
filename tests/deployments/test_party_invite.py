"""The broker invites someone who can agree for a party with nobody in the service, from the
agreement's pages; the person accepts, finds the agreement on their tasks page and agrees it."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services as account_services
from accounts.choices import OrganisationKind, Role
from accounts.models import Invitation, Membership
from deployments.choices import AgreementStatus, DeploymentState, Party
from tests.factories.deployments import AgreementFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def waiting(proposed_deployment):
    """Version 1, sent and waiting for the three parties; nobody at the supported school has an account."""
    starts_on = TODAY + datetime.timedelta(days=14)
    return AgreementFactory(
        deployment=proposed_deployment,
        status=AgreementStatus.AWAITING_AGREEMENT,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=180),
        days_per_week=Decimal("0.5"),
        agreed_at=None,
    )


def invite_url(deployment, party=Party.SUPPORTED_SCHOOL):
    return reverse("deployments:party-invite", args=[deployment.pk, party])


def agreement_url(deployment):
    return reverse("deployments:agreement-version", args=[deployment.pk, 1])


def test_the_broker_is_offered_an_invitation_where_nobody_can_agree(client, la_officer, waiting):
    client.force_login(la_officer)

    body = client.get(agreement_url(waiting.deployment)).content.decode()

    assert "Nobody at Home Primary School can agree yet." in body
    assert invite_url(waiting.deployment) in body


@pytest.mark.parametrize("persona", ["commissioner", "leader", "outsider"])
def test_others_are_not_offered_it(client, request, persona, waiting):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(agreement_url(waiting.deployment))

    assert invite_url(waiting.deployment) not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("la_officer", 200),  # the broker
        ("national_admin", 200),
        ("commissioner", 403),  # a party, not the broker
        ("leader", 403),
        ("other_la_officer", 404),
        ("outsider", 404),
    ],
)
def test_who_may_open_the_invitation_form(client, request, persona, status, waiting):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(invite_url(waiting.deployment)).status_code == status


def test_the_form_suggests_the_headteacher_named_in_gias(client, la_officer, waiting, home_school):
    home_school.head_first_name, home_school.head_last_name = "Hana", "Head"
    home_school.save()
    client.force_login(la_officer)

    response = client.get(invite_url(waiting.deployment))

    assert "names Hana Head" in response.content.decode()
    assert response.context["form"].initial == {"full_name": "Hana Head", "role": Role.HEADTEACHER}
    assert [value for value, _ in response.context["form"].fields["role"].choices] == [
        Role.HEADTEACHER,
        Role.SCHOOL_LEADER,
    ]


def test_inviting_creates_the_schools_organisation_and_emails_the_person(
    client, la_officer, waiting, home_school, django_capture_on_commit_callbacks
):
    client.force_login(la_officer)
    back = agreement_url(waiting.deployment)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(waiting.deployment),
            {
                "email": "Hana.Head@Home.example.org",
                "full_name": "Hana Head",
                "role": Role.HEADTEACHER,
                "next": back,
            },
        )

    assert response.status_code == 302 and response.url == back
    invitation = Invitation.objects.get()
    assert invitation.email == "hana.head@home.example.org"
    assert invitation.role == Role.HEADTEACHER and invitation.invited_by == la_officer
    assert invitation.organisation.school == home_school
    assert invitation.organisation.kind == OrganisationKind.SCHOOL
    assert [m.to for m in mail.outbox] == [["hana.head@home.example.org"]]
    body = client.get(back).content.decode()
    assert "Invited, not yet accepted" in body and "Hana Head" in body


def test_a_double_submit_makes_one_invitation(client, la_officer, waiting):
    client.force_login(la_officer)
    data = {"email": "hana@home.example.org", "full_name": "", "role": Role.HEADTEACHER}

    client.post(invite_url(waiting.deployment), data)
    client.post(invite_url(waiting.deployment), data)

    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "role": Role.HEADTEACHER}, "email", "Enter"),
        ({"email": "not-an-email", "role": Role.HEADTEACHER}, "email", "email address"),
        ({"email": "x@example.org", "role": Role.NATIONAL_ADMINISTRATOR}, "role", ""),
        ({"email": "x@example.org"}, "role", "Choose a role"),
    ],
)
def test_bad_input_is_an_error_on_the_field(client, la_officer, waiting, data, field, message):
    client.force_login(la_officer)

    response = client.post(invite_url(waiting.deployment), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not Invitation.objects.exists()


def test_an_unknown_party_is_not_found(client, la_officer, waiting):
    client.force_login(la_officer)

    assert client.get(invite_url(waiting.deployment, "governors")).status_code == 404


def test_a_finished_deployment_offers_no_invitation(client, la_officer, waiting):
    waiting.deployment.__class__.objects.filter(pk=waiting.deployment_id).update(
        state=DeploymentState.ENDED_EARLY
    )
    client.force_login(la_officer)

    assert client.get(invite_url(waiting.deployment)).status_code == 403


def test_the_commissioner_party_invites_commissioners_only(client, la_officer, waiting):
    client.force_login(la_officer)

    response = client.get(invite_url(waiting.deployment, Party.COMMISSIONER))

    assert [value for value, _ in response.context["form"].fields["role"].choices] == [Role.COMMISSIONER]


def test_the_invited_head_accepts_sees_the_task_and_agrees(client, la_officer, waiting, home_school):
    client.force_login(la_officer)
    client.post(invite_url(waiting.deployment), {"email": "hana@home.example.org", "role": Role.HEADTEACHER})
    invitation = Invitation.objects.get()

    head = account_services.accept_invitation_with_new_account(
        invitation, full_name="Hana Head", password="a-long-enough-passphrase"
    )
    assert Membership.objects.filter(
        user=head, role=Role.HEADTEACHER, organisation__school=home_school
    ).exists()
    client.force_login(head)
    home = client.get(reverse("home")).content.decode()
    assert 'data-task-kind="agree-agreement"' in home
    assert agreement_url(waiting.deployment) in home

    response = client.post(
        reverse("deployments:agreement-agree", args=[waiting.deployment_id, 1]),
        {"party": Party.SUPPORTED_SCHOOL},
    )

    assert response.status_code == 302
    assert waiting.signoffs.filter(party=Party.SUPPORTED_SCHOOL, agreed_by=head).exists()

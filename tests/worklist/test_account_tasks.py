"""Invitations and access requests on the tasks page: shown to whom they wait for, gone when answered."""

import pytest
from django.utils import timezone

from accounts import services
from accounts.choices import AccessRequestState, OrganisationKind, Role
from accounts.models import AccessRequest
from tests.factories import OrganisationFactory, UserFactory

from .conftest import task_kinds

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitee(db):
    return UserFactory(email="invitee@example.org")


@pytest.fixture
def invitation(invitee, home_school, la_officer):
    organisation = services.organisation_for_school(home_school)
    return services.invite(
        email=invitee.email, organisation=organisation, role=Role.SCHOOL_LEADER, invited_by=la_officer
    )


@pytest.fixture
def access_request(home_school, la_officer):
    asking = AccessRequest.objects.create(
        full_name="Asha Asker",
        email="asha@example.org",
        organisation_kind=OrganisationKind.SCHOOL,
        school=home_school,
        role=Role.SCHOOL_LEADER,
        reason="I lead reading at the school.",
        state=AccessRequestState.AWAITING_DECISION,
        confirmed_at=timezone.now(),
    )
    asking.routed_to.add(la_officer)
    return asking


def test_an_invitation_waits_for_the_person_invited_only(client, invitation, invitee, la_officer, outsider):
    assert "answer-invitation" in task_kinds(client, invitee)
    assert "answer-invitation" not in task_kinds(client, outsider)
    assert "answer-invitation" not in task_kinds(client, la_officer)


def test_an_invitation_goes_from_the_tasks_when_accepted(client, invitation, invitee):
    services.accept_invitation(invitation, user=invitee)

    assert "answer-invitation" not in task_kinds(client, invitee)


def test_an_invitation_goes_from_the_tasks_when_cancelled(client, invitation, invitee, la_officer):
    services.cancel_invitation(invitation, actor=la_officer)

    assert "answer-invitation" not in task_kinds(client, invitee)


def test_an_access_request_waits_for_whom_it_was_routed_to(
    client, access_request, la_officer, other_la_officer
):
    assert "answer-access-request" in task_kinds(client, la_officer)
    assert "answer-access-request" not in task_kinds(client, other_la_officer)


def test_an_unconfirmed_access_request_waits_for_nobody(client, access_request, la_officer):
    AccessRequest.objects.filter(pk=access_request.pk).update(state=AccessRequestState.UNCONFIRMED)

    assert "answer-access-request" not in task_kinds(client, la_officer)


def test_an_access_request_goes_from_the_tasks_when_declined(client, access_request, la_officer):
    services.decline_access_request(access_request, reason="Not known at the school.", actor=la_officer)

    assert "answer-access-request" not in task_kinds(client, la_officer)


def test_an_access_request_goes_from_the_tasks_when_approved(client, access_request, la_officer):
    services.approve_access_request(access_request, role=Role.SCHOOL_LEADER, actor=la_officer)

    assert "answer-access-request" not in task_kinds(client, la_officer)


def test_the_invitation_task_names_the_organisation_and_role(client, invitee, national_admin):
    body = OrganisationFactory(kind=OrganisationKind.NATIONAL_BODY, name="Leadership Agency")
    services.invite(email=invitee.email, organisation=body, role=Role.ASSOCIATE, invited_by=national_admin)
    client.force_login(invitee)

    page = client.get("/").content.decode()

    assert "Leadership Agency as associate" in page

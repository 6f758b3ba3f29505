"""The shortlist as the broker's working list: notes and decline reasons (saved, shown to brokers
only), and proposing a leader after a confirmation page, which tells the leader by email."""

import pytest
from django.core import mail
from django.urls import reverse

from brokerage import services
from brokerage.choices import RequestStatus, ShortlistStatus
from brokerage.errors import BrokerageError
from deployments.choices import DeploymentState
from deployments.models import Deployment
from tests.factories.brokerage import ShortlistEntryFactory

pytestmark = pytest.mark.django_db

NOTE = "Keen, but only free on Thursdays."
REASON = "No time until the summer term."


@pytest.fixture
def entry(support_request, candidate):
    return ShortlistEntryFactory(request=support_request, designation=candidate)


def signed_in(client, user):
    client.force_login(user)
    return client


def notes_url(entry) -> str:
    return reverse("brokerage:shortlist-notes", args=[entry.request_id, entry.pk])


def decline_url(entry) -> str:
    return reverse("brokerage:shortlist-decline", args=[entry.request_id, entry.pk])


def propose_url(support_request, designation) -> str:
    return reverse("proposals:propose", args=[support_request.pk, designation.pk])


# --- notes and decline reasons -------------------------------------------------------------------


def test_the_broker_writes_notes_on_an_entry_and_sees_them_on_the_request(client, la_officer, entry):
    signed_in(client, la_officer)
    assert client.get(notes_url(entry)).status_code == 200

    response = client.post(notes_url(entry), {"notes": f"  {NOTE}  "})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.notes == NOTE
    body = client.get(reverse("brokerage:request-detail", args=[entry.request_id])).content.decode()
    assert NOTE in body and "Change notes" in body


def test_notes_that_are_too_long_are_refused_on_the_field(client, la_officer, entry):
    response = signed_in(client, la_officer).post(notes_url(entry), {"notes": "x" * 2001})
    assert response.status_code == 200
    assert response.context["form"].errors["notes"] == ["Notes must be 2,000 characters or fewer"]
    entry.refresh_from_db()
    assert entry.notes == ""


def test_declining_asks_why_and_records_the_reason(client, la_officer, entry):
    signed_in(client, la_officer)
    page = client.get(decline_url(entry)).content.decode()
    assert "Why did they decline" in page

    response = client.post(decline_url(entry), {"reason": ""})
    assert response.context["form"].errors["reason"] == ["Enter why they declined or are unavailable"]
    entry.refresh_from_db()
    assert entry.status == ShortlistStatus.SHORTLISTED

    client.post(decline_url(entry), {"reason": REASON})

    entry.refresh_from_db()
    assert (entry.status, entry.decline_reason) == (ShortlistStatus.DECLINED, REASON)
    assert entry.declined_at is not None
    assert entry.history.first().decline_reason == REASON
    body = client.get(reverse("brokerage:request-detail", args=[entry.request_id])).content.decode()
    assert REASON in body and "Declined or unavailable" in body


def test_the_service_refuses_a_decline_without_a_reason(la_officer, entry):
    with pytest.raises(BrokerageError, match="Enter why they declined") as error:
        services.mark_declined(entry, actor=la_officer, reason="  ")
    assert error.value.field == "reason"


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("la_officer", True),
        ("commissioner", False),
        ("school_leader", False),
        ("teaching_school_lead", False),
        ("national_admin", False),
    ],
)
def test_notes_and_decline_reasons_are_shown_only_to_the_broker(
    client, request, la_officer, entry, persona, sees
):
    entry.notes, entry.decline_reason, entry.status = NOTE, REASON, ShortlistStatus.DECLINED
    entry.save()
    response = signed_in(client, request.getfixturevalue(persona)).get(
        reverse("brokerage:request-detail", args=[entry.request_id])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert (NOTE in body, REASON in body) == (sees, sees)


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("la_officer", 200),
        ("commissioner", 403),
        ("school_leader", 403),
        ("national_admin", 403),
        ("other_la_officer", 404),
        ("outsider", 404),
    ],
)
def test_only_the_broker_may_open_the_notes_and_decline_pages(client, request, entry, persona, expected):
    signed_in(client, request.getfixturevalue(persona))
    assert client.get(notes_url(entry)).status_code == expected
    assert client.get(decline_url(entry)).status_code == expected
    if expected != 200:
        client.post(notes_url(entry), {"notes": "Sneaky"})
        client.post(decline_url(entry), {"reason": "Sneaky"})
        entry.refresh_from_db()
        assert (entry.notes, entry.status) == ("", ShortlistStatus.SHORTLISTED)


def test_notes_cannot_change_once_the_request_is_closed(client, la_officer, entry, support_request):
    type(support_request).objects.filter(pk=support_request.pk).update(status=RequestStatus.CLOSED)
    response = signed_in(client, la_officer).post(notes_url(entry), {"notes": NOTE}, follow=True)
    assert "This request is closed without support." in response.content.decode()
    entry.refresh_from_db()
    assert entry.notes == ""


# --- proposing, after confirming -----------------------------------------------------------------


def test_propose_shows_a_confirmation_first_and_changes_nothing(
    client, la_officer, support_request, candidate
):
    signed_in(client, la_officer)
    detail = client.get(reverse("brokerage:request-detail", args=[support_request.pk])).content.decode()
    assert f'href="{propose_url(support_request, candidate)}"' in detail

    response = client.get(propose_url(support_request, candidate))

    assert response.status_code == 200
    body = response.content.decode()
    assert f"Are you sure you want to propose {candidate.holder}?" in body
    assert "is told by email" in body and 'method="post"' in body
    assert not Deployment.objects.exists() and mail.outbox == []


def test_confirming_proposes_once_and_emails_the_leader(
    client, la_officer, support_request, candidate, django_capture_on_commit_callbacks
):
    signed_in(client, la_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(propose_url(support_request, candidate))
    deployment = Deployment.objects.get()
    assert response.url == reverse("deployments:deployment-detail", args=[deployment.pk])
    assert deployment.state == DeploymentState.PROPOSED

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(propose_url(support_request, candidate), follow=True)

    assert Deployment.objects.count() == 1
    assert "has already been proposed for this request" in again.content.decode()
    (message,) = mail.outbox
    assert message.to == [candidate.holder.email]
    assert support_request.school.name in message.subject
    assert reverse("deployments:deployment-detail", args=[deployment.pk]) in message.body
    assert support_request.title in message.alternatives[0][0]


@pytest.mark.parametrize("persona", ["commissioner", "school_leader", "national_admin"])
def test_people_other_than_the_broker_cannot_see_the_confirmation(
    client, request, support_request, candidate, persona
):
    signed_in(client, request.getfixturevalue(persona))
    assert client.get(propose_url(support_request, candidate)).status_code == 403

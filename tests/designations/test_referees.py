"""Referees answer through a signed, expiring, single-use link."""

import datetime
import logging
import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from designations.choices import ApplicationState, RefereeRecommendation
from designations.errors import DesignationError
from designations.services import (
    record_reference,
    referee_request_from_token,
    send_referee_request,
    submit,
    withdraw,
)
from designations.services.applications import referee_token

EXPIRED = "This reference link has expired"
NOT_VALID = "This reference link is not valid. Check you copied the whole link."


@pytest.fixture
def awaiting_referee(lle_application, complete_draft, headteacher):
    return submit(complete_draft(lle_application), actor=headteacher)


@pytest.fixture
def referee_request(awaiting_referee):
    return awaiting_referee.referee_requests.get()


def link_in(message) -> str:
    return re.search(r"https?://\S+/applications/reference/(\S+)/", message.body).group(1)


def test_submitting_emails_the_referee_a_link_that_leads_to_their_request(
    lle_application, complete_draft, headteacher, django_capture_on_commit_callbacks
):
    complete_draft(lle_application)
    with django_capture_on_commit_callbacks(execute=True):
        submit(lle_application, actor=headteacher)
    to_referee = next(m for m in mail.outbox if m.to == ["robin.referee@norfolk.example.org"])
    assert to_referee.subject == "Reference request: Hilary Head's LLE application"
    assert "Dear Robin Referee" in to_referee.body
    request = referee_request_from_token(link_in(to_referee))
    assert request == lle_application.referee_requests.get()


def test_the_request_expires_after_21_days(referee_request):
    assert referee_request.expires_at - referee_request.sent_at == datetime.timedelta(days=21)


def test_the_link_lifetime_follows_the_setting(awaiting_referee, settings):
    settings.REFEREE_LINK_DAYS = 7
    request = send_referee_request(awaiting_referee)
    assert request.expires_at - request.sent_at == datetime.timedelta(days=7)


def test_a_reference_moves_the_application_to_assessment(referee_request):
    record_reference(
        referee_request, recommendation=RefereeRecommendation.SUPPORT, evidence="  Real impact.  "
    )
    referee_request.refresh_from_db()
    assert referee_request.responded_at is not None
    assert referee_request.evidence == "Real impact."
    application = referee_request.application
    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_ASSESSMENT
    last = application.transitions.last()
    assert (last.actor, last.reason) == (None, "Reference received from Robin Referee.")


def test_the_link_works_once(referee_request):
    token = referee_token(referee_request)
    record_reference(referee_request_from_token(token), recommendation="support", evidence="Real impact.")
    with pytest.raises(
        DesignationError, match="This reference has already been given. Each link can be used once."
    ):
        referee_request_from_token(token)


def test_a_second_reference_through_the_same_request_is_refused(referee_request):
    record_reference(referee_request, recommendation="support", evidence="Real impact.")
    with pytest.raises(DesignationError, match="already been given"):
        record_reference(referee_request, recommendation="do_not_support", evidence="Changed my mind.")
    referee_request.refresh_from_db()
    assert referee_request.recommendation == "support"


def test_the_link_expires_with_its_signature(referee_request, monkeypatch):
    token = referee_token(referee_request)
    later = time.time() + datetime.timedelta(days=22).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(DesignationError, match=EXPIRED):
        referee_request_from_token(token)


def test_the_link_expires_with_the_request(referee_request):
    referee_request.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    referee_request.save()
    with pytest.raises(DesignationError, match=EXPIRED):
        referee_request_from_token(referee_token(referee_request))


def test_an_expired_link_cannot_be_used_to_respond(referee_request):
    referee_request.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    referee_request.save()
    with pytest.raises(DesignationError, match=EXPIRED):
        record_reference(referee_request, recommendation="support", evidence="Too late.")


def test_a_link_given_a_shorter_max_age_expires_sooner(referee_request, monkeypatch):
    token = referee_token(referee_request)
    later = time.time() + 120
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(DesignationError, match=EXPIRED):
        referee_request_from_token(token, max_age=datetime.timedelta(minutes=1))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: ("9" if t[0] != "9" else "8") + t[1:],  # another request id, same signature
        lambda t: "nonsense",
        lambda t: "",
    ],
)
def test_a_link_with_a_bad_signature_is_refused(referee_request, tamper):
    with pytest.raises(DesignationError, match=NOT_VALID):
        referee_request_from_token(tamper(referee_token(referee_request)))


def test_a_link_signed_for_another_purpose_is_refused(referee_request):
    token = signing.TimestampSigner(salt="accounts.something-else").sign(str(referee_request.pk))
    with pytest.raises(DesignationError, match=NOT_VALID):
        referee_request_from_token(token)


def test_a_genuine_link_to_a_request_that_no_longer_exists_is_refused(referee_request):
    token = referee_token(referee_request)
    referee_request.delete()
    with pytest.raises(DesignationError, match=NOT_VALID):
        referee_request_from_token(token)


def test_a_withdrawn_application_needs_no_reference(referee_request, headteacher):
    withdraw(referee_request.application, actor=headteacher)
    with pytest.raises(
        DesignationError, match="This application is withdrawn: a reference is no longer needed."
    ):
        referee_request_from_token(referee_token(referee_request))


@pytest.mark.parametrize(
    ("recommendation", "evidence", "message"),
    [
        ("", "Real impact.", "Say whether you support the application."),
        ("maybe", "Real impact.", "Say whether you support the application."),
        ("support", "   ", "Give your evidence of the applicant's impact."),
    ],
)
def test_a_reference_needs_a_recommendation_and_evidence(referee_request, recommendation, evidence, message):
    with pytest.raises(DesignationError, match=message):
        record_reference(referee_request, recommendation=recommendation, evidence=evidence)
    referee_request.refresh_from_db()
    assert referee_request.responded_at is None


def test_the_token_is_never_logged(
    lle_application, complete_draft, headteacher, caplog, django_capture_on_commit_callbacks
):
    complete_draft(lle_application)
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        submit(lle_application, actor=headteacher)
        request = lle_application.referee_requests.get()
        token = referee_token(request)
        record_reference(referee_request_from_token(token), recommendation="support", evidence="Real impact.")
    assert token not in caplog.text


def test_sending_a_request_needs_a_named_referee(lle_application):
    with pytest.raises(DesignationError, match="Name a referee and give their email address first."):
        send_referee_request(lle_application)


def test_the_emailed_link_moves_the_token_out_of_the_url_and_out_of_the_logs(
    client, lle_application, complete_draft, headteacher, caplog, django_capture_on_commit_callbacks
):
    complete_draft(lle_application)
    with django_capture_on_commit_callbacks(execute=True):
        submit(lle_application, actor=headteacher)
    to_referee = next(m for m in mail.outbox if m.to == ["robin.referee@norfolk.example.org"])
    token = link_in(to_referee)
    link = reverse("applications:referee-link", kwargs={"token": token})

    with caplog.at_level(logging.DEBUG):
        opened = client.get(link)
        page = client.get(opened.url)
        lle_application.referee_requests.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
        expired = client.get(client.get(link).url)

    assert opened.status_code == 302
    assert opened.url == reverse("applications:referee-response")
    assert page.status_code == 200 and "Give a reference for" in page.content.decode()
    assert expired.status_code == 410
    # Django logs refused pages with their path ("Gone: /applications/reference/"): no token in it.
    assert "Gone" in caplog.text
    assert token not in caplog.text

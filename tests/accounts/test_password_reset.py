"""Asking for a password reset does the same work for known and unknown addresses (the email goes
from a task after commit) and is throttled per address and per email."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services, tasks
from tests.factories import UserFactory

RESET_URL = reverse("accounts:password-reset")
TOO_MANY = "You have asked to reset a password too many times. Try again in an hour."


@pytest.fixture
def scheduled(monkeypatch):
    """The emails each request schedules, instead of sending them."""
    emails = []
    monkeypatch.setattr(
        tasks.send_password_reset, "apply_async", lambda kwargs, **options: emails.append(kwargs["email"])
    )
    return emails


def _ask(client, capture, email, **meta):
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        response = client.post(RESET_URL, {"email": email}, **meta)
    return response, len(queries)


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_work(
    client, db, scheduled, django_capture_on_commit_callbacks
):
    UserFactory(email="ada@example.org")

    known, known_queries = _ask(client, django_capture_on_commit_callbacks, "ada@example.org")
    unknown, unknown_queries = _ask(client, django_capture_on_commit_callbacks, "nobody@example.org")

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known_queries == unknown_queries
    assert scheduled == ["ada@example.org", "nobody@example.org"]
    assert mail.outbox == []


def test_the_reset_email_is_sent_only_after_commit(client, db, django_capture_on_commit_callbacks):
    UserFactory(email="ada@example.org")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(RESET_URL, {"email": "ada@example.org"})

    assert mail.outbox == []
    assert len(callbacks) == 1


def test_the_task_emails_an_active_account_and_nobody_otherwise(db):
    UserFactory(email="ada@example.org")
    UserFactory(email="gone@example.org", is_active=False)

    for email in ("ada@example.org", "nobody@example.org", "gone@example.org"):
        tasks.send_password_reset(email=email)

    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_one_email_is_throttled_whether_or_not_it_has_an_account(
    client, db, scheduled, django_capture_on_commit_callbacks
):
    UserFactory(email="ada@example.org")
    for email in ("ada@example.org", "nobody@example.org"):
        for _ in range(services.PASSWORD_RESETS_PER_EMAIL_PER_HOUR):
            _ask(client, django_capture_on_commit_callbacks, email)

        refused, _ = _ask(client, django_capture_on_commit_callbacks, email, REMOTE_ADDR="198.51.100.9")

        assert refused.status_code == 429
        assert TOO_MANY in refused.content.decode()
    assert len(scheduled) == 2 * services.PASSWORD_RESETS_PER_EMAIL_PER_HOUR


def test_one_address_is_throttled_across_emails(client, db, scheduled, django_capture_on_commit_callbacks):
    for number in range(services.PASSWORD_RESETS_PER_IP_PER_HOUR):
        _ask(client, django_capture_on_commit_callbacks, f"person{number}@example.org")

    refused, _ = _ask(client, django_capture_on_commit_callbacks, "another@example.org")
    elsewhere, _ = _ask(
        client, django_capture_on_commit_callbacks, "another@example.org", REMOTE_ADDR="198.51.100.9"
    )

    assert refused.status_code == 429
    assert elsewhere.status_code == 302
    assert len(scheduled) == services.PASSWORD_RESETS_PER_IP_PER_HOUR + 1

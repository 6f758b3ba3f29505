"""No personal data in the application log: a flow of signing in (once wrongly), asking for access,
inviting someone, resetting a password, issuing an API token, downloading one's data and opening
a copy's link, with every logger at DEBUG, logs none of the demo people's emails or names, nor any
token or emailed link."""

import io
import logging
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.choices import OrganisationKind, Role
from accounts.demo import DEMO_USERS
from dataprotection import services
from tests.factories import MembershipFactory, UserFactory
from tests.factories.accounts import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

OFFICER, INVITEE, REQUESTER = DEMO_USERS[1], DEMO_USERS[2], DEMO_USERS[3]
APP_LOGGERS = (
    "accounts", "schools", "schooldays", "designations", "brokerage", "deployments", "funding", "webhooks",
    "changefeed", "idempotency", "submissions", "worklist", "oversight", "dataprotection", "config",
)


@pytest.fixture
def officer(home_la_org):
    return MembershipFactory(
        user=UserFactory(email=OFFICER.email, full_name=OFFICER.full_name, phone="01632 960 123"),
        organisation=home_la_org, role=Role.LA_OFFICER,
    ).user


def _log_text(caplog) -> str:
    """Every record as the console handler writes it (settings.LOGGING), with any traceback."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_a_flow_logs_no_personal_data_or_tokens(
    client, caplog, officer, home_la_org, home_school, settings, django_capture_on_commit_callbacks,
    eager_celery,
):
    settings.SITE_URL = "https://syslead.test"
    # The app loggers at DEBUG; Django's and the libraries' at INFO, the most production logs (DEBUG
    # on django.template prints every missing variable with the whole context).
    caplog.set_level(logging.INFO)
    for name in APP_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    sign_in = reverse("accounts:sign-in")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(sign_in, {"username": OFFICER.email, "password": "not-the-password"})
        signed_in = client.post(sign_in, {"username": OFFICER.email, "password": DEFAULT_PASSWORD})
        assert signed_in.status_code == 302
        invited = client.post(
            reverse("accounts:organisation-invite", args=[home_la_org.pk]),
            {"email": INVITEE.email, "full_name": INVITEE.full_name, "role": Role.COMMISSIONER},
        )
        assert invited.status_code == 302
        copy = client.post(reverse("your-data:download"))
        assert copy.status_code == 200
        client.post(reverse("accounts:sign-out"))
        client.post(reverse("accounts:request-access"), {
            "full_name": REQUESTER.full_name, "email": REQUESTER.email,
            "organisation_kind": OrganisationKind.SCHOOL, "school_query": str(home_school.urn),
            "role": Role.SCHOOL_LEADER, "reason": "I lead maths.",
        })
        client.post(reverse("accounts:password-reset"), {"email": OFFICER.email})
    out = io.StringIO()
    call_command("create_api_token", "--organisation", home_la_org.name, "--name", "MIS sync", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    settings.DATA_EXPORT_INLINE_MAX_RECORDS = 0
    prepared = services.build_prepared_export(services.make_copy(officer, made_by=officer).data_request.pk)
    client.force_login(officer)
    copy_link = reverse("your-data:prepared-copy", args=[services.download_token(prepared)])
    assert client.get(copy_link, follow=True).status_code == 200
    client.get(copy_link[:-3] + "xx/", follow=True)

    logged = _log_text(caplog)
    assert caplog.records, "the flow logs something (else this test proves nothing)"
    links = [
        path for message in mail.outbox for path in re.findall(r"https://syslead\.test(/\S+)", message.body)
    ]
    assert len(mail.outbox) >= 3 and links
    secrets = [key, copy_link, *links, "01632 960 123"]
    for person in DEMO_USERS:
        secrets += [person.email, person.full_name]
    leaked = [secret for secret in secrets if secret.lower() in logged.lower()]
    assert not leaked, f"logged: {leaked}: " + "\n".join(
        line for line in logged.splitlines() if any(secret.lower() in line.lower() for secret in leaked)
    )


def test_a_password_reset_task_is_queued_without_the_email_in_what_celery_logs(
    client, monkeypatch, db, django_capture_on_commit_callbacks
):
    """A worker logs a task's kwargsrepr, not its arguments (eager tasks, as above, log neither)."""
    from accounts import tasks

    queued = []
    monkeypatch.setattr(tasks.send_password_reset, "apply_async", lambda **call: queued.append(call))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": OFFICER.email})
    assert queued and queued[0]["kwargs"] == {"email": OFFICER.email}
    assert OFFICER.email not in queued[0]["kwargsrepr"]

"""A form posted twice (a double click, the back button) is acted on once: the repeat is sent to
the first post's result. Sequential cases on SQLite; five posts at the same moment on PostgreSQL."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deployments import services
from deployments.choices import AgreementStatus, DeploymentState, Rag
from deployments.models import Agreement, ProgressReview, TimeEntry, Variation
from submissions.models import Submission
from submissions.services import REPEAT_MESSAGE
from tests.concurrency import run_at_once
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import agreed_deployment, draft_phonics_agreement, school_day_for

TODAY = timezone.localdate()


def url(name: str, deployment, *args) -> str:
    return reverse(f"deployments:{name}", args=[deployment.pk, *args])


def token_of(page) -> str:
    """The one-time token in the page's (first) form."""
    found = re.search(r'name="submission_token" value="([^"]+)"', page.content.decode())
    assert found, "the form carries no one-time token"
    return found.group(1)


def time_entry(token: str, deployment) -> dict:
    """Half a day on the latest school day, which the deployment has started by."""
    day = school_day_for(deployment)
    return {"worked_on": day.isoformat(), "days": "0.5", "note": "Observations", "submission_token": token}


def review_data(deployment, token: str) -> dict:
    data = {"reviewed_on": TODAY.isoformat(), "summary": "A good start", "next_review_on": ""}
    for objective in services.current_objectives(deployment):
        data |= {f"rag_{objective.pk}": Rag.GREEN, f"evidence_{objective.pk}": "Lesson visits"}
    return data | {"submission_token": token}


# --- one after the other ---------------------------------------------------------------------------


def test_a_time_entry_posted_twice_is_logged_once(client, leader, home_deployment):
    client.force_login(leader)
    log = url("time-log", home_deployment)
    token = token_of(client.get(log))
    first = client.post(log, time_entry(token, home_deployment))
    again = client.post(log, time_entry(token, home_deployment))
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert TimeEntry.objects.filter(deployment=home_deployment).count() == 1
    assert REPEAT_MESSAGE in [str(m) for m in get_messages(again.wsgi_request)]


def test_a_variation_posted_twice_grants_its_days_once(client, la_officer, home_deployment):
    client.force_login(la_officer)
    page = url("variation-new", home_deployment)
    data = {"extra_days": "3", "reason": "An extra visit", "submission_token": token_of(client.get(page))}
    client.post(page, data)
    client.post(page, data)
    assert Variation.objects.filter(deployment=home_deployment).count() == 1
    assert services.days_allowed(home_deployment) == home_deployment.days_agreed + Decimal("3")


def test_a_progress_review_posted_twice_is_recorded_once(client, la_officer, home_deployment):
    client.force_login(la_officer)
    page = url("review-new", home_deployment)
    data = review_data(home_deployment, token_of(client.get(page)))
    assert client.post(page, data).status_code == 302
    assert client.post(page, data).status_code == 302
    assert ProgressReview.objects.filter(deployment=home_deployment).count() == 1


def test_a_final_evaluation_posted_twice_is_recorded_once(client, la_officer, home_deployment):
    services.transition(home_deployment, DeploymentState.AWAITING_FINAL_EVALUATION, actor=la_officer)
    client.force_login(la_officer)
    page = url("evaluation-new", home_deployment)
    data = {"impact": "Maths teaching is good.", "capacity_built": "", "evaluated_on": TODAY.isoformat()}
    for objective in services.current_objectives(home_deployment):
        data[f"outcome_{objective.pk}"] = "met"
    data["submission_token"] = token_of(client.get(page))
    first, again = client.post(page, data), client.post(page, data)
    assert first.status_code == 302, first.context["form"].errors
    assert again["Location"] == first["Location"]  # not the "already completed" form error


def test_sending_an_agreement_twice_emails_the_parties_once(
    client, la_officer, proposed_deployment, django_capture_on_commit_callbacks
):
    draft_phonics_agreement(proposed_deployment, actor=la_officer, starts_on=TODAY)
    client.force_login(la_officer)
    page = url("agreement-send", proposed_deployment, 1)
    data = {"submission_token": token_of(client.get(page))}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first, again = client.post(page, data), client.post(page, data)
    assert again["Location"] == first["Location"]
    assert "no longer" not in again.content.decode()
    assert len([m for m in mail.outbox if m.subject.startswith("Please agree")]) == 1


def test_a_refused_post_can_be_corrected_and_sent_with_the_same_form(client, leader, home_deployment):
    """The refusal shows the form again: the token is not used up by a post that did nothing."""
    client.force_login(leader)
    log = url("time-log", home_deployment)
    token = token_of(client.get(log))
    refused = client.post(log, time_entry(token, home_deployment) | {"days": "0"})
    assert refused.status_code == 200
    assert not Submission.objects.exists()
    assert client.post(log, time_entry(token, home_deployment)).status_code == 302
    assert TimeEntry.objects.filter(deployment=home_deployment).count() == 1


def test_each_rendering_of_a_form_carries_a_new_token(client, leader, home_deployment):
    client.force_login(leader)
    log = url("time-log", home_deployment)
    first, second = token_of(client.get(log)), token_of(client.get(log))
    assert first != second
    client.post(log, time_entry(first, home_deployment))
    client.post(log, time_entry(second, home_deployment))  # a second entry, on purpose: a new form
    assert TimeEntry.objects.filter(deployment=home_deployment).count() == 2


@pytest.mark.parametrize(
    "name, persona, args",
    [
        ("time-log", "leader", ()),
        ("variation-new", "la_officer", ()),
        ("review-new", "la_officer", ()),
        ("state-change", "la_officer", ("pause",)),
        ("agreement-new-version", "la_officer", ()),
    ],
)
def test_forms_carry_a_token_and_guard_their_buttons_against_double_clicks(
    client, request, home_deployment, name, persona, args
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(url(name, home_deployment, *args))
    token_of(page)
    buttons = re.findall(r'<button[^>]*class="govuk-button[^>]*>', page.content.decode())
    # The timeout warning's "Stay signed in" is a plain button that submits nothing.
    buttons = [button for button in buttons if 'type="button"' not in button]
    assert buttons
    for button in buttons:
        assert 'data-prevent-double-click="true"' in button


# --- five at the same moment -----------------------------------------------------------------------


def five_posts(user, path: str, data: dict) -> list[str]:
    """Five signed-in browsers post the same rendered form at the same moment."""
    clients = []
    for _ in range(5):
        browser = Client()
        browser.force_login(user)
        clients.append(browser)
    return run_at_once(*[lambda browser=browser: browser.post(path, data) for browser in clients])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_posts_of_one_time_entry_at_once_log_it_once(leader, home_deployment):
    assert connection.vendor == "postgresql"
    client = Client()
    client.force_login(leader)
    log = url("time-log", home_deployment)
    outcomes = five_posts(leader, log, time_entry(token_of(client.get(log)), home_deployment))
    assert outcomes == ["done"] * 5
    assert TimeEntry.objects.filter(deployment=home_deployment).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_posts_of_one_variation_at_once_grant_its_days_once(la_officer, home_deployment):
    assert connection.vendor == "postgresql"
    client = Client()
    client.force_login(la_officer)
    page = url("variation-new", home_deployment)
    data = {"extra_days": "3", "reason": "An extra visit", "submission_token": token_of(client.get(page))}
    five_posts(la_officer, page, data)
    assert Variation.objects.filter(deployment=home_deployment).count() == 1
    assert services.days_allowed(home_deployment) == home_deployment.days_agreed + Decimal("3")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_posts_of_one_review_at_once_record_it_once(la_officer, home_deployment):
    assert connection.vendor == "postgresql"
    client = Client()
    client.force_login(la_officer)
    page = url("review-new", home_deployment)
    five_posts(la_officer, page, review_data(home_deployment, token_of(client.get(page))))
    assert ProgressReview.objects.filter(deployment=home_deployment).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_sends_of_one_agreement_at_once_email_the_parties_once(la_officer, proposed_deployment):
    assert connection.vendor == "postgresql"
    draft_phonics_agreement(
        proposed_deployment, actor=la_officer, starts_on=TODAY + datetime.timedelta(days=7)
    )
    client = Client()
    client.force_login(la_officer)
    page = url("agreement-send", proposed_deployment, 1)
    data = {"submission_token": token_of(client.get(page))}
    mail.outbox.clear()
    five_posts(la_officer, page, data)
    agreement = Agreement.objects.get(deployment=proposed_deployment)
    assert agreement.status == AgreementStatus.AWAITING_AGREEMENT
    assert len([m for m in mail.outbox if m.subject.startswith("Please agree")]) == 1
    assert Submission.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_leader_logging_one_date_on_two_deployments_at_once_stays_within_a_day(
    leader, lle_leader, home_deployment, home_school, home_la_org
):
    assert connection.vendor == "postgresql"
    second_request = SupportRequestFactory(commissioner=home_la_org, broker=home_la_org)
    second = agreed_deployment(support_request=second_request, designation=lle_leader)
    worked_on = school_day_for(home_deployment)
    assert school_day_for(second) == worked_on  # neither authority has term dates of its own

    outcomes = run_at_once(
        *[
            lambda deployment=deployment: services.log_time(
                deployment, actor=leader, worked_on=worked_on, days=Decimal("0.75")
            )
            for deployment in (home_deployment, second)
        ]
    )

    assert sorted(outcomes) == ["DeploymentError", "done"]
    assert TimeEntry.objects.filter(person=leader, worked_on=worked_on).count() == 1

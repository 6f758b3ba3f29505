"""The daily claims jobs: days still unclaimed 60 days after the month they were worked in, and
claims not decided for 30 days. Each tells the right people once, survives a crash mid-run, and
scans at a cost that does not grow with the rows."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from deployments.choices import AgreementStatus
from deployments.models import TimeEntry
from funding import job_emails, jobs, services, tasks
from funding.choices import ClaimState, NoticeKind
from funding.models import Claim, FundingNotice
from tests.factories import MembershipFactory, OrganisationFactory
from tests.factories.funding import ClaimSetting, make_claim
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db
SITE = "https://syslead.example.org"
# Days worked in September 2026 are owed a reminder from 29 November, 60 days after it ended.
SEPTEMBER = [datetime.date(2026, 9, 15), datetime.date(2026, 9, 22)]
OCTOBER = datetime.date(2026, 10, 6)
DUE = datetime.date(2026, 11, 29)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def setting() -> ClaimSetting:
    return ClaimSetting.create()


def worked(setting: ClaimSetting, *on: datetime.date) -> list[TimeEntry]:
    return [setting.log(Decimal("0.5"), worked_on=day) for day in on]


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def failing_on_call(number: int, error: BaseException):
    """A send_email that fails on its `number`-th call, the way a mail server or a worker does."""
    real_send = job_emails.send_email
    calls = {"n": 0}

    def send_email(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == number:
            raise error
        return real_send(*args, **kwargs)

    return send_email


class WorkerLost(BaseException):
    """Stands for the worker dying mid-run: nothing in the job may swallow it."""


def notices(kind) -> list[str]:
    return sorted(FundingNotice.objects.filter(kind=kind).values_list("key", flat=True))


# --- remind_unclaimed_days ---------------------------------------------------------------------


def test_days_unclaimed_60_days_after_their_month_go_to_the_claiming_schools_head_and_business_manager(
    setting,
):
    deployment = setting.deployment
    worked(setting, *SEPTEMBER)
    worked(setting, OCTOBER)  # its month ended 29 days before

    counts = jobs.remind_unclaimed_days(DUE)

    assert counts["reminded"] == 1
    assert notices(NoticeKind.UNCLAIMED_DAYS) == [f"{deployment.pk}:2026-09"]
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([setting.head.email, setting.business_manager.email])
    for outsider in (setting.commissioner, setting.supported_head, deployment.leader):
        assert outsider.email not in message.to
    assert "1 day delivered in September 2026 not yet claimed" in message.subject
    assert "15 September 2026: 0.5 days" in message.body
    assert f"{SITE}/claims/deployment/{deployment.pk}/new/" in message.body
    assert "October" not in message.body


def test_the_claiming_school_is_the_agreements_payee_not_the_leaders_school(setting):
    other = OrganisationFactory(kind=OrganisationKind.SCHOOL, name="Payee academy", school=SchoolFactory())
    sbm = MembershipFactory(organisation=other, role=Role.SCHOOL_BUSINESS_MANAGER).user
    setting.deployment.agreements.update(payee_school=other.school)
    worked(setting, SEPTEMBER[0])

    jobs.remind_unclaimed_days(DUE)

    assert mail.outbox[0].to == [sbm.email]


def test_days_on_a_deployment_with_nothing_agreed_are_not_reminded(setting):
    worked(setting, *SEPTEMBER)
    setting.deployment.agreements.update(status=AgreementStatus.SUPERSEDED)

    counts = jobs.remind_unclaimed_days(DUE)

    assert (counts["checked"], counts["reminded"]) == (0, 0)
    assert mail.outbox == []


def test_a_school_inbox_is_told_instead_of_its_people(setting):
    organisation = setting.head.memberships.get().organisation
    organisation.email = "office@leader-school.example.org"
    organisation.save()
    worked(setting, SEPTEMBER[0])

    jobs.remind_unclaimed_days(DUE)

    assert mail.outbox[0].to == ["office@leader-school.example.org"]


def test_59_days_after_the_month_ended_is_not_yet_60(setting):
    worked(setting, *SEPTEMBER)

    assert jobs.remind_unclaimed_days(DUE - days(1))["reminded"] == 0
    assert jobs.remind_unclaimed_days(DUE)["reminded"] == 1
    assert len(mail.outbox) == 1


def test_each_month_of_each_deployment_is_told_once_however_often_the_job_runs(setting):
    worked(setting, *SEPTEMBER, OCTOBER)
    other = ClaimSetting.create()
    worked(other, SEPTEMBER[1])

    for offset in range(40):
        jobs.remind_unclaimed_days(DUE + days(offset))

    assert notices(NoticeKind.UNCLAIMED_DAYS) == sorted(
        [
            f"{setting.deployment.pk}:2026-09",
            f"{setting.deployment.pk}:2026-10",
            f"{other.deployment.pk}:2026-09",
        ]
    )
    assert len(mail.outbox) == 3


def test_no_reminder_for_days_claimed(setting):
    worked(setting, *SEPTEMBER)
    make_claim(setting, period_start=SEPTEMBER[0], period_end=SEPTEMBER[-1])

    counts = jobs.remind_unclaimed_days(DUE)

    assert (counts["checked"], counts["reminded"]) == (0, 0)
    assert mail.outbox == []


def test_only_the_days_still_unclaimed_are_listed(setting):
    worked(setting, *SEPTEMBER)
    make_claim(setting, period_start=SEPTEMBER[0], period_end=SEPTEMBER[0])

    jobs.remind_unclaimed_days(DUE)

    assert "22 September 2026" in mail.outbox[0].body
    assert "15 September 2026" not in mail.outbox[0].body


def test_days_of_a_rejected_claim_are_unclaimed_again(setting):
    worked(setting, *SEPTEMBER)
    claim = make_claim(setting, period_start=SEPTEMBER[0], period_end=SEPTEMBER[-1])
    services.reject(claim, actor=setting.commissioner, reason="Wrong rate")
    mail.outbox.clear()

    assert jobs.remind_unclaimed_days(DUE)["reminded"] == 1
    assert "1 day delivered" in mail.outbox[0].subject


def test_a_school_with_no_one_to_tell_is_reminded_once_someone_can_be(setting):
    for user in (setting.head, setting.business_manager):
        user.is_active = False
        user.save()
    worked(setting, SEPTEMBER[0])

    assert jobs.remind_unclaimed_days(DUE)["no_recipient"] == 1
    assert not FundingNotice.objects.exists()

    setting.head.is_active = True
    setting.head.save()
    assert jobs.remind_unclaimed_days(DUE)["reminded"] == 1
    assert mail.outbox[0].to == [setting.head.email]


def test_a_failed_reminder_is_retried_by_the_next_run(monkeypatch):
    for _ in range(3):
        worked(ClaimSetting.create(), SEPTEMBER[0])
    monkeypatch.setattr(job_emails, "send_email", failing_on_call(2, ConnectionRefusedError("mail down")))

    first = jobs.remind_unclaimed_days(DUE)
    assert (first["reminded"], first["failed"]) == (2, 1)
    second = jobs.remind_unclaimed_days(DUE)
    assert (second["reminded"], second["failed"]) == (1, 0)
    assert len(mail.outbox) == 3 and FundingNotice.objects.count() == 3


def test_a_run_after_a_crash_mid_run_reminds_each_exactly_once(monkeypatch):
    settings_ = [ClaimSetting.create() for _ in range(4)]
    for each in settings_:
        worked(each, SEPTEMBER[0])
    monkeypatch.setattr(job_emails, "send_email", failing_on_call(2, WorkerLost()))

    with pytest.raises(WorkerLost):
        jobs.remind_unclaimed_days(DUE)
    assert len(mail.outbox) == 1 and FundingNotice.objects.count() == 1

    jobs.remind_unclaimed_days(DUE)
    jobs.remind_unclaimed_days(DUE)

    assert len(mail.outbox) == 4
    assert notices(NoticeKind.UNCLAIMED_DAYS) == sorted(f"{s.deployment.pk}:2026-09" for s in settings_)


def test_unclaimed_scan_costs_the_same_for_1_or_many_and_a_fixed_cost_per_reminder():
    worked(ClaimSetting.create(), *SEPTEMBER)
    first_1 = count_queries(lambda: jobs.remind_unclaimed_days(DUE, batch_size=50))
    rescan_1 = count_queries(lambda: jobs.remind_unclaimed_days(DUE, batch_size=50))
    for _ in range(6):
        worked(ClaimSetting.create(), *SEPTEMBER, datetime.date(2026, 7, 14))
    first_7 = count_queries(lambda: jobs.remind_unclaimed_days(DUE, batch_size=50))
    rescan_7 = count_queries(lambda: jobs.remind_unclaimed_days(DUE, batch_size=50))

    assert rescan_7 == rescan_1
    # Sending costs a fixed load per batch of deployments owed, plus a fixed cost per reminder:
    # each is its own small transaction (that is what makes a crash safe).
    per_reminder, remainder = divmod((first_7 - rescan_7) - (first_1 - rescan_1), 12 - 1)
    assert remainder == 0 and 1 <= per_reminder <= 3
    assert (first_1 - rescan_1) - per_reminder <= 6  # loading the batch owed
    assert len(mail.outbox) == 13


def test_unclaimed_scan_walks_in_batches():
    for _ in range(5):
        worked(ClaimSetting.create(), SEPTEMBER[0])

    counts = jobs.remind_unclaimed_days(DUE, batch_size=2)

    assert (counts["checked"], counts["reminded"]) == (5, 5)


# --- flag_overdue_claims -----------------------------------------------------------------------


def submitted(setting: ClaimSetting, *, days_ago: int, today: datetime.date = DUE, **kwargs) -> Claim:
    """A claim whose state last changed ``days_ago`` days before ``today``, at midday."""
    if not setting.deployment.time_entries.exists():
        worked(setting, SEPTEMBER[0])
    claim = make_claim(setting, period_start=SEPTEMBER[0], period_end=SEPTEMBER[-1])
    at = timezone.make_aware(datetime.datetime.combine(today - days(days_ago), datetime.time(12)))
    Claim.objects.filter(pk=claim.pk).update(state_changed_at=at, **kwargs)
    claim.refresh_from_db()
    return claim


def test_a_claim_undecided_for_30_days_is_flagged_to_the_commissioners_people(setting):
    claim = submitted(setting, days_ago=30)
    mail.outbox.clear()

    counts = jobs.flag_overdue_claims(DUE)

    assert counts["flagged"] == 1
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([setting.commissioner.email, setting.second_commissioner.email])
    assert setting.business_manager.email not in message.to
    assert f"Claim {claim.reference} has waited 30 days for a decision" in message.subject
    assert claim.claiming_school.name in message.body
    assert FundingNotice.objects.get(kind=NoticeKind.OVERDUE_CLAIM).claim == claim


def test_29_days_is_not_yet_overdue(setting):
    submitted(setting, days_ago=29)
    mail.outbox.clear()

    assert jobs.flag_overdue_claims(DUE)["checked"] == 0
    assert jobs.flag_overdue_claims(DUE + days(1))["flagged"] == 1


def test_a_claim_awaiting_its_second_approval_is_flagged_too(setting):
    submitted(setting, days_ago=45, state=ClaimState.AWAITING_SECOND_APPROVAL)
    mail.outbox.clear()

    jobs.flag_overdue_claims(DUE)

    assert "a second approval" in mail.outbox[0].subject


@pytest.mark.parametrize(
    "state",
    [
        ClaimState.INFORMATION_REQUESTED,
        ClaimState.APPROVED,
        ClaimState.PAID,
        ClaimState.REJECTED,
        ClaimState.WITHDRAWN,
    ],
)
def test_claims_waiting_on_the_school_or_decided_are_not_flagged(setting, state):
    submitted(setting, days_ago=90, state=state)
    mail.outbox.clear()

    assert jobs.flag_overdue_claims(DUE)["checked"] == 0
    assert mail.outbox == []


def test_a_claim_is_flagged_once_and_again_when_resubmitted_and_left_again(setting):
    claim = submitted(setting, days_ago=30)
    mail.outbox.clear()
    for offset in range(10):
        jobs.flag_overdue_claims(DUE + days(offset))
    assert len(mail.outbox) == 1

    services.request_information(claim, actor=setting.commissioner, note="Which weeks?")
    services.give_information(claim, actor=setting.business_manager, note="Weeks 1 and 2")
    claim.refresh_from_db()
    mail.outbox.clear()
    resubmitted_on = timezone.localtime(claim.state_changed_at).date()
    jobs.flag_overdue_claims(resubmitted_on + days(29))
    assert mail.outbox == []
    jobs.flag_overdue_claims(resubmitted_on + days(30))
    jobs.flag_overdue_claims(resubmitted_on + days(31))

    assert len(mail.outbox) == 1
    assert FundingNotice.objects.filter(kind=NoticeKind.OVERDUE_CLAIM, claim=claim).count() == 2


def test_a_commissioner_with_no_one_to_tell_is_told_once_someone_can_be(setting):
    submitted(setting, days_ago=30)
    mail.outbox.clear()
    for user in (setting.commissioner, setting.second_commissioner):
        user.is_active = False
        user.save()

    assert jobs.flag_overdue_claims(DUE)["no_recipient"] == 1
    setting.deployment.commissioner.email = "claims@council.example.org"
    setting.deployment.commissioner.save()
    assert jobs.flag_overdue_claims(DUE)["flagged"] == 1
    assert mail.outbox[0].to == ["claims@council.example.org"]


def test_a_run_after_a_crash_mid_run_flags_each_claim_exactly_once(monkeypatch):
    claims = [submitted(ClaimSetting.create(), days_ago=30 + n) for n in range(4)]
    mail.outbox.clear()
    monkeypatch.setattr(job_emails, "send_email", failing_on_call(2, WorkerLost()))

    with pytest.raises(WorkerLost):
        jobs.flag_overdue_claims(DUE)
    assert len(mail.outbox) == 1 and FundingNotice.objects.count() == 1

    jobs.flag_overdue_claims(DUE)
    jobs.flag_overdue_claims(DUE)

    assert len(mail.outbox) == 4
    flagged = FundingNotice.objects.filter(kind=NoticeKind.OVERDUE_CLAIM).values_list("claim", flat=True)
    assert sorted(flagged) == sorted(c.pk for c in claims)


def test_overdue_scan_costs_the_same_for_1_or_many_and_a_fixed_cost_per_flag():
    submitted(ClaimSetting.create(), days_ago=40)
    mail.outbox.clear()
    first_1 = count_queries(lambda: jobs.flag_overdue_claims(DUE))
    rescan_1 = count_queries(lambda: jobs.flag_overdue_claims(DUE))
    for n in range(6):
        submitted(ClaimSetting.create(), days_ago=30 + n)
    mail.outbox.clear()
    first_7 = count_queries(lambda: jobs.flag_overdue_claims(DUE))
    rescan_7 = count_queries(lambda: jobs.flag_overdue_claims(DUE))

    assert rescan_7 == rescan_1
    assert (first_7 - rescan_7) / 6 == first_1 - rescan_1
    assert len(mail.outbox) == 6


# --- tasks, commands and the schedule ----------------------------------------------------------


JOBS = ["remind_unclaimed_days", "flag_overdue_claims"]


def test_the_tasks_run_the_jobs_and_return_their_counts(setting):
    worked(setting, SEPTEMBER[0])
    submitted(ClaimSetting.create(), days_ago=31)
    mail.outbox.clear()
    on = DUE.isoformat()

    reminded = tasks.remind_unclaimed_days.apply(kwargs={"today": on}).get()
    flagged = tasks.flag_overdue_claims.apply(kwargs={"today": on}).get()

    assert (reminded["reminded"], flagged["flagged"]) == (1, 1)
    assert len(mail.outbox) == 2


def test_the_tasks_default_to_today():
    assert tasks.flag_overdue_claims.apply().get()["checked"] == 0


def test_the_tasks_have_their_names():
    assert {tasks.remind_unclaimed_days.name, tasks.flag_overdue_claims.name} == {
        f"funding.{job}" for job in JOBS
    }


def test_the_commands_print_the_counts(setting):
    worked(setting, SEPTEMBER[0])
    out = {}
    for job in JOBS:
        out[job] = io.StringIO()
        call_command(job, "--date", DUE.isoformat(), stdout=out[job])

    assert "reminded: 1\n" in out["remind_unclaimed_days"].getvalue()
    assert "checked: 0\n" in out["flag_overdue_claims"].getvalue()


@pytest.mark.parametrize("command", JOBS)
def test_the_commands_refuse_a_bad_date_clearly(command):
    with pytest.raises(CommandError, match="--date must be a date written as YYYY-MM-DD, not “2 Nov”"):
        call_command(command, "--date", "2 Nov")


def test_the_jobs_are_scheduled_daily():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    times = [schedule[f"funding.{job}"] for job in JOBS]
    assert [(t.hour, t.minute) for t in times] == [({7}, {0}), ({7}, {30})]

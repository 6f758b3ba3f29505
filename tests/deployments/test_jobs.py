"""The daily deployment jobs: review reminders, stalled deployments, closing at the end date (and
starting on the start date), undeployed SLEs. Each tells the right people, is idempotent, survives
a crash mid-run, and scans at a cost that does not grow with the rows."""

import datetime
import io
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from deployments import emails, jobs, services, tasks
from deployments.choices import DeploymentState, NoticeKind, ReminderKind
from deployments.models import DeploymentTransition, Notice, ReviewReminder
from designations.choices import DesignationStatus
from designations.models import DesignationType
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import DeploymentFactory
from tests.factories.designations import DesignationFactory
from tests.factories.schooldays import in_term, national_dates, term_period

pytestmark = pytest.mark.django_db
State = DeploymentState
TODAY = datetime.date(2026, 11, 2)
SITE = "https://syslead.example.org"


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def member(organisation, role, email, **user):
    return MembershipFactory(user=UserFactory(email=email, **user), organisation=organisation, role=role).user


@dataclass
class Orgs:
    broker_org: object
    commissioner_org: object
    supported_school: object
    broker: object
    commissioner: object
    supported_head: object


@pytest.fixture
def orgs(db) -> Orgs:
    supported = SchoolFactory(name="Supported Primary")
    # Every weekday around TODAY is a school day here: a stall is four school weeks (see the
    # holiday tests below for half term and the summer).
    in_term(supported.local_authority, TODAY - days(200), TODAY + days(60))
    supported_org = OrganisationFactory(kind=OrganisationKind.SCHOOL, school=supported, name=supported.name)
    broker_org = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, name="Broker council")
    commissioner_org = OrganisationFactory(kind=OrganisationKind.DIOCESE, name="Diocese of Ely")
    return Orgs(
        broker_org=broker_org,
        commissioner_org=commissioner_org,
        supported_school=supported,
        broker=member(broker_org, Role.LA_OFFICER, "officer@broker.example.org"),
        commissioner=member(commissioner_org, Role.COMMISSIONER, "commissioner@diocese.example.org"),
        supported_head=member(supported_org, Role.SCHOOL_LEADER, "head@supported.example.org"),
    )


@pytest.fixture
def make(orgs):
    """A deployment (active, started 60 days before TODAY, ending in 120 days) for the cast."""

    def make_deployment(**kwargs):
        request = SupportRequestFactory(
            school=orgs.supported_school, commissioner=orgs.commissioner_org, broker=orgs.broker_org
        )
        kwargs.setdefault("starts_on", TODAY - days(60))
        kwargs.setdefault("ends_on", TODAY + days(120))
        kwargs.setdefault("next_review_on", TODAY + days(60))
        kwargs.setdefault("last_time_logged_on", TODAY - days(3))
        return DeploymentFactory(support_request=request, **kwargs)

    return make_deployment


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def failing_on_call(number: int, error: BaseException):
    """A send_email that fails on its `number`-th call, the way a mail server or a worker does."""
    real_send = emails.send_email
    calls = {"n": 0}

    def send_email(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == number:
            raise error
        return real_send(*args, **kwargs)

    return send_email


class WorkerLost(BaseException):
    """Stands for the worker dying mid-run: nothing in the job may swallow it."""


def deployment_link(deployment) -> str:
    return f"{SITE}{reverse('deployments:deployment-detail', args=[deployment.pk])}"


# --- send_deployment_review_reminders ----------------------------------------------------------


def reminders():
    return sorted(ReviewReminder.objects.values_list("deployment_id", "due_on", "kind"))


@pytest.mark.parametrize(
    ("due_in", "kind"),
    [
        (14, ReminderKind.DUE_SOON),
        (1, ReminderKind.DUE_SOON),
        (0, ReminderKind.DUE_TODAY),
        (-1, ReminderKind.OVERDUE),
        (-60, ReminderKind.OVERDUE),
    ],
)
def test_the_reminder_a_review_is_owed_goes_to_the_broker(make, orgs, due_in, kind):
    deployment = make(next_review_on=TODAY + days(due_in))

    counts = jobs.send_deployment_review_reminders(TODAY)

    assert counts[kind] == 1
    assert reminders() == [(deployment.pk, TODAY + days(due_in), kind)]
    (message,) = mail.outbox
    assert message.to == [orgs.broker.email]
    assert (
        deployment_link(deployment) in message.body
        and deployment_link(deployment) in message.alternatives[0][0]
    )
    assert message.subject.startswith(
        {"due_14": "Due in", "due_today": "Due today", "overdue": "Overdue"}[kind]
    )


@pytest.mark.parametrize("state", [State.PAUSED, State.AWAITING_FINAL_EVALUATION])
def test_paused_and_awaiting_deployments_are_reminded_too(make, state):
    make(state=state, next_review_on=TODAY)
    assert jobs.send_deployment_review_reminders(TODAY)["due_today"] == 1


@pytest.mark.parametrize("state", [State.PROPOSED, State.AGREED, State.COMPLETED, State.ENDED_EARLY])
def test_no_reminder_outside_the_reviewed_states_far_off_or_without_a_date(make, state):
    make(state=state, next_review_on=TODAY - days(1))
    make(next_review_on=TODAY + days(15))
    make(next_review_on=None)

    counts = jobs.send_deployment_review_reminders(TODAY)

    assert counts["checked"] == 0
    assert mail.outbox == []


def test_run_daily_a_review_gets_each_reminder_once_and_a_new_due_date_starts_again(make):
    deployment = make(next_review_on=TODAY + days(20))
    for offset in range(30):
        jobs.send_deployment_review_reminders(TODAY + days(offset))

    due_on = TODAY + days(20)
    assert reminders() == sorted(
        [
            (deployment.pk, due_on, ReminderKind.DUE_SOON),
            (deployment.pk, due_on, ReminderKind.DUE_TODAY),
            (deployment.pk, due_on, ReminderKind.OVERDUE),
        ]
    )
    assert len(mail.outbox) == 3

    deployment.next_review_on = TODAY + days(70)  # the review was recorded; the next is set
    deployment.save()
    jobs.send_deployment_review_reminders(TODAY + days(60))
    assert len(mail.outbox) == 4
    assert ReviewReminder.objects.filter(due_on=TODAY + days(70), kind=ReminderKind.DUE_SOON).count() == 1


def test_a_second_run_sends_nothing(make):
    for due_in in (10, 0, -3):
        make(next_review_on=TODAY + days(due_in))
    first = jobs.send_deployment_review_reminders(TODAY)
    second = jobs.send_deployment_review_reminders(TODAY)
    assert (first["due_14"], first["due_today"], first["overdue"]) == (1, 1, 1)
    assert (second["due_14"], second["due_today"], second["overdue"]) == (0, 0, 0)
    assert len(mail.outbox) == 3


def test_a_failed_reminder_is_retried_by_the_next_run(make, monkeypatch):
    for due_in in (1, 2, 3):
        make(next_review_on=TODAY + days(due_in))
    monkeypatch.setattr(emails, "send_email", failing_on_call(2, ConnectionRefusedError("mail server down")))

    first = jobs.send_deployment_review_reminders(TODAY)
    assert (first["due_14"], first["failed"]) == (2, 1)
    second = jobs.send_deployment_review_reminders(TODAY)
    assert (second["due_14"], second["failed"]) == (1, 0)
    assert len(mail.outbox) == 3 and ReviewReminder.objects.count() == 3


def test_a_run_after_a_crash_mid_run_reminds_each_exactly_once(make, monkeypatch):
    deployments = [make(next_review_on=TODAY + days(due_in)) for due_in in (-5, 0, 4, 9)]
    monkeypatch.setattr(emails, "send_email", failing_on_call(2, WorkerLost()))

    with pytest.raises(WorkerLost):
        jobs.send_deployment_review_reminders(TODAY)
    assert len(mail.outbox) == 1 and ReviewReminder.objects.count() == 1

    jobs.send_deployment_review_reminders(TODAY)
    jobs.send_deployment_review_reminders(TODAY)

    assert len(mail.outbox) == 4
    assert [r[0] for r in reminders()] == [d.pk for d in deployments]


def test_a_broker_with_no_one_to_email_is_reminded_once_someone_can_be(make, orgs):
    orgs.broker.is_active = False
    orgs.broker.save()
    make(next_review_on=TODAY)

    assert jobs.send_deployment_review_reminders(TODAY)["no_recipient"] == 1
    assert not ReviewReminder.objects.exists()

    orgs.broker_org.email = "brokerage@broker.example.org"
    orgs.broker_org.save()
    assert jobs.send_deployment_review_reminders(TODAY)["due_today"] == 1
    assert mail.outbox[0].to == ["brokerage@broker.example.org"]


def test_reminders_scan_at_the_same_cost_for_3_or_30_and_a_fixed_cost_per_send(make):
    for due_in in range(3):
        make(next_review_on=TODAY + days(due_in))
    first_3 = count_queries(lambda: jobs.send_deployment_review_reminders(TODAY))
    rescan_3 = count_queries(lambda: jobs.send_deployment_review_reminders(TODAY))
    for due_in in range(27):
        make(next_review_on=TODAY + days(due_in % 14 + 1))
    first_30 = count_queries(lambda: jobs.send_deployment_review_reminders(TODAY))
    rescan_30 = count_queries(lambda: jobs.send_deployment_review_reminders(TODAY))

    assert rescan_30 == rescan_3
    # Each reminder is its own small transaction (that is what makes a crash safe): a fixed cost.
    assert (first_30 - rescan_30) / 27 == (first_3 - rescan_3) / 3
    assert len(mail.outbox) == 30


# --- flag_stalled_deployments ------------------------------------------------------------------


def notices(kind):
    return sorted(Notice.objects.filter(kind=kind).values_list("deployment_id", "key"))


def test_an_active_deployment_with_no_time_for_four_weeks_is_flagged_to_broker_and_commissioner(make, orgs):
    deployment = make(last_time_logged_on=TODAY - days(29))

    counts = jobs.flag_stalled_deployments(TODAY)

    assert counts["flagged"] == 1
    assert notices(NoticeKind.STALLED) == [(deployment.pk, (TODAY - days(29)).isoformat())]
    (message,) = mail.outbox
    assert message.to == [orgs.broker.email, orgs.commissioner.email]
    assert "No time logged for 29 days" in message.subject
    assert deployment_link(deployment) in message.body


def test_one_never_logged_on_is_flagged_from_its_start(make):
    deployment = make(starts_on=TODAY - days(40), last_time_logged_on=None)

    jobs.flag_stalled_deployments(TODAY)

    assert notices(NoticeKind.STALLED) == [(deployment.pk, "start")]
    assert "since it started" in mail.outbox[0].body


def test_recent_time_a_fresh_start_or_another_state_is_not_flagged(make):
    make(last_time_logged_on=TODAY - days(27))
    make(starts_on=TODAY - days(10), last_time_logged_on=None)
    for state in (State.PAUSED, State.AGREED, State.AWAITING_FINAL_EVALUATION, State.COMPLETED):
        make(state=state, last_time_logged_on=TODAY - days(60))

    assert jobs.flag_stalled_deployments(TODAY)["checked"] == 0
    assert mail.outbox == []


def test_a_stall_is_flagged_once_and_a_later_stall_again(make):
    deployment = make(last_time_logged_on=TODAY - days(30))
    for offset in range(10):
        jobs.flag_stalled_deployments(TODAY + days(offset))
    assert len(mail.outbox) == 1

    deployment.last_time_logged_on = TODAY + days(5)  # time was logged again
    deployment.save()
    jobs.flag_stalled_deployments(TODAY + days(20))
    assert len(mail.outbox) == 1
    for offset in range(34, 40):
        jobs.flag_stalled_deployments(TODAY + days(offset))

    assert len(mail.outbox) == 2
    assert notices(NoticeKind.STALLED) == sorted(
        [(deployment.pk, (TODAY - days(30)).isoformat()), (deployment.pk, (TODAY + days(5)).isoformat())]
    )


def test_a_run_after_a_crash_mid_run_flags_each_stall_exactly_once(make, monkeypatch):
    stalled = [make(last_time_logged_on=TODAY - days(30 + n)) for n in range(4)]
    monkeypatch.setattr(emails, "send_email", failing_on_call(2, WorkerLost()))

    with pytest.raises(WorkerLost):
        jobs.flag_stalled_deployments(TODAY)
    assert len(mail.outbox) == 1 and Notice.objects.count() == 1

    jobs.flag_stalled_deployments(TODAY)
    jobs.flag_stalled_deployments(TODAY)

    assert len(mail.outbox) == 4
    assert [pk for pk, _key in notices(NoticeKind.STALLED)] == [d.pk for d in stalled]


def test_stalled_scan_costs_the_same_for_3_or_30_and_a_fixed_cost_per_flag(make):
    for _ in range(3):
        make(last_time_logged_on=TODAY - days(40))
    first_3 = count_queries(lambda: jobs.flag_stalled_deployments(TODAY))
    rescan_3 = count_queries(lambda: jobs.flag_stalled_deployments(TODAY))
    for _ in range(27):
        make(last_time_logged_on=TODAY - days(40))
    first_30 = count_queries(lambda: jobs.flag_stalled_deployments(TODAY))
    rescan_30 = count_queries(lambda: jobs.flag_stalled_deployments(TODAY))

    assert rescan_30 == rescan_3
    assert (first_30 - rescan_30) / 27 == (first_3 - rescan_3) / 3
    assert Notice.objects.count() == 30


@pytest.fixture
def quiet_over_the_summer(make):
    """Time last logged on 20 July 2026, two school days before the summer holidays (the autumn term
    starts on 3 September)."""
    school = SchoolFactory(name="Holiday Primary")
    term_period(datetime.date(2026, 4, 20), datetime.date(2026, 7, 22), school.local_authority, "Summer")
    term_period(datetime.date(2026, 9, 3), datetime.date(2026, 10, 23), school.local_authority, "Autumn")
    return make(
        supported_school=school,
        starts_on=datetime.date(2026, 5, 4),
        last_time_logged_on=datetime.date(2026, 7, 20),
    )


def test_a_deployment_quiet_over_the_summer_holidays_stalls_only_after_four_school_weeks(
    quiet_over_the_summer,
):
    deployment = quiet_over_the_summer
    # Fifty days, but six school days: the summer holidays are not a stall.
    assert jobs.flag_stalled_deployments(datetime.date(2026, 9, 8))["flagged"] == 0
    # The 19th school day since, then the 20th: four school weeks.
    assert jobs.flag_stalled_deployments(datetime.date(2026, 9, 25))["flagged"] == 0
    assert jobs.flag_stalled_deployments(datetime.date(2026, 9, 28))["flagged"] == 1
    assert notices(NoticeKind.STALLED) == [(deployment.pk, "2026-07-20")]


@pytest.mark.parametrize(
    ("day", "stalled"),
    [
        (datetime.date(2026, 9, 8), False),
        (datetime.date(2026, 9, 25), False),
        (datetime.date(2026, 9, 28), True),
    ],
)
def test_the_leaders_log_time_task_follows_the_same_school_week_rule(quiet_over_the_summer, day, stalled):
    from deployments.worklist import deployments_to_follow_up

    leader = quiet_over_the_summer.leader
    tasks = [task for task in deployments_to_follow_up(leader, day) if task.kind == "log-time"]

    assert bool(tasks) is stalled
    assert (jobs.flag_stalled_deployments(day)["checked"] == 1) is stalled


def test_half_term_in_the_national_default_does_not_count_towards_a_stall(make):
    """An authority without dates of its own counts over the national default's."""
    national_dates([(datetime.date(2026, 9, 2), datetime.date(2026, 10, 23)),
                    (datetime.date(2026, 11, 2), datetime.date(2026, 12, 18))])
    school = SchoolFactory(name="Default Primary")
    make(supported_school=school, last_time_logged_on=TODAY - days(28))

    # 28 days back from Monday 2 November, with half term in them: three school weeks.
    assert jobs.flag_stalled_deployments(TODAY)["flagged"] == 0
    assert jobs.flag_stalled_deployments(TODAY + days(7))["flagged"] == 1


def test_the_stall_rule_reads_the_term_dates_of_any_number_of_authorities_in_one_query(make):
    def quiet_in_an_authority_with_own_dates(n: int):
        school = SchoolFactory(name=f"Own dates {n}")
        in_term(school.local_authority, TODAY - days(200), TODAY)
        make(supported_school=school, last_time_logged_on=TODAY - days(40))

    for n in range(2):
        quiet_in_an_authority_with_own_dates(n)
    jobs.flag_stalled_deployments(TODAY)
    rescan_few = count_queries(lambda: jobs.flag_stalled_deployments(TODAY))
    for n in range(2, 8):
        quiet_in_an_authority_with_own_dates(n)
    assert jobs.flag_stalled_deployments(TODAY)["flagged"] == 6

    assert count_queries(lambda: jobs.flag_stalled_deployments(TODAY)) == rescan_few


# --- close_ended_deployments -------------------------------------------------------------------


def test_an_agreed_deployment_starts_on_its_start_date(make, orgs, django_capture_on_commit_callbacks):
    due = make(state=State.AGREED, starts_on=TODAY, last_time_logged_on=None)
    later = make(state=State.AGREED, starts_on=TODAY + days(1), last_time_logged_on=None)

    with django_capture_on_commit_callbacks(execute=True):
        counts = jobs.close_ended_deployments(TODAY)

    assert counts["started"] == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.state, later.state) == (State.ACTIVE, State.AGREED)
    (message,) = mail.outbox
    assert message.subject.startswith("Active:")
    assert orgs.broker.email in message.to and orgs.supported_head.email in message.to
    assert jobs.close_ended_deployments(TODAY)["started"] == 0


def test_a_deployment_past_its_end_date_awaits_final_evaluation_and_people_are_told_once(
    make, orgs, django_capture_on_commit_callbacks
):
    deployment = make(ends_on=TODAY - days(1))
    make(ends_on=TODAY)  # ends today: not yet past its end

    with django_capture_on_commit_callbacks(execute=True):
        counts = jobs.close_ended_deployments(TODAY)

    assert (counts["checked"], counts["closed"]) == (1, 1)
    deployment.refresh_from_db()
    assert deployment.state == State.AWAITING_FINAL_EVALUATION
    transition = DeploymentTransition.objects.get(deployment=deployment)
    assert (transition.from_state, transition.to_state, transition.actor) == (
        State.ACTIVE,
        State.AWAITING_FINAL_EVALUATION,
        None,
    )
    notice = Notice.objects.get(kind=NoticeKind.CLOSED_AT_END)
    assert (notice.deployment, notice.key, notice.sent_at is not None) == (
        deployment,
        (TODAY - days(1)).isoformat(),
        True,
    )
    # One email (the state change is not told twice), to the broker, the leader and the school.
    (message,) = mail.outbox
    assert message.to == [orgs.broker.email, deployment.leader.email, orgs.supported_head.email]
    assert message.subject.startswith("Final evaluation due")
    assert deployment_link(deployment) in message.body

    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.close_ended_deployments(TODAY)
    assert again["closed"] == 0
    assert len(mail.outbox) == 1


def test_a_paused_deployment_past_its_end_date_is_closed_too(make):
    deployment = make(state=State.PAUSED, ends_on=TODAY - days(5))

    jobs.close_ended_deployments(TODAY)

    deployment.refresh_from_db()
    assert deployment.state == State.AWAITING_FINAL_EVALUATION
    moves = list(
        DeploymentTransition.objects.filter(deployment=deployment).values_list("from_state", "to_state")
    )
    assert moves == [(State.PAUSED, State.AWAITING_FINAL_EVALUATION)]
    assert len(mail.outbox) == 1


def test_a_broker_closing_by_hand_is_still_told_as_a_state_change(
    make, orgs, django_capture_on_commit_callbacks
):
    deployment = make(ends_on=TODAY - days(1))
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(deployment, State.AWAITING_FINAL_EVALUATION, actor=orgs.broker)

    (message,) = mail.outbox
    assert message.subject.startswith("Awaiting final evaluation:")
    assert jobs.close_ended_deployments(TODAY)["checked"] == 0


def test_with_no_one_to_tell_it_still_closes(make, orgs):
    orgs.broker.is_active = False
    orgs.broker.save()
    orgs.supported_head.is_active = False
    orgs.supported_head.save()
    deployment = make(ends_on=TODAY - days(1))
    deployment.leader.is_active = False
    deployment.leader.save()

    counts = jobs.close_ended_deployments(TODAY)

    assert (counts["closed"], counts["no_recipient"]) == (1, 1)
    deployment.refresh_from_db()
    assert deployment.state == State.AWAITING_FINAL_EVALUATION
    assert Notice.objects.get(kind=NoticeKind.CLOSED_AT_END).sent_at is None
    assert mail.outbox == []


def test_a_run_after_a_crash_mid_run_closes_and_tells_each_exactly_once(make, monkeypatch):
    ended = [make(ends_on=TODAY - days(n + 1)) for n in range(4)]
    monkeypatch.setattr(emails, "send_email", failing_on_call(2, WorkerLost()))

    with pytest.raises(WorkerLost):
        jobs.close_ended_deployments(TODAY)
    states = [d.state for d in type(ended[0]).objects.filter(pk__in=[d.pk for d in ended]).order_by("pk")]
    assert states == [State.AWAITING_FINAL_EVALUATION, State.ACTIVE, State.ACTIVE, State.ACTIVE]
    assert len(mail.outbox) == 1 and Notice.objects.count() == 1

    jobs.close_ended_deployments(TODAY)
    jobs.close_ended_deployments(TODAY)

    assert len(mail.outbox) == 4
    assert [pk for pk, _key in notices(NoticeKind.CLOSED_AT_END)] == [d.pk for d in ended]
    assert DeploymentTransition.objects.count() == 4


def test_a_failed_send_leaves_the_deployment_open_for_the_next_run(make, monkeypatch):
    deployment = make(ends_on=TODAY - days(1))
    monkeypatch.setattr(emails, "send_email", failing_on_call(1, ConnectionRefusedError("mail server down")))

    assert jobs.close_ended_deployments(TODAY)["failed"] == 1
    deployment.refresh_from_db()
    assert deployment.state == State.ACTIVE and not Notice.objects.exists()

    assert jobs.close_ended_deployments(TODAY)["closed"] == 1
    assert len(mail.outbox) == 1


def test_closing_scans_at_the_same_cost_for_3_or_30_and_a_fixed_cost_per_close(make):
    def make_ended(n):
        for _ in range(n):
            make(ends_on=TODAY - days(1))
            make(state=State.AGREED, starts_on=TODAY - days(1), last_time_logged_on=None)

    make_ended(3)
    first_3 = count_queries(lambda: jobs.close_ended_deployments(TODAY))
    rescan_3 = count_queries(lambda: jobs.close_ended_deployments(TODAY))
    make_ended(10)
    first_10 = count_queries(lambda: jobs.close_ended_deployments(TODAY))
    make_ended(30)
    first_30 = count_queries(lambda: jobs.close_ended_deployments(TODAY))
    rescan_30 = count_queries(lambda: jobs.close_ended_deployments(TODAY))

    assert rescan_30 == rescan_3
    # Each start and close is its own transaction through the state machine: a fixed cost per row
    # on top of a fixed cost per batch.
    per_row = (first_30 - first_10) / 20
    assert per_row == int(per_row)
    assert first_10 - first_3 == 7 * per_row
    assert Notice.objects.count() == 43


# --- flag_undeployed_sles ----------------------------------------------------------------------


@pytest.fixture
def sle(teaching_school_org):
    sle_type = DesignationType.objects.get(code="SLE")

    def make_sle(months_ago: int = 4, organisation=None, **kwargs):
        designated_on = datetime.date(TODAY.year, TODAY.month - months_ago, TODAY.day)
        return DesignationFactory(
            designation_type=sle_type,
            designating_organisation=organisation or teaching_school_org,
            designated_on=designated_on,
            **kwargs,
        )

    return make_sle


def undeployed():
    return sorted(Notice.objects.filter(kind=NoticeKind.UNDEPLOYED_SLE).values_list("designation_id", "key"))


def test_sles_not_deployed_in_three_months_are_told_to_their_teaching_school_in_one_email(
    sle, teaching_school_lead
):
    first, second = sle(4), sle(7)

    counts = jobs.flag_undeployed_sles(TODAY)

    assert (counts["flagged"], counts["emails"]) == (2, 1)
    assert undeployed() == [(first.pk, "3-months"), (second.pk, "3-months")]
    (message,) = mail.outbox
    assert message.to == [teaching_school_lead.email]
    assert message.subject == "2 SLEs not deployed within three months of designation"
    assert str(first.holder) in message.body and str(second.holder) in message.body
    assert f"{SITE}{reverse('pool:index')}" in message.body


def test_deployed_recent_other_types_and_inactive_designations_are_not_flagged(
    sle, teaching_school_lead, teaching_school_org
):
    deployed = sle(5)
    DeploymentFactory(designation=deployed, state=State.COMPLETED)
    sle(2)  # designated two months ago
    sle(5, status=DesignationStatus.SUSPENDED)
    DesignationFactory(
        designation_type=DesignationType.objects.get(code="LLE"), designated_on=TODAY - days(200)
    )
    only_proposed = sle(5)
    DeploymentFactory(designation=only_proposed, state=State.PROPOSED)
    DeploymentFactory(designation=only_proposed, state=State.ENDED_EARLY)

    jobs.flag_undeployed_sles(TODAY)

    assert undeployed() == [(only_proposed.pk, "3-months")]


def test_three_months_to_the_day_is_not_yet_more_than_three_months(sle, teaching_school_lead):
    sle(3)
    assert jobs.flag_undeployed_sles(TODAY)["checked"] == 0
    assert jobs.flag_undeployed_sles(TODAY + days(1))["flagged"] == 1


def test_each_teaching_school_hears_of_its_own_sles_once(sle, teaching_school_lead):
    other_ts = OrganisationFactory(kind=OrganisationKind.TEACHING_SCHOOL, name="Other teaching school")
    other_lead = member(other_ts, Role.TEACHING_SCHOOL_LEAD, "lead@other-ts.example.org")
    mine, theirs = sle(4), sle(4, organisation=other_ts)

    jobs.flag_undeployed_sles(TODAY)
    for offset in range(1, 40):
        jobs.flag_undeployed_sles(TODAY + days(offset))

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        (other_lead.email, "1 SLE not deployed within three months of designation"),
        (teaching_school_lead.email, "1 SLE not deployed within three months of designation"),
    ]
    assert undeployed() == sorted([(mine.pk, "3-months"), (theirs.pk, "3-months")])


def test_a_run_after_a_crash_mid_run_tells_each_teaching_school_exactly_once(
    sle, teaching_school_lead, monkeypatch
):
    other_ts = OrganisationFactory(kind=OrganisationKind.TEACHING_SCHOOL, name="Other teaching school")
    member(other_ts, Role.TEACHING_SCHOOL_LEAD, "lead@other-ts.example.org")
    sle(4), sle(5), sle(4, organisation=other_ts), sle(6, organisation=other_ts)
    monkeypatch.setattr(emails, "send_email", failing_on_call(2, WorkerLost()))

    with pytest.raises(WorkerLost):
        jobs.flag_undeployed_sles(TODAY)
    assert len(mail.outbox) == 1 and len(undeployed()) == 2

    jobs.flag_undeployed_sles(TODAY)
    jobs.flag_undeployed_sles(TODAY)

    assert len(mail.outbox) == 2
    assert len(undeployed()) == 4
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@other-ts.example.org", teaching_school_lead.email]


def test_a_teaching_school_with_no_one_to_tell_is_told_once_someone_can_be(sle, teaching_school_org):
    sle(4)
    assert jobs.flag_undeployed_sles(TODAY)["no_recipient"] == 1
    assert undeployed() == []

    teaching_school_org.email = "pool@teaching.example.org"
    teaching_school_org.save()
    assert jobs.flag_undeployed_sles(TODAY)["flagged"] == 1
    assert mail.outbox[0].to == ["pool@teaching.example.org"]


def test_undeployed_scan_costs_the_same_for_3_or_30(sle, teaching_school_lead):
    for _ in range(3):
        sle(4)
    first_3 = count_queries(lambda: jobs.flag_undeployed_sles(TODAY))
    rescan_3 = count_queries(lambda: jobs.flag_undeployed_sles(TODAY))
    for _ in range(27):
        sle(5)
    first_30 = count_queries(lambda: jobs.flag_undeployed_sles(TODAY))
    rescan_30 = count_queries(lambda: jobs.flag_undeployed_sles(TODAY))

    assert (first_30, rescan_30) == (first_3, rescan_3)
    assert len(undeployed()) == 30 and len(mail.outbox) == 2


# --- tasks, commands and the schedule ----------------------------------------------------------


JOBS = [
    "send_deployment_review_reminders",
    "flag_stalled_deployments",
    "close_ended_deployments",
    "flag_undeployed_sles",
]


def test_the_tasks_run_the_jobs_and_return_their_counts(eager_celery, make, sle, teaching_school_lead):
    make(next_review_on=TODAY - days(1), last_time_logged_on=TODAY - days(40), ends_on=TODAY - days(1))
    sle(4)
    on = TODAY.isoformat()

    reminded = tasks.send_deployment_review_reminders.delay(today=on).get(timeout=10)
    stalled = tasks.flag_stalled_deployments.delay(today=on).get(timeout=10)
    closed = tasks.close_ended_deployments.delay(today=on).get(timeout=10)
    flagged = tasks.flag_undeployed_sles.delay(today=on).get(timeout=10)

    assert (reminded["overdue"], stalled["flagged"], closed["closed"], flagged["flagged"]) == (1, 1, 1, 1)
    assert len(mail.outbox) == 4


def test_the_tasks_default_to_today(eager_celery, make):
    make(next_review_on=timezone.localdate())
    assert tasks.send_deployment_review_reminders.delay().get(timeout=10)["due_today"] == 1


def test_the_tasks_have_their_names():
    names = {
        tasks.send_deployment_review_reminders.name,
        tasks.flag_stalled_deployments.name,
        tasks.close_ended_deployments.name,
        tasks.flag_undeployed_sles.name,
    }
    assert names == {f"deployments.{job}" for job in JOBS}


def test_the_commands_print_the_counts(make):
    make(next_review_on=TODAY - days(1), last_time_logged_on=TODAY - days(40), ends_on=TODAY - days(1))
    out = {}
    for job in JOBS:
        out[job] = io.StringIO()
        call_command(job, "--date", TODAY.isoformat(), stdout=out[job])

    assert "overdue: 1\n" in out["send_deployment_review_reminders"].getvalue()
    assert "flagged: 1\n" in out["flag_stalled_deployments"].getvalue()
    assert "closed: 1\n" in out["close_ended_deployments"].getvalue()
    assert "checked: 0\n" in out["flag_undeployed_sles"].getvalue()


@pytest.mark.parametrize("command", JOBS)
def test_the_commands_refuse_a_bad_date_clearly(command):
    with pytest.raises(CommandError, match="--date must be a date written as YYYY-MM-DD, not “2 Nov”"):
        call_command(command, "--date", "2 Nov")


def test_the_jobs_are_scheduled_daily():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    times = [schedule[f"deployments.{job}"] for job in JOBS]
    assert [(t.hour, t.minute) for t in times] == [({5}, {0}), ({5}, {30}), ({6}, {0}), ({6}, {30})]


def test_the_job_and_the_dashboard_share_one_rule_for_a_stall(make, home_la):
    """Four weeks to the day without time logged is a stall, for the daily job and the dashboard."""
    from oversight import dashboard

    deployment = make(last_time_logged_on=TODAY - days(28))

    assert jobs.flag_stalled_deployments(TODAY)["flagged"] == 1
    authority = deployment.supported_school.local_authority_id
    live = {d.pk: d for d in dashboard.live_deployments([authority], TODAY)}
    assert live[deployment.pk].stalled

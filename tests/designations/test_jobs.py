"""The daily jobs: check_designations raises de-designation cases, send_review_reminders emails
designating bodies. Both are idempotent, survive a crash mid-run, and cost a bounded number of
queries however many designations there are."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from designations import emails, jobs, tasks
from designations.choices import CaseReason, CaseStatus, DesignationStatus, LeadershipRole, ReminderKind
from designations.models import DeDesignationCase, SentReminder
from schools.choices import Framework, Grade, JudgementArea, SchoolStatus
from tests.factories import (
    InspectionFactory,
    JudgementFactory,
    OrganisationFactory,
    SchoolFactory,
    UserFactory,
    graded_inspection,
)
from tests.factories.designations import (
    DeDesignationCaseFactory,
    DesignationFactory,
    LeadershipPostFactory,
    ReviewFactory,
)

TODAY = datetime.date(2026, 11, 2)
REPORT_CARD_AREAS = [
    JudgementArea.INCLUSION,
    JudgementArea.CURRICULUM_AND_TEACHING,
    JudgementArea.ATTENDANCE_AND_BEHAVIOUR,
    JudgementArea.PERSONAL_DEVELOPMENT_AND_WELLBEING,
    JudgementArea.LEADERSHIP_AND_GOVERNANCE,
]


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def make_designation(national_body):
    """A current designation whose holder is head of an outstanding school: nothing to raise."""

    def make(designation_type, *, role=LeadershipRole.HEADTEACHER, grade=Grade.OUTSTANDING, **kwargs):
        school = kwargs.pop("school", None) or SchoolFactory()
        if grade:
            graded_inspection(school, grade, on=datetime.date(2024, 3, 1))
        holder = kwargs.pop("holder", None) or UserFactory()
        LeadershipPostFactory(person=holder, school=school, role=role, started_on=datetime.date(2018, 9, 1))
        kwargs.setdefault("designating_organisation", national_body)
        kwargs.setdefault("designated_on", datetime.date(2025, 1, 6))
        kwargs.setdefault("term_ends_on", datetime.date(2029, 1, 6))
        return DesignationFactory(designation_type=designation_type, holder=holder, school=school, **kwargs)

    return make


def open_cases():
    return list(
        DeDesignationCase.objects.filter(status=CaseStatus.OPEN).values_list("designation_id", "reason")
    )


# --- check_designations ------------------------------------------------------------------------


def test_a_designation_that_still_meets_its_requirements_raises_nothing(make_designation, nle_type):
    make_designation(nle_type)
    counts = jobs.check_designations(TODAY)
    assert counts == {
        "checked": 1,
        "ofsted_below_requirement": 0,
        "school_closed": 0,
        "role_lost": 0,
        "term_ended": 0,
    }
    assert not DeDesignationCase.objects.exists()


def test_an_ofsted_grade_below_the_types_rule_opens_a_case(make_designation, nle_type):
    designation = make_designation(nle_type)
    graded_inspection(designation.school, Grade.GOOD, on=datetime.date(2026, 6, 10))

    counts = jobs.check_designations(TODAY)

    assert counts["ofsted_below_requirement"] == 1
    case = DeDesignationCase.objects.get()
    assert (case.designation, case.reason, case.opened_by) == (
        designation,
        CaseReason.OFSTED_BELOW_REQUIREMENT,
        None,
    )
    assert "10 June 2026 (Good)" in case.detail
    assert "“Outstanding”" in case.detail


def test_good_is_enough_for_an_lle_but_requires_improvement_is_not(make_designation, lle_type):
    good = make_designation(lle_type, grade=Grade.GOOD)
    fallen = make_designation(lle_type, grade=Grade.REQUIRES_IMPROVEMENT)
    jobs.check_designations(TODAY)
    assert open_cases() == [(fallen.pk, CaseReason.OFSTED_BELOW_REQUIREMENT)]
    assert good.cases.count() == 0


@pytest.mark.parametrize(
    ("achievement", "raised"), [(Grade.EXPECTED_STANDARD, False), (Grade.NEEDS_ATTENTION, True)]
)
def test_a_report_card_is_judged_area_by_area(make_designation, lle_type, achievement, raised):
    designation = make_designation(lle_type, grade=Grade.GOOD)
    school = designation.school
    report_card = InspectionFactory(
        school=school, framework=Framework.REPORT_CARD, start_date=datetime.date(2026, 3, 2)
    )
    for area in REPORT_CARD_AREAS:
        JudgementFactory(inspection=report_card, area=area, grade=Grade.STRONG_STANDARD)
    JudgementFactory(inspection=report_card, area=JudgementArea.ACHIEVEMENT, grade=achievement)
    JudgementFactory(inspection=report_card, area=JudgementArea.SAFEGUARDING, grade=Grade.MET)
    school.latest_inspection = report_card
    school.save()

    jobs.check_designations(TODAY)

    assert open_cases() == ([(designation.pk, CaseReason.OFSTED_BELOW_REQUIREMENT)] if raised else [])


def test_an_sle_school_need_not_meet_an_ofsted_rule(make_designation, sle_type):
    make_designation(sle_type, role=LeadershipRole.MIDDLE_LEADER, grade=Grade.INADEQUATE)
    jobs.check_designations(TODAY)
    assert not DeDesignationCase.objects.exists()


def test_a_school_without_a_judged_inspection_raises_no_ofsted_case(make_designation, nle_type):
    make_designation(nle_type, grade=None)
    jobs.check_designations(TODAY)
    assert not DeDesignationCase.objects.exists()


def test_a_closed_school_opens_a_school_closed_case_only(make_designation, nle_type):
    designation = make_designation(nle_type, grade=Grade.INADEQUATE)
    designation.school.status = SchoolStatus.CLOSED
    designation.school.close_date = datetime.date(2026, 8, 31)
    designation.school.save()

    jobs.check_designations(TODAY)

    [case] = DeDesignationCase.objects.all()
    assert case.reason == CaseReason.SCHOOL_CLOSED
    assert "closed on 31 August 2026" in case.detail


def test_a_holder_who_left_headship_opens_a_role_lost_case(make_designation, nle_type):
    designation = make_designation(nle_type)
    designation.holder.posts.update(ended_on=TODAY - days(1))

    jobs.check_designations(TODAY)

    [case] = DeDesignationCase.objects.all()
    assert case.reason == CaseReason.ROLE_LOST
    assert "headteacher or principal, executive headteacher" in case.detail


def test_a_holder_who_became_head_elsewhere_no_longer_holds_the_role_at_the_designated_school(
    make_designation, nle_type
):
    designation = make_designation(nle_type)
    designation.holder.posts.update(ended_on=TODAY - days(30))
    LeadershipPostFactory(
        person=designation.holder, role=LeadershipRole.HEADTEACHER, started_on=TODAY - days(29)
    )

    jobs.check_designations(TODAY)

    assert open_cases() == [(designation.pk, CaseReason.ROLE_LOST)]


def test_an_ended_term_opens_a_case_and_leaves_the_designation_for_a_person_to_decide(
    make_designation, nle_type
):
    designation = make_designation(nle_type, term_ends_on=TODAY)

    jobs.check_designations(TODAY)

    assert open_cases() == [(designation.pk, CaseReason.TERM_ENDED)]
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.ACTIVE


def test_suspended_designations_are_checked_and_ended_ones_are_not(make_designation, nle_type):
    suspended = make_designation(nle_type, status=DesignationStatus.SUSPENDED, term_ends_on=TODAY - days(1))
    make_designation(nle_type, status=DesignationStatus.LAPSED, term_ends_on=TODAY - days(1))
    make_designation(nle_type, status=DesignationStatus.DE_DESIGNATED, term_ends_on=TODAY - days(1))

    counts = jobs.check_designations(TODAY)

    assert counts["checked"] == 1
    assert open_cases() == [(suspended.pk, CaseReason.TERM_ENDED)]


def test_a_second_run_opens_nothing_new(make_designation, nle_type):
    make_designation(nle_type, term_ends_on=TODAY - days(3))
    fallen = make_designation(nle_type, grade=Grade.REQUIRES_IMPROVEMENT)
    fallen.school.status = SchoolStatus.CLOSED
    fallen.school.save()

    first = jobs.check_designations(TODAY)
    second = jobs.check_designations(TODAY)

    assert (first["term_ended"], first["school_closed"]) == (1, 1)
    assert second == {**first, "term_ended": 0, "school_closed": 0}
    assert DeDesignationCase.objects.count() == 2


def test_a_case_decided_to_keep_is_raised_again_only_by_the_next_check(
    make_designation, nle_type, national_admin
):
    designation = make_designation(nle_type, term_ends_on=TODAY - days(3))
    DeDesignationCaseFactory(designation=designation, reason=CaseReason.TERM_ENDED, status=CaseStatus.KEPT)

    jobs.check_designations(TODAY)

    assert DeDesignationCase.objects.filter(designation=designation, status=CaseStatus.OPEN).count() == 1


def test_a_case_someone_opened_meanwhile_is_not_duplicated(make_designation, nle_type):
    designation = make_designation(nle_type)
    DeDesignationCaseFactory(designation=designation, reason=CaseReason.ROLE_LOST)
    # The batch was read before the other case was opened: the bulk insert hits the constraint.
    candidate = DeDesignationCase(designation=designation, reason=CaseReason.ROLE_LOST, detail="Left.")
    assert jobs._open_cases([candidate]) == []
    assert DeDesignationCase.objects.filter(designation=designation).count() == 1


def test_each_opened_case_emails_the_designating_body(
    make_designation, nle_type, national_admin, mailoutbox, django_capture_on_commit_callbacks
):
    make_designation(nle_type, term_ends_on=TODAY - days(1))
    make_designation(nle_type, grade=Grade.GOOD)

    with django_capture_on_commit_callbacks(execute=True):
        jobs.check_designations(TODAY)

    assert len(mailoutbox) == 2
    assert all(message.to == [national_admin.email] for message in mailoutbox)
    assert (
        sorted(message.subject.split(":")[0] for message in mailoutbox)
        == ["De-designation case to decide"] * 2
    )


def test_every_designation_is_checked_across_batches(make_designation, nle_type):
    for _ in range(5):
        make_designation(nle_type, term_ends_on=TODAY - days(1))
    counts = jobs.check_designations(TODAY, batch_size=2)
    assert (counts["checked"], counts["term_ended"]) == (5, 5)


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


@pytest.mark.parametrize("falling", [False, True], ids=["nothing-to-raise", "every-one-raises"])
def test_check_costs_the_same_queries_for_5_or_50_designations(
    make_designation, nle_type, national_admin, falling
):
    grade = Grade.GOOD if falling else Grade.OUTSTANDING
    for _ in range(5):
        make_designation(nle_type, grade=grade)
    with_5 = count_queries(lambda: jobs.check_designations(TODAY))
    DeDesignationCase.objects.all().delete()
    for _ in range(45):
        make_designation(nle_type, grade=grade)
    with_50 = count_queries(lambda: jobs.check_designations(TODAY))

    assert with_50 == with_5
    assert DeDesignationCase.objects.count() == (50 if falling else 0)


# --- send_review_reminders ---------------------------------------------------------------------


@pytest.fixture
def review_due(national_body, national_admin):
    """A review of a current designation made by the national body, due on a given day."""

    def make(due_on: datetime.date, **designation_kwargs):
        designation = DesignationFactory(designating_organisation=national_body, **designation_kwargs)
        return ReviewFactory(designation=designation, due_on=due_on)

    return make


def sent():
    return sorted(SentReminder.objects.values_list("review_id", "kind"))


@pytest.mark.parametrize(
    ("due_in", "kind"),
    [
        (30, ReminderKind.DUE_IN_30_DAYS),
        (20, ReminderKind.DUE_IN_30_DAYS),
        (7, ReminderKind.DUE_IN_7_DAYS),
        (3, ReminderKind.DUE_IN_7_DAYS),
        (0, ReminderKind.DUE_IN_7_DAYS),
        (-1, ReminderKind.OVERDUE),
        (-90, ReminderKind.OVERDUE),
    ],
)
def test_the_reminder_a_review_is_owed(review_due, national_admin, mailoutbox, due_in, kind):
    review = review_due(TODAY + days(due_in))

    counts = jobs.send_review_reminders(TODAY)

    assert counts[kind] == 1
    assert sent() == [(review.pk, kind)]
    [message] = mailoutbox
    assert message.to == [national_admin.email]
    assert ("Overdue" in message.subject) == (kind == ReminderKind.OVERDUE)


def test_no_reminder_for_reviews_far_off_done_or_of_ended_designations(review_due, mailoutbox):
    review_due(TODAY + days(31))
    done = review_due(TODAY + days(5))
    done.completed_on = TODAY
    done.save()
    review_due(TODAY - days(5), status=DesignationStatus.DE_DESIGNATED)

    counts = jobs.send_review_reminders(TODAY)

    assert counts["checked"] == 0
    assert mailoutbox == []


def test_run_daily_a_review_gets_each_reminder_once(review_due, mailoutbox):
    review = review_due(TODAY + days(30))
    for offset in range(45):
        jobs.send_review_reminders(TODAY + days(offset))

    assert sent() == sorted(
        [
            (review.pk, ReminderKind.DUE_IN_30_DAYS),
            (review.pk, ReminderKind.DUE_IN_7_DAYS),
            (review.pk, ReminderKind.OVERDUE),
        ]
    )
    assert len(mailoutbox) == 3


def test_a_second_run_sends_nothing(review_due, mailoutbox):
    for due_in in (25, 5, -2):
        review_due(TODAY + days(due_in))
    first = jobs.send_review_reminders(TODAY)
    second = jobs.send_review_reminders(TODAY)
    assert (first["due_in_30_days"], first["due_in_7_days"], first["overdue"]) == (1, 1, 1)
    assert (second["due_in_30_days"], second["due_in_7_days"], second["overdue"]) == (0, 0, 0)
    assert len(mailoutbox) == 3


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


def test_a_failed_send_is_retried_by_the_next_run_and_nothing_is_sent_twice(
    review_due, mailoutbox, monkeypatch
):
    reviews = [review_due(TODAY + days(due_in)) for due_in in (1, 2, 3, 4, 5)]
    monkeypatch.setattr(emails, "send_email", failing_on_call(3, ConnectionRefusedError("mail server down")))

    first = jobs.send_review_reminders(TODAY)
    assert (first["due_in_7_days"], first["failed"]) == (4, 1)
    assert len(mailoutbox) == 4 and SentReminder.objects.count() == 4

    second = jobs.send_review_reminders(TODAY)
    assert (second["due_in_7_days"], second["failed"]) == (1, 0)
    assert len(mailoutbox) == 5
    assert sent() == sorted((review.pk, ReminderKind.DUE_IN_7_DAYS) for review in reviews)


class WorkerLost(BaseException):
    """Stands for the worker dying mid-run: nothing in the job may swallow it."""


def test_a_run_after_a_crash_mid_run_sends_every_reminder_exactly_once(review_due, mailoutbox, monkeypatch):
    reviews = [review_due(TODAY + days(due_in)) for due_in in (-3, 6, 12, 20, 28)]
    monkeypatch.setattr(emails, "send_email", failing_on_call(3, WorkerLost()))

    with pytest.raises(WorkerLost):
        jobs.send_review_reminders(TODAY)
    assert len(mailoutbox) == 2 and SentReminder.objects.count() == 2

    jobs.send_review_reminders(TODAY)
    jobs.send_review_reminders(TODAY)

    assert len(mailoutbox) == 5
    assert [r.review_id for r in SentReminder.objects.order_by("review_id")] == [r.pk for r in reviews]
    subjects_per_review = [m.subject for m in mailoutbox]
    assert len(set(subjects_per_review)) == 5


def test_a_review_whose_designating_body_has_no_one_to_email_waits_until_someone_can_be(
    review_due, mailoutbox
):
    silent_body = OrganisationFactory(kind="national_body", name="Silent body")
    review = ReviewFactory(designation=DesignationFactory(designating_organisation=silent_body), due_on=TODAY)

    assert jobs.send_review_reminders(TODAY)["no_recipient"] == 1
    assert not SentReminder.objects.exists()

    silent_body.email = "reviews@silent.example.org"
    silent_body.save()
    assert jobs.send_review_reminders(TODAY)["due_in_7_days"] == 1
    assert sent() == [(review.pk, ReminderKind.DUE_IN_7_DAYS)]
    assert mailoutbox[0].to == ["reviews@silent.example.org"]


def test_reminders_about_an_sle_go_to_its_teaching_schools_leads(
    sle_type, teaching_school_org, teaching_school_lead, mailoutbox
):
    designation = DesignationFactory(designation_type=sle_type, designating_organisation=teaching_school_org)
    ReviewFactory(designation=designation, due_on=TODAY + days(7))
    jobs.send_review_reminders(TODAY)
    [message] = mailoutbox
    assert message.to == [teaching_school_lead.email]
    assert "Due in 7 days" in message.subject


def test_reminders_cost_the_same_scan_for_5_or_50_reviews_and_a_fixed_cost_per_send(review_due):
    for due_in in range(5):
        review_due(TODAY + days(due_in + 1))
    first_5 = count_queries(lambda: jobs.send_review_reminders(TODAY))
    rescan_5 = count_queries(lambda: jobs.send_review_reminders(TODAY))
    for due_in in range(45):
        review_due(TODAY + days(due_in % 30 + 1))
    first_50 = count_queries(lambda: jobs.send_review_reminders(TODAY))
    rescan_50 = count_queries(lambda: jobs.send_review_reminders(TODAY))

    assert rescan_50 == rescan_5
    # Each reminder is its own small transaction (that is what makes a crash safe): a fixed cost.
    assert first_50 - rescan_50 <= 3 * 45 + (first_5 - rescan_5)


# --- tasks, commands and the schedule ----------------------------------------------------------


def test_the_tasks_run_the_jobs_and_return_their_counts(eager_celery, make_designation, nle_type, review_due):
    make_designation(nle_type, term_ends_on=TODAY - days(1))
    review_due(TODAY + days(10))

    checked = tasks.check_designations.delay(today=TODAY.isoformat()).get(timeout=10)
    reminded = tasks.send_review_reminders.delay(today=TODAY.isoformat()).get(timeout=10)

    assert (checked["checked"], checked["term_ended"]) == (2, 1)
    assert reminded["due_in_30_days"] == 1


def test_the_tasks_default_to_today(eager_celery, review_due):
    review_due(timezone.localdate() - days(1))
    assert tasks.send_review_reminders.delay().get(timeout=10)["overdue"] == 1


def test_the_commands_print_the_counts(make_designation, nle_type, review_due):
    make_designation(nle_type, term_ends_on=TODAY - days(1))
    review_due(TODAY - days(1))
    check_out, remind_out = io.StringIO(), io.StringIO()

    call_command("check_designations", "--date", TODAY.isoformat(), stdout=check_out)
    call_command("send_review_reminders", "--date", TODAY.isoformat(), stdout=remind_out)

    assert "checked: 2\n" in check_out.getvalue() and "term_ended: 1\n" in check_out.getvalue()
    assert "overdue: 1\n" in remind_out.getvalue()


@pytest.mark.parametrize("command", ["check_designations", "send_review_reminders"])
def test_the_commands_refuse_a_bad_date_clearly(db, command):
    with pytest.raises(CommandError, match="--date must be a date written as YYYY-MM-DD, not “2 Nov”"):
        call_command(command, "--date", "2 Nov")


def test_both_jobs_are_scheduled_daily():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    check, remind = (
        schedule["designations.check_designations"],
        schedule["designations.send_review_reminders"],
    )
    assert (check.hour, check.minute) == ({2}, {0})
    assert (remind.hour, remind.minute) == ({6}, {0})
    assert settings.CELERY_TIMEZONE == "Europe/London"

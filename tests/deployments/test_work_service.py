"""Time logged, variations, progress reviews, the final evaluation, and the state machine."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from deployments import services
from deployments.choices import DeploymentState, ObjectiveOutcome, Rag, StateReason
from deployments.errors import DeploymentError, InvalidTransition
from deployments.models import AgreementStaff, DeploymentTransition
from tests.factories import UserFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import TimeEntryFactory, agreed_deployment, commissioned_by_a_trust
from tests.factories.schooldays import latest_school_day

TODAY = timezone.localdate()
State = DeploymentState


@pytest.fixture
def school_days(home_school) -> tuple[datetime.date, datetime.date]:
    """The two latest school days up to today, earlier first: time is only logged on school days."""
    later = latest_school_day(home_school.local_authority_id, today=TODAY)
    earlier = latest_school_day(home_school.local_authority_id, today=later - datetime.timedelta(days=1))
    return earlier, later


@pytest.fixture
def day(school_days) -> datetime.date:
    return school_days[1]


@pytest.fixture
def deployment(home_school, home_la_org, la_officer, school_days):
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    starts_on = min(TODAY - datetime.timedelta(days=30), school_days[0])
    return agreed_deployment(support_request=request, days_agreed=Decimal("10.0"), starts_on=starts_on)


# --- time ----------------------------------------------------------------------------------------


def test_the_leader_logs_time_and_the_last_day_is_kept(deployment, school_days):
    earlier, later = school_days
    services.log_time(deployment, actor=deployment.leader, worked_on=later, days=Decimal("0.5"), today=TODAY)
    services.log_time(deployment, actor=deployment.leader, worked_on=earlier, days=Decimal("1"), today=TODAY)
    deployment.refresh_from_db()
    assert services.days_used(deployment) == Decimal("1.5")
    assert deployment.last_time_logged_on == later


def test_named_staff_log_time_but_others_cannot(deployment, school_leader, day):
    deputy = UserFactory(email="deputy@leader.example.org")
    AgreementStaff.objects.create(
        agreement=deployment.agreements.get(), name="Dee Deputy", role="Deputy", user=deputy
    )
    services.log_time(deployment, actor=deputy, worked_on=day, days=Decimal("1"), today=TODAY)
    with pytest.raises(DeploymentError, match="Only the leader and the staff"):
        services.log_time(deployment, actor=school_leader, worked_on=day, days=Decimal("1"), today=TODAY)


def test_time_beyond_the_agreed_days_needs_a_variation(deployment, la_officer, school_days):
    earlier, day = school_days  # the 9.5 days are on another date than the one logged
    TimeEntryFactory(deployment=deployment, days=Decimal("9.5"), worked_on=earlier)
    with pytest.raises(DeploymentError) as refused:
        services.log_time(
            deployment, actor=deployment.leader, worked_on=day, days=Decimal("1"), today=TODAY
        )
    assert refused.value.message == (
        "This would take the time logged to 10.5 days, 0.5 days more than the 10 days agreed. "
        "Ask the broker to record a variation first."
    )
    services.record_variation(
        deployment, actor=la_officer, extra_days=Decimal("2"), reason="Extra governor training."
    )
    services.log_time(deployment, actor=deployment.leader, worked_on=day, days=Decimal("1"), today=TODAY)
    assert services.days_used(deployment) == Decimal("10.5")


def test_only_the_broker_records_a_variation(deployment, commissioner):
    with pytest.raises(DeploymentError, match="Only the broker"):
        services.record_variation(deployment, actor=commissioner, extra_days=Decimal("2"), reason="More")


@pytest.mark.parametrize(
    "state",
    [
        State.PROPOSED,
        State.AGREED,
        State.PAUSED,
        State.COMPLETED,
        State.ENDED_EARLY,
        State.AWAITING_FINAL_EVALUATION,
    ],
)
def test_time_cannot_be_logged_unless_active(deployment, state, day):
    deployment.state = state
    deployment.save()
    with pytest.raises(InvalidTransition, match="only be logged on an active deployment"):
        services.log_time(
            deployment, actor=deployment.leader, worked_on=day, days=Decimal("1"), today=TODAY
        )


def test_time_cannot_be_in_the_future_or_before_the_start(deployment):
    with pytest.raises(DeploymentError, match="future"):
        services.log_time(
            deployment,
            actor=deployment.leader,
            worked_on=TODAY + datetime.timedelta(days=1),
            days=Decimal("1"),
            today=TODAY,
        )
    with pytest.raises(DeploymentError, match="started on"):
        services.log_time(
            deployment,
            actor=deployment.leader,
            worked_on=deployment.starts_on - datetime.timedelta(days=1),
            days=Decimal("1"),
            today=TODAY,
        )


# --- state machine ------------------------------------------------------------------------------


def test_pause_needs_a_reason_and_is_recorded(deployment, la_officer):
    with pytest.raises(DeploymentError, match="Choose the reason"):
        services.pause(deployment, actor=la_officer, reason="")
    services.pause(
        deployment, actor=la_officer, reason=StateReason.SCHOOL_WILL_NOT_ENGAGE, note="No replies."
    )
    deployment.refresh_from_db()
    assert deployment.state == State.PAUSED and deployment.state_reason == StateReason.SCHOOL_WILL_NOT_ENGAGE
    change = DeploymentTransition.objects.filter(deployment=deployment).latest("at")
    assert (change.from_state, change.to_state, change.actor, change.note) == (
        State.ACTIVE,
        State.PAUSED,
        la_officer,
        "No replies.",
    )
    services.resume(deployment, actor=la_officer)
    deployment.refresh_from_db()
    assert deployment.state == State.ACTIVE and deployment.state_reason == ""


def test_only_the_broker_changes_state(deployment, commissioner, school_leader, other_la_officer):
    for actor in (commissioner, school_leader, other_la_officer, deployment.leader):
        with pytest.raises(DeploymentError, match="Only the deployment's broker"):
            services.pause(deployment, actor=actor, reason=StateReason.OTHER)


@pytest.mark.parametrize(
    "start, target",
    [
        (State.COMPLETED, State.ACTIVE),
        (State.ENDED_EARLY, State.PAUSED),
        (State.PROPOSED, State.PAUSED),
        (State.AWAITING_FINAL_EVALUATION, State.ACTIVE),
        (State.PAUSED, State.AGREED),
    ],
)
def test_invalid_moves_are_refused_clearly(deployment, la_officer, start, target):
    deployment.state = start
    deployment.save()
    with pytest.raises(InvalidTransition, match=f"This deployment is {State(start).label.lower()}"):
        services.transition(deployment, target, actor=la_officer, reason=StateReason.OTHER)
    assert not DeploymentTransition.objects.filter(deployment=deployment).exists()


def test_every_allowed_move_is_listed():
    assert set(services.ALLOWED_TRANSITIONS) == set(State.values)


def test_escalation_tells_the_commissioner(
    home_school, home_la_org, la_officer, mailoutbox, django_capture_on_commit_callbacks
):
    deployment, trust_commissioner = commissioned_by_a_trust(home_school, home_la_org)
    with django_capture_on_commit_callbacks(execute=True):
        services.escalate(deployment, actor=la_officer, note="The school will not engage.")
    deployment.refresh_from_db()
    assert deployment.escalated_at is not None
    assert any(trust_commissioner.email in m.to for m in mailoutbox)


def test_a_broker_that_commissioned_the_deployment_has_no_one_to_escalate_to(deployment, la_officer):
    assert not services.may_escalate(deployment)
    with pytest.raises(DeploymentError, match="no one else to escalate it to"):
        services.escalate(deployment, actor=la_officer, note="The school will not engage.")
    deployment.refresh_from_db()
    assert deployment.escalated_at is None


# --- reviews and evaluation ---------------------------------------------------------------------


def ratings(deployment, rag=Rag.GREEN):
    return [
        services.Rating(o.pk, rag, "Lesson observations") for o in services.current_objectives(deployment)
    ]


def test_a_review_rates_every_objective_and_sets_the_next_date(deployment, la_officer):
    next_review = TODAY + datetime.timedelta(days=42)
    review = services.record_review(
        deployment,
        actor=la_officer,
        reviewed_on=TODAY,
        ratings=ratings(deployment, Rag.RED),
        next_review_on=next_review,
    )
    deployment.refresh_from_db()
    assert deployment.next_review_on == next_review
    assert {p.rag for p in review.progress.all()} == {Rag.RED}


def test_a_review_missing_an_objective_is_refused(deployment, la_officer):
    with pytest.raises(DeploymentError, match="Rate every objective"):
        services.record_review(
            deployment, actor=la_officer, reviewed_on=TODAY, ratings=ratings(deployment)[:1]
        )


def test_only_the_broker_reviews(deployment, commissioner):
    with pytest.raises(DeploymentError):
        services.record_review(deployment, actor=commissioner, reviewed_on=TODAY, ratings=ratings(deployment))


def test_final_evaluation_completes_the_deployment(deployment, la_officer):
    with pytest.raises(InvalidTransition):
        services.record_final_evaluation(deployment, actor=la_officer, impact="x", outcomes={})
    services.transition(deployment, State.AWAITING_FINAL_EVALUATION, actor=la_officer)
    outcomes = {o.pk: ObjectiveOutcome.MET for o in services.current_objectives(deployment)}
    with pytest.raises(DeploymentError, match="each objective"):
        services.record_final_evaluation(deployment, actor=la_officer, impact="Better", outcomes={})
    services.record_final_evaluation(deployment, actor=la_officer, impact="Outcomes rose.", outcomes=outcomes)
    deployment.refresh_from_db()
    assert deployment.state == State.COMPLETED
    assert deployment.final_evaluation.outcomes.count() == 2

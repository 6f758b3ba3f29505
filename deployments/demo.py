"""The deployments part of the demo data, made through the services (the real doors) on the
requests the brokerage part raised: deployments active (one paused and resumed, one with a red
objective, one with a review overdue), one awaiting its final evaluation and one completed, with
their agreements, time and reviews; and an agreement led by the demo's named LLE waiting for
the demo head, the leader's school and the commissioner. Running it again creates nothing new."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.choices import SCHOOL_LEADER_ROLES, Role
from accounts.demo import DEMO_PASSWORD, DemoUser
from accounts.models import Membership
from accounts.services import organisation_for_school
from brokerage import demo as brokerage_demo
from brokerage import matching
from brokerage.models import SupportRequest
from designations.demo import LEADER
from designations.models import Designation
from schooldays.calendar import calendar_for
from schools.models import School

from . import services
from .choices import CostKind, DeploymentState, ObjectiveOutcome, Party, Rag, StateReason, TimeBasis
from .models import Deployment

User = get_user_model()
# The head of a supported school, who signs in with the demo password.
SUPPORTED_HEAD = DemoUser(
    "supported.head@norfolk.demo", "Dan Pryce", Role.HEADTEACHER, "flow",
    "head of a supported school with an active deployment: sees its objectives and reviews",
)

BACKFILL = "Cover for the leader's deputy headship"
BACKFILL_NOTE = "The deputy head's class is covered while they lead the support."


@dataclass(frozen=True)
class Plan:
    """A deployment of one of the brokerage part's requests: when it started (weeks ago), how
    long it runs, the days time was logged (days ago), its review's ratings and when the next
    review is due (a negative number: overdue)."""

    title: str
    weeks_ago: int
    weeks: int
    logged: tuple[int, ...]
    rags: tuple[str, ...]
    next_review_in_days: int
    backfill_days: int = 0


# In order: the first is paused and resumed, the third awaits its final evaluation, the fourth is
# completed (``_finish``). The second reimburses backfill for the leader's own school (a cost line the
# funding part claims with its invoice).
PLANS = (
    Plan(brokerage_demo.IMPROVING_READING, 10, 36, (60, 45, 30, 10), (Rag.GREEN, Rag.RED), 30),
    Plan(brokerage_demo.AFTER_INADEQUATE, 12, 52, (80, 70, 40), (Rag.AMBER, Rag.AMBER), -5, backfill_days=24),
    Plan(brokerage_demo.MATHS_LEADERSHIP, 30, 26, (200, 180, 150), (Rag.GREEN, Rag.GREEN), 30),
    Plan(brokerage_demo.GOVERNANCE_REVIEW, 40, 26, (270, 250, 220), (Rag.GREEN, Rag.AMBER), 30),
)


@dataclass
class DeploymentsDemoSummary:
    deployments: int


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _school_contact(school: School) -> User:
    """A school-leader account for a supported school, so it can agree (no password: demo only)."""
    organisation = organisation_for_school(school)
    existing = (
        Membership.objects.filter(organisation=organisation, role__in=sorted(SCHOOL_LEADER_ROLES))
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if existing:
        return existing.user
    user = User.objects.create(email=f"head.{school.urn}@schools.demo", full_name=f"Head of {school.name}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Membership.objects.create(user=user, organisation=organisation, role=Role.SCHOOL_LEADER)
    return user


def _supported_head(school: School) -> User:
    """supported.head@norfolk.demo: the head of a supported school, with the demo password."""
    user, _ = User.objects.get_or_create(
        email=SUPPORTED_HEAD.email, defaults={"full_name": SUPPORTED_HEAD.full_name}
    )
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    organisation = organisation_for_school(school)
    Membership.objects.get_or_create(user=user, organisation=organisation, role=SUPPORTED_HEAD.role)
    return user


def _named_leader(request: SupportRequest, today: datetime.date) -> Designation | None:
    """The demo's named LLE (leader@norfolk.demo) when the matching offers them for the request."""
    ranked = matching.match(request, today=today).ranked
    return next((c.designation for c in ranked if c.designation.holder.email == LEADER.email), None)


def _leader(request: SupportRequest, busy: set[int], today: datetime.date) -> Designation | None:
    """The best-ranked candidate the matching offers who is not already used in the demo."""
    ranked = matching.match(request, today=today).ranked
    return next((c.designation for c in ranked if c.designation.holder_id not in busy), None)


def _deploy(
    request: SupportRequest,
    designation: Designation,
    *,
    broker_user,
    commissioner_user,
    starts_on: datetime.date,
    weeks: int,
    today: datetime.date,
    agree: bool = True,
    backfill_days: int = 0,
) -> Deployment:
    """Propose, draft, send and (unless told not to) have all three parties agree."""
    existing = request.deployments.first()
    if existing:
        return existing
    deployment = services.propose(request, designation, actor=broker_user, today=today)
    terms = {
        "expected_impact": "The school's own leaders sustain the improvement after the support ends.",
        "support_approach": "Fortnightly coaching of the head; joint learning walks; governors' briefing.",
        "school_participants": "Headteacher; deputy headteacher; chair of governors",
        "time_basis": TimeBasis.DAYS_PER_WEEK,
        "days_per_week": Decimal("0.5"),
        "total_days": None,
        "starts_on": starts_on,
        "ends_on": starts_on + datetime.timedelta(weeks=weeks),
        "rate_basis": "day_rate",
        "day_rate": Decimal("450"),
        "total_amount": None,
        "payer": request.commissioner,
        "payee_school": deployment.leader_school,
        "backfill_note": BACKFILL_NOTE if backfill_days else "",
    }
    objectives = [
        services.ObjectiveData(
            "Leaders track pupils' progress termly and act on it",
            "Every pupil group's progress is reviewed termly",
            starts_on + datetime.timedelta(weeks=weeks // 2),
        ),
        services.ObjectiveData(
            "Teaching in reading is consistently good",
            "Most reading lessons observed are good or better",
            starts_on + datetime.timedelta(weeks=weeks),
        ),
    ]
    cost_lines = (
        [services.CostLineData(CostKind.BACKFILL, Decimal(backfill_days), Decimal("450"), BACKFILL)]
        if backfill_days
        else []
    )
    agreement = services.save_draft(
        deployment,
        actor=broker_user,
        terms=terms,
        objectives=objectives,
        cost_lines=cost_lines,
        drafted_on=min(starts_on, today),
    )
    services.send_for_agreement(agreement, actor=broker_user)
    if agree:
        supported = _school_contact(request.school)
        services.agree(agreement, actor=supported, party=Party.SUPPORTED_SCHOOL, today=today)
        services.agree(agreement, actor=designation.holder, party=Party.LEADER_SCHOOL, today=today)
        # The commissioner accepts any overrun of the request's £6,000 budget in agreeing: the days
        # a days-a-week agreement comes to depend on the term weeks it spans.
        services.agree(
            agreement, actor=commissioner_user, party=Party.COMMISSIONER, today=today, accept_overrun=True
        )
    deployment.refresh_from_db()
    return deployment


def _school_day_near(days: list[datetime.date], day: datetime.date) -> datetime.date:
    """The last school day on or before ``day`` (else the first after it): time is logged on school
    days, and the demo's dates count back from whatever today is."""
    earlier = [d for d in days if d <= day]
    return earlier[-1] if earlier else next(d for d in days if d > day)


def _log(deployment: Deployment, days_ago: list[int], today: datetime.date) -> None:
    if deployment.time_entries.exists() or not days_ago:
        return
    authority = deployment.supported_school.local_authority_id
    days = calendar_for(deployment.starts_on, today, authority).school_days()
    for ago in days_ago:
        services.log_time(
            deployment,
            actor=deployment.leader,
            worked_on=_school_day_near(days, today - datetime.timedelta(days=ago)),
            days=Decimal("0.5"),
            note="Coaching and a learning walk (demo).",
            today=today,
        )


def _review(
    deployment: Deployment, broker_user, rags: list[str], today: datetime.date, next_in_days: int
) -> None:
    if deployment.reviews.exists():
        return
    objectives = services.current_objectives(deployment)
    ratings = [
        services.Rating(o.pk, rag, "Notes of visit and pupil tracking (demo).")
        for o, rag in zip(objectives, rags, strict=False)
    ]
    next_review_on = today + datetime.timedelta(days=next_in_days)
    review = services.record_review(
        deployment,
        actor=broker_user,
        reviewed_on=today - datetime.timedelta(days=14),
        ratings=ratings,
        summary="Good engagement from leaders (demo).",
        next_review_on=max(next_review_on, today),
    )
    if next_review_on < today:
        # An overdue review for the demo: the review 14 days ago set it, and time has passed since.
        type(review).objects.filter(pk=review.pk).update(next_review_on=next_review_on)
        Deployment.objects.filter(pk=deployment.pk).update(next_review_on=next_review_on)


@transaction.atomic
def seed_deployments_demo(brokerage: brokerage_demo.BrokerageDemoSummary) -> DeploymentsDemoSummary:
    """Deploy the brokerage part's requests (nothing when it raised none): a leader for each is
    the best the matching offers who is not already used in the demo."""
    today = timezone.localdate()
    officer, commissioner = _user("la.officer@norfolk.demo"), _user("commissioner@norfolk.demo")
    requests = brokerage.raised
    if not requests:
        return _summary()
    # The named leader is kept for the agreement waiting for the demo head (below).
    busy: set[int] = set(User.objects.filter(email=LEADER.email).values_list("pk", flat=True))
    made = []
    for plan in PLANS:
        request = requests[plan.title]
        if plan.title == brokerage_demo.IMPROVING_READING:
            _supported_head(request.school)  # before the deployment, so it is the school's contact
        designation = _leader(request, busy, today)
        if designation is None:
            continue
        busy.add(designation.holder_id)
        deployment = _deploy(
            request,
            designation,
            broker_user=officer,
            commissioner_user=commissioner,
            starts_on=today - datetime.timedelta(weeks=plan.weeks_ago),
            weeks=plan.weeks,
            today=today,
            backfill_days=plan.backfill_days,
        )
        if deployment.state == DeploymentState.ACTIVE:
            _log(deployment, [d for d in plan.logged if d <= plan.weeks_ago * 7], today)
            _review(deployment, officer, list(plan.rags), today, next_in_days=plan.next_review_in_days)
        made.append(deployment)
    _finish(made, officer, today)
    _awaiting_agreement(requests[brokerage_demo.EARLY_READING], busy, officer, commissioner, today)
    return _summary()


def _awaiting_agreement(
    waiting: SupportRequest, busy: set[int], officer, commissioner, today: datetime.date
) -> None:
    """The agreement waiting for the demo head: led by the named LLE when the matching offers them."""
    designation = _named_leader(waiting, today) or _leader(waiting, busy, today)
    if designation:
        _deploy(
            waiting,
            designation,
            broker_user=officer,
            commissioner_user=commissioner,
            starts_on=today + datetime.timedelta(days=14),
            weeks=26,
            today=today,
            agree=False,
        )


def _summary() -> DeploymentsDemoSummary:
    return DeploymentsDemoSummary(deployments=Deployment.objects.count())


def _finish(made: list[Deployment], officer, today: datetime.date) -> None:
    """The third has ended and awaits its final evaluation; the fourth is completed."""
    for deployment in made[2:4]:
        if deployment.state == DeploymentState.ACTIVE:
            services.transition(
                deployment, DeploymentState.AWAITING_FINAL_EVALUATION, actor=officer
            )
    if len(made) > 3 and made[3].state == DeploymentState.AWAITING_FINAL_EVALUATION:
        outcomes = {o.pk: ObjectiveOutcome.MET for o in services.current_objectives(made[3])}
        services.record_final_evaluation(
            made[3],
            actor=officer,
            impact="Governors now challenge leaders on pupils' progress (demo).",
            outcomes=outcomes,
        )
    if (
        made
        and made[0].state == DeploymentState.ACTIVE
        and not made[0].transitions.filter(to_state=DeploymentState.PAUSED).exists()
    ):
        services.pause(
            made[0],
            actor=officer,
            reason=StateReason.SCHOOL_CIRCUMSTANCES,
            note="Paused for the school's inspection week (demo).",
        )
        services.resume(made[0], actor=officer, note="Inspection over (demo).")

"""Demo commissioning, brokerage and deployments, made through the services (the real doors):
risk assessments, an alliance, requests waiting for the LA and the teaching school, deployments
active, at risk, stalled, awaiting evaluation and completed, and one agreement waiting for the
demo head to agree. Running it again creates nothing new."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.choices import SCHOOL_LEADER_ROLES, OrganisationKind, Role
from accounts.demo import DEMO_PASSWORD
from accounts.models import Membership, Organisation
from accounts.services import organisation_for_school
from deployments import services as deployment_services
from deployments.choices import DeploymentState, ObjectiveOutcome, Party, Rag, StateReason, TimeBasis
from deployments.models import Deployment
from designations.choices import DesignationStatus
from designations.models import Designation, DesignationType, Specialism
from schools.choices import Phase
from schools.models import School

from . import matching, services
from .choices import PriorityReason
from .models import AlliancePartner, RiskAssessment, SupportRequest

User = get_user_model()
NORFOLK = "926"
LEADER_EMAIL = "leader@norfolk.demo"
SUPPORTED_HEAD_EMAIL = "supported.head@norfolk.demo"


@dataclass
class BrokerageDemoSummary:
    requests: int
    deployments: int
    risk_assessments: int


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
    user, _ = User.objects.get_or_create(email=SUPPORTED_HEAD_EMAIL, defaults={"full_name": "Dan Pryce"})
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    organisation = organisation_for_school(school)
    Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.HEADTEACHER)
    return user


def _named_leader(request: SupportRequest, today: datetime.date) -> Designation | None:
    """The demo's named LLE (leader@norfolk.demo) when the matching offers them for the request."""
    ranked = matching.match(request, today=today).ranked
    return next((c.designation for c in ranked if c.designation.holder.email == LEADER_EMAIL), None)


def _risk_assessments(schools: list[School], officer, today: datetime.date) -> list[School]:
    """Assess eight schools; return the four judged at risk."""
    at_risk = []
    for number, school in enumerate(schools[:8]):
        risky = number % 2 == 0
        if not school.risk_assessments.exists():
            services.record_risk_assessment(
                school,
                actor=officer,
                likely_good_outcomes=not risky,
                effective_leadership=number % 4 != 0,
                good_next_inspection=not risky,
                notes="Termly review with the school improvement adviser (demo).",
                assessed_on=today - datetime.timedelta(days=20 + number),
            )
        if risky:
            at_risk.append(school)
    return at_risk


def _leader(request: SupportRequest, busy: set[int], today: datetime.date) -> Designation | None:
    """The best-ranked candidate the matching offers who is not already used in the demo."""
    ranked = matching.match(request, today=today).ranked
    return next((c.designation for c in ranked if c.designation.holder_id not in busy), None)


def _request(
    title: str,
    school: School,
    *,
    commissioner,
    broker,
    actor,
    code: str,
    needs: list[str],
    reasons: list[str],
    today: datetime.date,
) -> SupportRequest:
    existing = SupportRequest.objects.filter(title=title).first()
    if existing:
        return existing
    return services.raise_request(
        actor=actor,
        school=school,
        commissioner=commissioner,
        broker=broker,
        title=title,
        needs_description=f"{title}: the school asked for help after its last inspection (demo).",
        designation_types=[DesignationType.objects.get(code=code)],
        needs=list(Specialism.objects.filter(name__in=needs)),
        priority_reasons=reasons,
        preferred_start_on=today + datetime.timedelta(days=21),
        budget=Decimal("6000"),
    )


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
) -> Deployment:
    """Propose, draft, send and (unless told not to) have all three parties agree."""
    existing = request.deployments.first()
    if existing:
        return existing
    deployment = deployment_services.propose(request, designation, actor=broker_user, today=today)
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
        "backfill_note": "",
    }
    objectives = [
        deployment_services.ObjectiveData(
            "Leaders track pupils' progress termly and act on it",
            "Every pupil group's progress is reviewed termly",
            starts_on + datetime.timedelta(weeks=weeks // 2),
        ),
        deployment_services.ObjectiveData(
            "Teaching in reading is consistently good",
            "Most reading lessons observed are good or better",
            starts_on + datetime.timedelta(weeks=weeks),
        ),
    ]
    agreement = deployment_services.save_draft(
        deployment, actor=broker_user, terms=terms, objectives=objectives, drafted_on=min(starts_on, today)
    )
    deployment_services.send_for_agreement(agreement, actor=broker_user)
    if agree:
        supported = _school_contact(request.school)
        deployment_services.agree(agreement, actor=supported, party=Party.SUPPORTED_SCHOOL, today=today)
        deployment_services.agree(agreement, actor=designation.holder, party=Party.LEADER_SCHOOL, today=today)
        # Over the request's £6,000 budget: the commissioner accepted the overrun in agreeing.
        deployment_services.agree(
            agreement, actor=commissioner_user, party=Party.COMMISSIONER, today=today, accept_overrun=True
        )
    deployment.refresh_from_db()
    return deployment


def _log(deployment: Deployment, days_ago: list[int], today: datetime.date) -> None:
    if deployment.time_entries.exists():
        return
    for ago in days_ago:
        deployment_services.log_time(
            deployment,
            actor=deployment.leader,
            worked_on=today - datetime.timedelta(days=ago),
            days=Decimal("0.5"),
            note="Coaching and a learning walk (demo).",
            today=today,
        )


def _review(
    deployment: Deployment, broker_user, rags: list[str], today: datetime.date, next_in_days: int
) -> None:
    if deployment.reviews.exists():
        return
    objectives = deployment_services.current_objectives(deployment)
    ratings = [
        deployment_services.Rating(o.pk, rag, "Notes of visit and pupil tracking (demo).")
        for o, rag in zip(objectives, rags, strict=False)
    ]
    next_review_on = today + datetime.timedelta(days=next_in_days)
    review = deployment_services.record_review(
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
def seed_brokerage_demo() -> BrokerageDemoSummary:
    today = timezone.localdate()
    officer, commissioner = _user("la.officer@norfolk.demo"), _user("commissioner@norfolk.demo")
    ts_lead, head = _user("ts.lead@norfolk.demo"), _user("head@norfolk.demo")
    if None in (officer, commissioner, ts_lead, head):
        raise RuntimeError("Run seed_demo first: the demo users are missing.")
    la = Organisation.objects.get(kind=OrganisationKind.LOCAL_AUTHORITY, local_authority__code=NORFOLK)
    teaching_school = ts_lead.organisations_with_role(Role.TEACHING_SCHOOL_LEAD)[0]
    head_school = head.organisations_with_role(*SCHOOL_LEADER_ROLES)[0].school
    # The named leader is kept for the agreement waiting for the demo head (below).
    busy: set[int] = set(User.objects.filter(email=LEADER_EMAIL).values_list("pk", flat=True))
    norfolk = list(
        School.objects.filter(
            local_authority__code=NORFOLK, status="open", phase__in=[Phase.PRIMARY, Phase.SECONDARY]
        )
        .exclude(pk__in=[teaching_school.school_id, head_school.pk])
        .order_by("urn")
    )
    at_risk = _risk_assessments(norfolk, officer, today)
    if len(norfolk) < 16 or len(at_risk) < 3:  # a cut-down dataset (tests): nothing more to show
        return _summary()
    for school in norfolk[10:16]:
        AlliancePartner.objects.get_or_create(teaching_school=teaching_school, school=school)
    la_request = {"commissioner": la, "broker": la, "actor": commissioner, "today": today}

    _request(
        "Leadership support for a new headteacher",
        at_risk[0],
        code="LLE",
        needs=["Support for a new headteacher", "School leadership"],
        reasons=[PriorityReason.NEW_HEAD, PriorityReason.RISK_RATING],
        **la_request,
    )
    sle_request = _request(
        "Phonics in key stage 1",
        norfolk[11],
        commissioner=la,
        broker=teaching_school,
        actor=commissioner,
        code="SLE",
        needs=["Phonics", "English"],
        reasons=[],
        today=today,
    )
    sle = (
        Designation.objects.filter(
            designating_organisation=teaching_school,
            status=DesignationStatus.ACTIVE,
            training_completed_on__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    if sle and not sle_request.shortlist.exists() and sle.school_id != sle_request.school_id:
        services.shortlist(sle_request, sle, actor=ts_lead, notes="Strong phonics results at her own school.")

    made = []
    plans = [  # (title, school, type, start weeks ago, weeks long, time logged days ago, review RAGs)
        (
            "Improving reading across the school",
            at_risk[1],
            "LLE",
            10,
            36,
            [60, 45, 30, 10],
            [Rag.GREEN, Rag.RED],
        ),
        (
            "Securing leadership after an Inadequate judgement",
            at_risk[2],
            "NLE",
            12,
            52,
            [80, 70, 40],
            [Rag.AMBER, Rag.AMBER],
        ),
        ("Maths leadership", norfolk[8], "LLE", 30, 26, [200, 180, 150], [Rag.GREEN, Rag.GREEN]),
        ("Governance review", norfolk[9], "LLE", 40, 26, [270, 250, 220], [Rag.GREEN, Rag.AMBER]),
    ]
    for title, school, code, weeks_ago, weeks, logged, rags in plans:
        reasons = [PriorityReason.SIGNIFICANT_IMPROVEMENT] if code == "NLE" else [PriorityReason.RISK_RATING]
        request = _request(
            title, school, code=code, needs=["School leadership"], reasons=reasons, **la_request
        )
        if title == "Improving reading across the school":
            _supported_head(school)  # before the deployment, so it is the school's contact
        designation = _leader(request, busy, today)
        if designation is None:
            continue
        busy.add(designation.holder_id)
        deployment = _deploy(
            request,
            designation,
            broker_user=officer,
            commissioner_user=commissioner,
            starts_on=today - datetime.timedelta(weeks=weeks_ago),
            weeks=weeks,
            today=today,
        )
        if deployment.state == DeploymentState.ACTIVE:
            _log(deployment, [d for d in logged if d <= weeks_ago * 7], today)
            _review(deployment, officer, rags, today, next_in_days=-5 if code == "NLE" else 30)
        made.append(deployment)
    _finish(made, officer, today)

    waiting = _request(
        "Early reading and phonics",
        head_school,
        code="LLE",
        needs=["Phonics"],
        reasons=[PriorityReason.RISK_RATING],
        **la_request,
    )
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
    return _summary()


def _summary() -> BrokerageDemoSummary:
    return BrokerageDemoSummary(
        requests=SupportRequest.objects.count(),
        deployments=Deployment.objects.count(),
        risk_assessments=RiskAssessment.objects.count(),
    )


def _finish(made: list[Deployment], officer, today: datetime.date) -> None:
    """The third has ended and awaits its final evaluation; the fourth is completed."""
    for deployment in made[2:4]:
        if deployment.state == DeploymentState.ACTIVE:
            deployment_services.transition(
                deployment, DeploymentState.AWAITING_FINAL_EVALUATION, actor=officer
            )
    if len(made) > 3 and made[3].state == DeploymentState.AWAITING_FINAL_EVALUATION:
        outcomes = {o.pk: ObjectiveOutcome.MET for o in deployment_services.current_objectives(made[3])}
        deployment_services.record_final_evaluation(
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
        deployment_services.pause(
            made[0],
            actor=officer,
            reason=StateReason.SCHOOL_CIRCUMSTANCES,
            note="Paused for the school's inspection week (demo).",
        )
        deployment_services.resume(made[0], actor=officer, note="Inspection over (demo).")

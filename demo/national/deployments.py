"""Support requests and ten years of deployments: each leader's deployments one after another
from their designation, each with its request, its agreed agreement (three signoffs, objectives),
time logged, progress reviews with RAG ratings and, once completed, its final evaluation; plus
requests still waiting for their broker (some with a shortlist) and requests closed unsupported.

States follow the dates, relative to today: finished long ago is completed (a few ended early);
just finished awaits its final evaluation or is completed; under way is active (a few paused); to
start is agreed or still proposed (its agreement awaiting signoffs). At most one is live per leader."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from brokerage.choices import Funder, PriorityReason, RequestStatus, ShortlistStatus
from brokerage.models import ShortlistEntry, SupportRequest
from deployments.choices import (
    AgreementStatus,
    DeploymentState,
    ObjectiveOutcome,
    Party,
    Rag,
    RateBasis,
    StateReason,
    TimeBasis,
)
from deployments.models import (
    Agreement,
    Deployment,
    FinalEvaluation,
    Objective,
    ObjectiveOutcomeRecord,
    ObjectiveProgress,
    ProgressReview,
    Signoff,
    TimeEntry,
)
from deployments.services.work import RAG_FIELDS
from designations.choices import DesignationStatus
from designations.models import Designation
from schools.choices import Grade
from schools.models import LocalAuthority, School

from .context import Context, bulk, given_timestamps, insert_rows, moment
from .people import PRINCIPALS, People

# Days a deployment lasts and days between one and the leader's next, by designation type.
LENGTH_DAYS = {"SLE": (5, 90), "LLE": (180, 720), "NLE": (300, 900), "NLG": (30, 180)}
GAP_DAYS = {"SLE": (20, 200), "LLE": (20, 200), "NLE": (20, 160), "NLG": (30, 200)}
DAYS_PER_WEEK = {"LLE": ("0.5", "0.5", "1"), "NLE": ("1", "1.5", "2")}
TERM_WEEKS_PER_WEEK = Decimal("0.75")  # 39 school weeks in 52
WAITING_AT_FULL_SCALE = 3_000
CLOSED_AT_FULL_SCALE = 2_000
NEEDING_SUPPORT = {
    Grade.REQUIRES_IMPROVEMENT,
    Grade.INADEQUATE,
    Grade.NEEDS_ATTENTION,
    Grade.URGENT_IMPROVEMENT,
}
OBJECTIVES = (
    (
        "Leaders track pupils' progress termly and act on it",
        "Every pupil group's progress is reviewed termly",
    ),
    ("Teaching in reading is consistently good", "Most reading lessons observed are good or better"),
    ("Governors hold leaders to account for standards", "Governors' minutes show challenge on outcomes"),
    (
        "Middle leaders lead improvement in their subjects",
        "Each subject plan is led and reviewed by its leader",
    ),
)
NOTES = (
    "Coaching the head",
    "Learning walk with the deputy",
    "Governors' meeting",
    "Moderation of writing",
    "Planning with subject leads",
    "Pupil progress meeting",
)


@dataclass
class DeploymentsMade:
    counts: dict[str, int] = field(default_factory=dict)
    time_entries: list[TimeEntry] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
    agreements: dict[int, Agreement] = field(default_factory=dict)


class _Plan:
    """The rows of one deployment, before saving."""

    def __init__(self, deployment: Deployment, request: SupportRequest, agreement: Agreement, code: str):
        self.deployment, self.request, self.agreement, self.code = deployment, request, agreement, code
        self.objectives: list[Objective] = []
        self.entries: list[TimeEntry] = []
        self.reviews: list[tuple[ProgressReview, list[str]]] = []
        self.signoffs: list[Signoff] = []
        self.evaluation: FinalEvaluation | None = None


class _Builder:
    def __init__(
        self,
        ctx: Context,
        people: People,
        schools: list[School],
        overall: dict[int, str],
        busiest: LocalAuthority,
    ):
        self.ctx, self.people, self.rng, self.today = ctx, people, ctx.rng("deployments"), ctx.today
        self.busiest = busiest
        self.by_region: dict[str, list[School]] = {}
        for school in schools:
            needs = overall.get(school.urn) in NEEDING_SUPPORT or self.rng.random() < 0.25
            if needs:
                self.by_region.setdefault(school.region, []).append(school)
        self.in_busiest = [s for s in schools if s.local_authority_id == busiest.pk]
        self.plans: list[_Plan] = []
        self.requests: list[SupportRequest] = []
        self.request_links: list[tuple[SupportRequest, list, list]] = []
        self.shortlist: list[ShortlistEntry] = []

    # --- the pieces ---------------------------------------------------------------------------

    def _broker(self, designation: Designation, school: School):
        code = designation.designation_type.code
        if code == "SLE":
            return designation.designating_organisation, self.people.head_of(
                designation.designating_organisation.school
            )
        if code == "NLG":
            return self.people.national, None
        return self.people.authority_organisations[school.local_authority_id], self.people.officers[
            school.local_authority_id
        ]

    def _request(
        self,
        school: School,
        designation_type,
        broker,
        broker_user,
        needs,
        status: str,
        raised: datetime.date,
        budget: Decimal | None,
        starts_on: datetime.date | None,
    ) -> SupportRequest:
        commissioner = self.people.authority_organisations[school.local_authority_id]
        request = SupportRequest(
            school=school,
            commissioner=commissioner,
            broker=broker,
            raised_by=self.people.commissioners[school.local_authority_id],
            title=f"{needs[0].name} support at {school.name}"[:200],
            needs_description=f"The school asks for help with {', '.join(n.name.lower() for n in needs)}.",
            priority_reasons=[self.rng.choice([r.value for r in PriorityReason])]
            if self.rng.random() < 0.6
            else [],
            preferred_start_on=starts_on,
            budget=budget,
            funded_by=Funder.COMMISSIONER,
            status=status,
            created_at=moment(raised),
            updated_at=moment(raised),
        )
        self.requests.append(request)
        self.request_links.append((request, needs, [designation_type]))
        return request

    def _state(self, starts_on: datetime.date, ends_on: datetime.date) -> str:
        rng, today = self.rng, self.today
        if ends_on < today - datetime.timedelta(days=90):
            return DeploymentState.COMPLETED if rng.random() < 0.92 else DeploymentState.ENDED_EARLY
        if ends_on < today:
            return (
                DeploymentState.AWAITING_FINAL_EVALUATION if rng.random() < 0.5 else DeploymentState.COMPLETED
            )
        if starts_on <= today:
            return DeploymentState.ACTIVE if rng.random() < 0.9 else DeploymentState.PAUSED
        return DeploymentState.AGREED if rng.random() < 0.6 else DeploymentState.PROPOSED

    def deployment(
        self,
        designation: Designation,
        school: School,
        starts_on: datetime.date,
        ends_on: datetime.date,
        state: str,
    ) -> _Plan:
        rng, code = self.rng, designation.designation_type.code
        broker, broker_user = self._broker(designation, school)
        rate = Decimal(rng.choice(("350", "400", "450", "500", "600")))
        weeks = Decimal((ends_on - starts_on).days + 1) / 7 * TERM_WEEKS_PER_WEEK
        if code in DAYS_PER_WEEK:
            basis, per_week, total = TimeBasis.DAYS_PER_WEEK, Decimal(rng.choice(DAYS_PER_WEEK[code])), None
            agreed = max(Decimal("0.5"), (per_week * weeks * 2).quantize(Decimal(1)) / 2)
        else:
            basis, per_week = TimeBasis.TOTAL_DAYS, None
            total = agreed = Decimal(min(500, max(1, rng.randint(2, 2 + (ends_on - starts_on).days // 4))))
        committed = (
            per_week
            if per_week
            else max(Decimal("0.1"), (agreed / max(weeks, Decimal(1))).quantize(Decimal("0.1")))
        )
        budget = (agreed * rate * Decimal("1.1")).quantize(Decimal(1))
        request_status = RequestStatus.PROPOSED if state == DeploymentState.PROPOSED else RequestStatus.AGREED
        raised = starts_on - datetime.timedelta(days=rng.randint(20, 70))
        needs = rng.sample(list(designation.specialisms_made), min(2, len(designation.specialisms_made)))
        request = self._request(
            school,
            designation.designation_type,
            broker,
            broker_user,
            needs,
            request_status,
            raised,
            budget,
            starts_on,
        )
        commissioner_user = self.people.commissioners[school.local_authority_id]
        drafted = raised + datetime.timedelta(days=rng.randint(7, 18))
        live = state not in {DeploymentState.COMPLETED, DeploymentState.ENDED_EARLY}
        next_review = None
        if live and state != DeploymentState.PROPOSED:
            next_review = self.today + datetime.timedelta(
                days=rng.randint(-10 if rng.random() < 0.1 else 1, 42)
            )
            next_review = max(next_review, starts_on)
        deployment = Deployment(
            support_request=request,
            designation=designation,
            leader=designation.holder,
            leader_school=designation.school,
            supported_school=school,
            commissioner=request.commissioner,
            broker=broker,
            state=state,
            state_reason=StateReason.SCHOOL_CIRCUMSTANCES
            if state in {DeploymentState.PAUSED, DeploymentState.ENDED_EARLY}
            else "",
            starts_on=starts_on,
            ends_on=ends_on,
            days_per_week=committed,
            days_agreed=agreed,
            next_review_on=next_review,
            created_by=broker_user,
            created_at=moment(drafted),
            state_changed_at=moment(min(self.today, max(starts_on, ends_on if not live else starts_on))),
        )
        agreed_at = min(drafted + datetime.timedelta(days=rng.randint(3, 14)), self.today)
        agreement = Agreement(
            deployment=deployment,
            version=1,
            status=AgreementStatus.AWAITING_AGREEMENT
            if state == DeploymentState.PROPOSED
            else AgreementStatus.AGREED,
            expected_impact="The school's own leaders sustain the improvement after the support ends.",
            support_approach="Regular coaching of leaders; joint learning walks; a governors' briefing.",
            school_participants="Headteacher; deputy headteacher; chair of governors",
            time_basis=basis,
            days_per_week=per_week,
            total_days=total,
            starts_on=starts_on,
            ends_on=ends_on,
            rate_basis=RateBasis.DAY_RATE,
            day_rate=rate,
            payer=request.commissioner,
            payee_school=designation.school,
            drafted_by=broker_user,
            created_at=moment(drafted),
            sent_at=moment(drafted, 14),
            agreed_at=None if state == DeploymentState.PROPOSED else moment(agreed_at, 16),
        )
        plan = _Plan(deployment, request, agreement, code)
        parties = [
            (Party.SUPPORTED_SCHOOL, self.people.head_of(school)),
            (Party.LEADER_SCHOOL, designation.holder),
            (Party.COMMISSIONER, commissioner_user),
        ]
        if state == DeploymentState.PROPOSED:
            parties = parties[: rng.randint(0, 2)]
        plan.signoffs = [
            Signoff(agreement=agreement, party=party, agreed_by=user, agreed_at=moment(agreed_at, 15))
            for party, user in parties
        ]
        length = (ends_on - starts_on).days
        for order, (description, measure) in enumerate(rng.sample(OBJECTIVES, 2)):
            target = starts_on + datetime.timedelta(days=length if order else length // 2)
            plan.objectives.append(
                Objective(
                    agreement=agreement,
                    order=order,
                    description=description,
                    success_measure=measure,
                    target_on=target,
                )
            )
        if state not in {DeploymentState.AGREED, DeploymentState.PROPOSED}:
            self._work(plan, broker_user or commissioner_user, agreed)
        self.plans.append(plan)
        return plan

    def _work(self, plan: _Plan, reviewer, agreed: Decimal) -> None:
        rng, deployment = self.rng, plan.deployment
        until = min(deployment.ends_on, self.today)
        span = (until - deployment.starts_on).days
        count = min(int(agreed) * 2, max(1, span // 16 + rng.randint(0, 3)))
        days = sorted(
            {
                deployment.starts_on + datetime.timedelta(days=rng.randint(0, max(0, span)))
                for _ in range(count)
            }
        )
        for day in days:
            if day.weekday() > 4:
                day -= datetime.timedelta(days=day.weekday() - 4)
            day = max(day, deployment.starts_on)
            plan.entries.append(
                TimeEntry(
                    deployment=deployment,
                    person=deployment.leader,
                    worked_on=day,
                    days=Decimal(rng.choice(("0.5", "0.5", "1"))),
                    note=rng.choice(NOTES),
                    logged_at=moment(min(day + datetime.timedelta(days=rng.randint(0, 5)), self.today), 17),
                )
            )
        plan.entries = list({e.worked_on: e for e in plan.entries}.values())
        if plan.entries:
            deployment.last_time_logged_on = max(e.worked_on for e in plan.entries)
        reviews = min(8, max(1, span // 45))
        previous = None
        for n in range(reviews):
            reviewed_on = deployment.starts_on + datetime.timedelta(days=span * (n + 1) // (reviews + 1) or 1)
            reviewed_on = min(reviewed_on, self.today)
            if previous and reviewed_on <= previous.reviewed_on:
                continue
            rags = [rng.choices([Rag.GREEN, Rag.AMBER, Rag.RED], [6, 3, 1])[0] for _ in plan.objectives]
            review = ProgressReview(
                deployment=deployment,
                reviewed_on=reviewed_on,
                summary="Leaders are engaging well.",
                reviewed_by=reviewer,
                created_at=moment(reviewed_on, 15),
            )
            if previous:
                previous.next_review_on = reviewed_on
            plan.reviews.append((review, rags))
            previous = review
        if previous and deployment.next_review_on and deployment.next_review_on > previous.reviewed_on:
            previous.next_review_on = deployment.next_review_on
        if plan.reviews:
            self._copy_latest_review(deployment, *plan.reviews[-1])
        if deployment.state == DeploymentState.COMPLETED:
            evaluated_on = min(deployment.ends_on + datetime.timedelta(days=rng.randint(1, 30)), self.today)
            plan.evaluation = FinalEvaluation(
                deployment=deployment,
                impact="Leaders now check pupils' progress termly and act on it.",
                capacity_built="The deputy head leads the school's own reviews.",
                evaluated_on=evaluated_on,
                evaluated_by=reviewer,
            )

    @staticmethod
    def _copy_latest_review(deployment: Deployment, review: ProgressReview, rags: list[str]) -> None:
        """What ``refresh_latest_reviews`` would copy onto the deployment, known before saving: its
        reviews' dates only rise, so the last is the latest."""
        deployment.latest_review_on = review.reviewed_on
        for rag, attribute in RAG_FIELDS.items():
            setattr(deployment, attribute, rags.count(rag))

    # --- the leaders' histories and the waiting requests ----------------------------------------

    def leader_history(self, designation: Designation, *, principal: bool = False) -> None:
        if not designation.training_completed_on or designation.holder is None:
            return
        code, rng = designation.designation_type.code, self.rng
        region = designation.school.region
        pool = [s for s in self.by_region.get(region, []) if s.pk != designation.school.pk] or self.in_busiest
        start = designation.training_completed_on + datetime.timedelta(days=rng.randint(10, 120))
        last_day = designation.ended_on or self.today + datetime.timedelta(days=60)
        if designation.status == DesignationStatus.SUSPENDED:
            last_day = self.today - datetime.timedelta(days=120)
        while start <= last_day:
            ends_on = start + datetime.timedelta(days=rng.randint(*LENGTH_DAYS[code]))
            if designation.ended_on and ends_on > designation.ended_on:
                break
            state = self._state(start, ends_on)
            final = state not in {DeploymentState.COMPLETED, DeploymentState.ENDED_EARLY}
            if principal and (final or ends_on >= self.today - datetime.timedelta(days=90)):
                break
            self.deployment(designation, rng.choice(pool), start, ends_on, state)
            if final:
                return
            start = ends_on + datetime.timedelta(days=rng.randint(*GAP_DAYS[code]))
        if principal:
            starts_on = self.today - datetime.timedelta(days=120)
            school = next(
                s for s in self.in_busiest if s.pk != designation.school.pk and s.pk not in self.people.heads
            )
            self.people.head_of(school).email = PRINCIPALS["head"]
            self.deployment(
                designation,
                school,
                starts_on,
                starts_on + datetime.timedelta(days=540),
                DeploymentState.ACTIVE,
            )

    def waiting_requests(self, designations: list[Designation], types: dict) -> None:
        rng, today = self.rng, self.today
        local = [types["LLE"], types["NLE"]]
        current = [
            d
            for d in designations
            if d.designation_type.code in {"LLE", "NLE"} and d.ended_on is None and d.training_completed_on
        ]
        specialisms = sorted({s for d in designations for s in d.specialisms_made}, key=lambda s: s.slug)
        waiting = self.ctx.count(WAITING_AT_FULL_SCALE, minimum=6)
        for n in range(waiting):
            pool = self.in_busiest if n % 10 == 0 or n < 5 else rng.choice(list(self.by_region.values()))
            school = rng.choice(pool)
            designation_type = rng.choice(local)
            broker = self.people.authority_organisations[school.local_authority_id]
            status = RequestStatus.SHORTLISTING if rng.random() < 0.4 else RequestStatus.OPEN
            raised = today - datetime.timedelta(days=rng.randint(0, 120))
            request = self._request(
                school,
                designation_type,
                broker,
                self.people.officers[school.local_authority_id],
                rng.sample(specialisms, 2),
                status,
                raised,
                Decimal(rng.choice(("6000", "12000", "20000"))),
                today + datetime.timedelta(days=rng.randint(14, 120)),
            )
            if status == RequestStatus.SHORTLISTING and current:
                for candidate in rng.sample(current, min(3, len(current))):
                    self.shortlist.append(
                        ShortlistEntry(
                            request=request,
                            designation=candidate,
                            status=ShortlistStatus.SHORTLISTED,
                            added_by=self.people.officers[school.local_authority_id],
                        )
                    )
        for _ in range(self.ctx.count(CLOSED_AT_FULL_SCALE, minimum=1)):
            school = rng.choice(rng.choice(list(self.by_region.values())))
            raised = today - datetime.timedelta(days=rng.randint(150, 3650))
            self._request(
                school,
                rng.choice(local),
                self.people.authority_organisations[school.local_authority_id],
                self.people.officers[school.local_authority_id],
                rng.sample(specialisms, 1),
                rng.choice((RequestStatus.WITHDRAWN, RequestStatus.CLOSED)),
                raised,
                None,
                None,
            )

    # --- saving -------------------------------------------------------------------------------

    def save(self) -> DeploymentsMade:
        self.people.save()
        with given_timestamps(SupportRequest, Deployment, Agreement, Signoff, TimeEntry, ProgressReview):
            bulk(SupportRequest, self.requests)
            needs_through, types_through = (
                SupportRequest.needs.through,
                SupportRequest.designation_types.through,
            )
            insert_rows(
                needs_through,
                ("supportrequest_id", "specialism_id"),
                [(r.pk, s.pk) for r, needs, _ in self.request_links for s in needs],
            )
            insert_rows(
                types_through,
                ("supportrequest_id", "designationtype_id"),
                [(r.pk, t.pk) for r, _, kinds in self.request_links for t in kinds],
            )
            bulk(ShortlistEntry, self.shortlist, ids=False)
            for plan in self.plans:
                plan.deployment.support_request = plan.request
            bulk(Deployment, [p.deployment for p in self.plans])
            for plan in self.plans:
                plan.agreement.deployment = plan.deployment
            bulk(Agreement, [p.agreement for p in self.plans])
            for plan in self.plans:
                for row in [*plan.signoffs, *plan.objectives]:
                    row.agreement = plan.agreement
                for row in [*plan.entries, *(r for r, _ in plan.reviews)]:
                    row.deployment = plan.deployment
                if plan.evaluation:
                    plan.evaluation.deployment = plan.deployment
            bulk(Signoff, [s for p in self.plans for s in p.signoffs], batch_size=5000, ids=False)
            bulk(Objective, [o for p in self.plans for o in p.objectives], batch_size=5000)
            entries = bulk(TimeEntry, [e for p in self.plans for e in p.entries], batch_size=5000)
            reviews = bulk(ProgressReview, [r for p in self.plans for r, _ in p.reviews], batch_size=5000)
        insert_rows(
            ObjectiveProgress,
            ("review_id", "objective_id", "rag", "evidence"),
            [
                (review.pk, objective.pk, rag, "Notes of visit and pupil tracking.")
                for p in self.plans
                for review, rags in p.reviews
                for objective, rag in zip(p.objectives, rags, strict=True)
            ],
        )
        evaluations = bulk(FinalEvaluation, [p.evaluation for p in self.plans if p.evaluation])
        outcomes = list(ObjectiveOutcome)
        insert_rows(
            ObjectiveOutcomeRecord,
            ("evaluation_id", "objective_id", "outcome"),
            [
                (p.evaluation.pk, o.pk, self.rng.choices(outcomes, [6, 3, 1])[0])
                for p in self.plans
                if p.evaluation
                for o in p.objectives
            ],
        )
        made = DeploymentsMade()
        made.deployments = [p.deployment for p in self.plans]
        made.agreements = {p.deployment.pk: p.agreement for p in self.plans}
        made.time_entries = entries
        made.counts = {
            "support requests": len(self.requests),
            "deployments": len(self.plans),
            "time entries": len(entries),
            "progress reviews": len(reviews),
            "final evaluations": len(evaluations),
        }
        return made


def generate_deployments(
    ctx: Context,
    people: People,
    open_schools: list[School],
    overall: dict[int, str],
    busiest: LocalAuthority,
    leaders: list[Designation],
    principal: Designation,
    types: dict,
) -> DeploymentsMade:
    builder = _Builder(ctx, people, open_schools, overall, busiest)
    for designation in leaders:
        builder.leader_history(designation, principal=designation is principal)
    builder.waiting_requests(leaders, types)
    return builder.save()

"""The local authority dashboard's figures: open requests by age, deployments active and at risk,
schools at risk without support, and coverage of system leaders by phase and area. Each is a
fixed number of queries whatever the size of the authority."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from deployments.choices import DeploymentState, Rag
from deployments.models import Deployment, ObjectiveProgress, ProgressReview
from designations.choices import DesignationStatus
from designations.models import Designation
from schools.choices import Phase

from .choices import WAITING_REQUEST_STATUSES
from .models import SupportRequest
from .queries import schools_at_risk_without_support

STALLED_AFTER = datetime.timedelta(weeks=4)
AGE_BUCKETS = [  # (label, younger than this many days)
    ("Under 2 weeks", 14),
    ("2 to 4 weeks", 28),
    ("1 to 3 months", 91),
    ("Over 3 months", None),
]
COVERAGE_TYPES = ["SLE", "LLE", "NLE", "NLG"]
PHASE_GROUPS = {
    Phase.NURSERY: "Primary",
    Phase.PRIMARY: "Primary",
    Phase.MIDDLE_DEEMED_PRIMARY: "Primary",
    Phase.SECONDARY: "Secondary",
    Phase.MIDDLE_DEEMED_SECONDARY: "Secondary",
    Phase.SIXTEEN_PLUS: "Secondary",
    Phase.ALL_THROUGH: "All-through and other",
    Phase.NOT_APPLICABLE: "All-through and other",
}
PHASE_COLUMNS = ["Primary", "Secondary", "All-through and other"]


def in_authorities(prefix: str, authority_ids: list[int]) -> Q:
    return Q(**{f"{prefix}local_authority_id__in": authority_ids})


def open_requests_by_age(authority_ids: list[int], today: datetime.date) -> list[dict]:
    """Requests for the authorities' schools still waiting for a broker, counted by age."""
    now = datetime.datetime.combine(today, datetime.time.max, tzinfo=datetime.UTC)
    aggregates, lower = {}, None
    for index, (_, days) in enumerate(AGE_BUCKETS):
        condition = Q()
        if days is not None:
            condition &= Q(created_at__gt=now - datetime.timedelta(days=days))
        if lower is not None:
            condition &= Q(created_at__lte=now - datetime.timedelta(days=lower))
        aggregates[f"bucket_{index}"] = Count("pk", filter=condition)
        lower = days
    counts = SupportRequest.objects.filter(
        in_authorities("school__", authority_ids), status__in=sorted(WAITING_REQUEST_STATUSES)
    ).aggregate(**aggregates)
    return [
        {"label": label, "count": counts[f"bucket_{index}"]} for index, (label, _) in enumerate(AGE_BUCKETS)
    ]


def live_deployments(authority_ids: list[int], today: datetime.date) -> QuerySet[Deployment]:
    """Active and paused deployments at the authorities' schools, annotated with why each is at
    risk (``red_objective``, ``review_overdue``, ``stalled``)."""
    latest_review = ProgressReview.objects.filter(deployment=OuterRef("pk")).order_by("-reviewed_on", "-pk")
    red_in_latest = ObjectiveProgress.objects.filter(review_id=OuterRef("latest_review_id"), rag=Rag.RED)
    return (
        Deployment.objects.filter(
            in_authorities("supported_school__", authority_ids),
            state__in=[DeploymentState.ACTIVE, DeploymentState.PAUSED],
        )
        .select_related("supported_school", "leader", "designation__designation_type", "broker")
        .annotate(latest_review_id=Subquery(latest_review.values("pk")[:1]))
        .annotate(
            red_objective=Exists(red_in_latest),
            review_overdue=Q(next_review_on__lt=today),
            last_activity=Coalesce(F("last_time_logged_on"), F("starts_on")),
        )
        .annotate(stalled=Q(state=DeploymentState.ACTIVE, last_activity__lt=today - STALLED_AFTER))
        .order_by("supported_school__name", "pk")
    )


def risk_reasons(deployment: Deployment) -> list[str]:
    reasons = []
    if deployment.red_objective:
        reasons.append("A red objective at the latest review")
    if deployment.review_overdue:
        reasons.append(f"Review overdue (due {deployment.next_review_on:%-d %B %Y})")
    if deployment.stalled:
        reasons.append("No time logged for 4 weeks")
    return reasons


@dataclass
class Coverage:
    """Active, trained system leaders at the authorities' schools, by type and phase, and by area."""

    by_phase: dict[str, dict[str, int]]
    by_area: list[tuple[str, dict[str, int]]]
    gaps: list[str] = field(default_factory=list)
    largest: int = 1


def coverage(authority_ids: list[int]) -> Coverage:
    designations = Designation.objects.filter(
        in_authorities("school__", authority_ids),
        status=DesignationStatus.ACTIVE,
        designation_type__code__in=COVERAGE_TYPES,
    )
    by_phase = {code: dict.fromkeys(PHASE_COLUMNS, 0) for code in COVERAGE_TYPES}
    for row in designations.values("designation_type__code", "school__phase").annotate(n=Count("pk")):
        by_phase[row["designation_type__code"]][PHASE_GROUPS.get(row["school__phase"], PHASE_COLUMNS[2])] += (
            row["n"]
        )
    areas: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COVERAGE_TYPES, 0))
    for row in designations.values("designation_type__code", "school__town").annotate(n=Count("pk")):
        areas[row["school__town"] or "Unknown"][row["designation_type__code"]] += row["n"]
    by_area = sorted(areas.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    gaps = [
        f"No {column.lower()} {code}s"
        for code in ("LLE", "NLE", "SLE")
        for column in PHASE_COLUMNS[:2]
        if by_phase[code][column] == 0
    ]
    largest = max([1, *(n for row in by_phase.values() for n in row.values())])
    return Coverage(by_phase=by_phase, by_area=by_area, gaps=gaps, largest=largest)


def at_risk_schools(authority_ids: list[int]):
    return schools_at_risk_without_support(authority_ids)

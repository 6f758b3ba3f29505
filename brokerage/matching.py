"""Candidates for a support request, ranked with the reasons for their place, and the leaders
who cannot be put forward with the reason why.

Only designations of the request's types that its broker may broker are considered at all (a
teaching school sees its own pool's SLEs). Of those, a leader is excluded when suspended, not
yet trained, at the supported school or in its trust (a conflict of interest), or without a day
to spare in the first weeks of the support. The rest are scored on specialism and phase fit,
distance, spare capacity and track record. The query count does not grow with the number of
leaders.

Free days and track records come from leaders' committed work, which the deployments app knows:
they are asked through brokerage.workload, so brokerage does not depend on the app above it.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from designations.choices import CURRENT_DESIGNATION_STATUSES, BrokeringRule, DesignationStatus
from designations.models import Designation

from .models import SupportRequest
from .rules import may_broker_type
from .workload import TrackRecord, workload

# How far ahead a leader must have time free to be put forward.
LOOKAHEAD = datetime.timedelta(weeks=12)
# Distance scores fall to nothing at this many kilometres.
FAR_KM = 50
WEIGHTS = {
    "specialism": 20,
    "specialism_cap": 60,
    "phase": 15,
    "near": 30,
    "capacity": 5,
    "completed": 2,
    "met": 10,
}


@dataclass
class Candidate:
    designation: Designation
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    exclusions: list[str] = field(default_factory=list)
    distance_km: float | None = None
    spare_days: Decimal = Decimal(0)
    matched_needs: list[str] = field(default_factory=list)
    completed: int = 0

    @property
    def is_excluded(self) -> bool:
        return bool(self.exclusions)


@dataclass
class Matching:
    ranked: list[Candidate]
    excluded: list[Candidate]
    window: tuple[datetime.date, datetime.date]


def considered_designations(request: SupportRequest) -> QuerySet[Designation]:
    """Current designations of the wanted types that this broker may broker."""
    types = [t for t in request.designation_types.all() if may_broker_type(request.broker, t)]
    pool_types = [t.pk for t in types if t.brokering_rule == BrokeringRule.TEACHING_SCHOOL_POOL]
    other_types = [t.pk for t in types if t.brokering_rule != BrokeringRule.TEACHING_SCHOOL_POOL]
    scope = Q(designation_type_id__in=other_types) | Q(
        designation_type_id__in=pool_types, designating_organisation_id=request.broker_id
    )
    return (
        Designation.objects.filter(
            scope, status__in=sorted(CURRENT_DESIGNATION_STATUSES), holder__isnull=False
        )
        .select_related("holder", "school", "school__trust", "designation_type")
        .prefetch_related("specialisms")
    )


def window_for(request: SupportRequest, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = max(request.preferred_start_on or today, today)
    return start, start + LOOKAHEAD


def _distance_km(a, b) -> float | None:
    if None in (a.easting, a.northing, b.easting, b.northing):
        return None
    return math.hypot(a.easting - b.easting, a.northing - b.northing) / 1000


def _availability(holder_ids: list[int]) -> dict[int, Decimal]:
    best: dict[int, Decimal] = defaultdict(Decimal)
    rows = Designation.objects.filter(
        holder_id__in=holder_ids, status__in=sorted(CURRENT_DESIGNATION_STATUSES)
    ).values_list("holder_id", "availability_days_per_week")
    for holder_id, days in rows:
        best[holder_id] = max(best[holder_id], days)
    return best


def _exclusions(designation: Designation, request: SupportRequest, spare: Decimal, window) -> list[str]:
    reasons = []
    if designation.status == DesignationStatus.SUSPENDED:
        reasons.append("Suspended: the designation is suspended.")
    if not designation.is_trained:
        reasons.append(
            f"Not yet trained: the {designation.designation_type.code} training is not all recorded."
        )
    school, their_school = request.school, designation.school
    if their_school.pk == school.pk:
        reasons.append(f"Conflict of interest: they work at {school.name}, the school to be supported.")
    elif school.trust_id and their_school.trust_id == school.trust_id:
        reasons.append(f"Conflict of interest: their school is in the same trust ({school.trust.name}).")
    if spare <= 0:
        reasons.append(
            f"Over capacity: no time free between {window[0]:%-d %B %Y} and {window[1]:%-d %B %Y}."
        )
    return reasons


def _score(
    candidate: Candidate, request: SupportRequest, needs: dict[int, str], record: TrackRecord
) -> None:
    designation, reasons = candidate.designation, candidate.reasons
    trained = f", trained {designation.training_completed_on:%-d %B %Y}" if designation.is_trained else ""
    reasons.append(f"{designation.designation_type.name}{trained}.")
    matched = sorted(needs[s.pk] for s in designation.specialisms.all() if s.pk in needs)
    candidate.matched_needs = matched
    if matched:
        candidate.score += min(WEIGHTS["specialism"] * len(matched), WEIGHTS["specialism_cap"])
        reasons.append(f"Specialisms match the needs: {', '.join(matched)}.")
    elif needs:
        reasons.append("No specialism matches the needs.")
    school, their_school = request.school, designation.school
    if their_school.phase == school.phase:
        candidate.score += WEIGHTS["phase"]
        reasons.append(f"Same phase: their school is {their_school.get_phase_display().lower()}.")
    else:
        reasons.append(
            f"Different phase: their school is {their_school.get_phase_display().lower()}, "
            f"the supported school {school.get_phase_display().lower()}."
        )
    if candidate.distance_km is None:
        reasons.append("Distance unknown: a school has no grid reference.")
    else:
        candidate.score += max(0.0, WEIGHTS["near"] * (1 - candidate.distance_km / FAR_KM))
        reasons.append(f"{candidate.distance_km:.1f} km from the school.")
    candidate.score += float(min(candidate.spare_days, Decimal(2))) * WEIGHTS["capacity"]
    reasons.append(
        f"{candidate.spare_days.normalize():f} of {designation.availability_days_per_week.normalize():f} "
        "days a week free."
    )
    candidate.completed = record.completed
    candidate.score += min(record.completed, 5) * WEIGHTS["completed"]
    if record.evaluated:
        candidate.score += WEIGHTS["met"] * record.met / record.evaluated
    if record.completed:
        reasons.append(
            f"Track record: {record.completed} "
            f"deployment{'s' if record.completed != 1 else ''} completed"
            f"; {record.met} of {record.evaluated} objectives met."
        )
    else:
        reasons.append("Track record: no completed deployments yet.")


def match(request: SupportRequest, *, today: datetime.date) -> Matching:
    """Every considered leader, ranked (best first) or excluded (with the reasons)."""
    window = window_for(request, today)
    designations = list(considered_designations(request))
    holder_ids = sorted({d.holder_id for d in designations})
    availability = _availability(holder_ids)
    free = workload().free_days({h: availability[h] for h in holder_ids}, *window)
    records = workload().track_records(holder_ids)
    needs = {s.pk: s.name for s in request.needs.all()}
    ranked, excluded = [], []
    for designation in designations:
        holder_id = designation.holder_id
        spare = free[holder_id]
        candidate = Candidate(
            designation, distance_km=_distance_km(designation.school, request.school), spare_days=spare
        )
        candidate.exclusions = _exclusions(designation, request, spare, window)
        _score(candidate, request, needs, records.get(holder_id, TrackRecord()))
        (excluded if candidate.is_excluded else ranked).append(candidate)
    ranked.sort(
        key=lambda c: (-c.score, c.distance_km if c.distance_km is not None else math.inf, c.designation.pk)
    )
    excluded.sort(key=lambda c: (str(c.designation.holder), c.designation.pk))
    return Matching(ranked, excluded, window)

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, NullIf, Sqrt

from designations.choices import CURRENT_DESIGNATION_STATUSES, BrokeringRule, DesignationStatus
from designations.models import Designation
from designations.queries import most_available_days

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
    )


def window_for(request: SupportRequest, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = max(request.preferred_start_on or today, today)
    return start, start + LOOKAHEAD


def _distance_km(a, b) -> float | None:
    if None in (a.easting, a.northing, b.easting, b.northing):
        return None
    return math.hypot(a.easting - b.easting, a.northing - b.northing) / 1000


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
    matched = sorted(name for pk, name in needs.items() if getattr(designation, _offers(pk)))
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


class Exclusion(models.TextChoices):
    """Why a leader cannot be put forward; counted for every considered leader."""

    SUSPENDED = "suspended", "Suspended"
    NOT_TRAINED = "not_trained", "Not yet trained"
    SAME_SCHOOL = "same_school", "Works at the supported school"
    SAME_TRUST = "same_trust", "In the supported school's trust"
    OVER_CAPACITY = "over_capacity", "Over capacity"


def _exclusion_conditions(request: SupportRequest) -> dict[str, Q]:
    """Every exclusion but over capacity, which follows from the free days ``match`` knows."""
    school = request.school
    same_trust = (
        Q(school__trust_id=school.trust_id) & ~Q(school_id=school.pk) if school.trust_id else Q(pk__in=[])
    )
    return {
        Exclusion.SUSPENDED: Q(status=DesignationStatus.SUSPENDED),
        Exclusion.NOT_TRAINED: Q(training_completed_on__isnull=True),
        Exclusion.SAME_SCHOOL: Q(school_id=school.pk),
        Exclusion.SAME_TRUST: same_trust,
    }


def _flag(condition: Q) -> Case:
    """True or False, never NULL: a comparison with a school's empty trust is unknown in SQL,
    which would otherwise drop the row from both the ranked and the excluded lists."""
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _distance_expression(school) -> Expression:
    """Kilometres between grid references, NULL when either school has none."""
    if school.easting is None or school.northing is None:
        return Value(None, output_field=FloatField())
    east = Cast(F("school__easting"), FloatField()) - float(school.easting)
    north = Cast(F("school__northing"), FloatField()) - float(school.northing)
    return Sqrt(east * east + north * north) / 1000.0


def _fit_expression(request: SupportRequest) -> Expression:
    """The terms of ``_score``'s sum the database knows (specialisms, phase, distance), in the same
    order; ``_ranking_score`` adds the rest in that order, so the ranking's score is the page's."""
    matched = Cast(Least(F("matched_count") * WEIGHTS["specialism"], WEIGHTS["specialism_cap"]), FloatField())
    phase = Case(When(school__phase=request.school.phase, then=Value(float(WEIGHTS["phase"]))), default=0.0)
    near = Case(
        When(distance_km__isnull=True, then=Value(0.0)),
        default=Greatest(Value(0.0), WEIGHTS["near"] * (1.0 - F("distance_km") / float(FAR_KM))),
        output_field=FloatField(),
    )
    return ExpressionWrapper(Value(0.0) + matched + phase + near, output_field=FloatField())


def _ranking_score(fit: float, spare: Decimal, record: TrackRecord) -> float:
    """``_fit_expression``'s figure plus the capacity and track record terms of ``_score``."""
    capacity = float(min(spare, Decimal(2))) * float(WEIGHTS["capacity"])
    completed = float(min(record.completed, 5) * WEIGHTS["completed"])
    met = float(record.met * WEIGHTS["met"]) / record.evaluated if record.evaluated > 0 else 0.0
    return fit + capacity + completed + met


def _offers(need_pk: int) -> str:
    """The annotation saying whether a candidate offers the need: read only for the rows shown,
    so their reasons need no query of their specialisms."""
    return f"offers_need_{need_pk}"


def _ranking_queryset(request: SupportRequest, considered: QuerySet[Designation], needs: list):
    """Each considered designation's key, holder, fit, distance, the holder's availability and one
    flag for each exclusion the database can tell, in the excluded list's order."""
    offered = Designation.specialisms.through.objects.filter(designation_id=OuterRef("pk"))
    matched = (
        offered.filter(specialism_id__in=[s.pk for s in needs])
        .order_by()
        .values("designation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    flags = {f"is_{code}": _flag(q) for code, q in _exclusion_conditions(request).items()}
    return (
        considered.annotate(
            available=most_available_days("holder_id"),
            distance_km=_distance_expression(request.school),
            matched_count=Coalesce(Subquery(matched, output_field=IntegerField()), 0),
        )
        .annotate(fit=_fit_expression(request), **flags)
        .order_by(*EXCLUDED_ORDER)
        .values_list("pk", "holder_id", "fit", "distance_km", "available", *flags)
    )


def _shown_queryset(considered: QuerySet[Designation], needs: list) -> QuerySet[Designation]:
    """The designations with whether they offer each need: read only for the rows shown, so their
    reasons need no query of their specialisms."""
    offered = Designation.specialisms.through.objects.filter(designation_id=OuterRef("pk"))
    return considered.annotate(
        **{_offers(need.pk): Exists(offered.filter(specialism_id=need.pk)) for need in needs}
    )


class _Rows:
    """Reads the rows of the candidates asked for, with what their reasons need, by key: every
    page of a matching asked for before one is read comes in the same query (a page showing the
    ranked and the excluded leaders reads both at once)."""

    def __init__(self, queryset: QuerySet[Designation]) -> None:
        self._queryset = queryset
        self._read: dict[int, Designation] = {}
        self._wanted: set[int] = set()

    def want(self, keys: Sequence[int]) -> None:
        self._wanted.update(key for key in keys if key not in self._read)

    def get(self, keys: Sequence[int]) -> list[Designation]:
        self.want(keys)
        if self._wanted:
            self._read.update(
                (row.pk, row) for row in self._queryset.filter(pk__in=sorted(self._wanted)).order_by()
            )
            self._wanted.clear()
        return [self._read[key] for key in keys if key in self._read]


class _Page(Sequence):
    """Some candidates in their order, read and given reasons when first looked at."""

    def __init__(self, keys: list[int], rows: _Rows, build) -> None:
        self._keys, self._rows, self._build = keys, rows, build
        self._candidates: list[Candidate] | None = None
        rows.want(keys)

    def _all(self) -> list[Candidate]:
        if self._candidates is None:
            self._candidates = [self._build(row) for row in self._rows.get(self._keys)]
        return self._candidates

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, index):
        return self._all()[index]

    def __iter__(self):
        return iter(self._all())

    def __eq__(self, other) -> bool:
        return self._all() == list(other)


class Candidates(Sequence):
    """Candidates in their order, read lazily: the order and the count are known from ``match``'s
    one ranking query (the keys alone), a slice reads its rows by key when first looked at, and only
    the rows read are given reasons, so a page can say "the best 20 of 3,000" without reading 3,000."""

    def __init__(self, keys: list[tuple[int, int]], rows: _Rows, build) -> None:
        # (designation id, holder id) in order.
        self._keys, self._rows, self._build = keys, rows, build

    def count(self) -> int:
        return len(self._keys)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _Page([pk for pk, _ in self._keys[index]], self._rows, self._build)
        if index < 0:
            index += len(self)
        rows = self[index : index + 1]
        if not rows:
            raise IndexError(index)
        return rows[0]

    def __iter__(self):
        return iter(self[:])

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def without_holder(self, holder_id: int) -> Candidates:
        return Candidates([key for key in self._keys if key[1] != holder_id], self._rows, self._build)


@dataclass
class Matching:
    """Ranked (best first) and excluded candidates, each a lazy ``Candidates``, with the number
    of considered leaders excluded for each reason (a leader may have several)."""

    ranked: Candidates
    excluded: Candidates
    window: tuple[datetime.date, datetime.date]
    exclusion_counts: dict[str, int] = field(default_factory=dict)

    @property
    def exclusion_summary(self) -> list[tuple[str, int]]:
        """(label, count) for each reason that excludes somebody, in the order of ``Exclusion``."""
        return [(Exclusion(code).label, n) for code, n in self.exclusion_counts.items() if n]


EXCLUDED_ORDER = (Coalesce(NullIf(F("holder__full_name"), Value("")), F("holder__email")), "pk")


def _builder(request: SupportRequest, window, needs: dict[int, str], figures: dict[int, tuple]):
    """``figures``: for each designation id, its ranking score, spare days and track record."""

    def build(designation: Designation) -> Candidate:
        score, spare, record = figures[designation.pk]
        designation.score = score  # the score it was ranked by
        candidate = Candidate(
            designation, distance_km=_distance_km(designation.school, request.school), spare_days=spare
        )
        candidate.exclusions = _exclusions(designation, request, spare, window)
        _score(candidate, request, needs, record)
        return candidate

    return build


def match(request: SupportRequest, *, today: datetime.date) -> Matching:
    """Every considered leader, ranked (best first) or excluded (with the reasons), lazily: the
    database filters the leaders and gives the figures it knows (one query of their keys, in the
    excluded list's order), their free days and track records come from the workload, the ranking
    and the counts are worked out here, and rows are read, and reasons written, for the candidates
    looked at."""
    window = window_for(request, today)
    needs = list(request.needs.all())
    considered = considered_designations(request)
    leaders = considered.order_by().values("holder_id")
    free = workload().free_days(leaders, *window)
    records = workload().track_records(leaders)
    none = TrackRecord()
    ranked: list[tuple[float, bool, float, int, int]] = []
    excluded: list[tuple[int, int]] = []
    counts = dict.fromkeys(Exclusion.values, 0)
    figures: dict[int, tuple] = {}
    codes = [*_exclusion_conditions(request), Exclusion.OVER_CAPACITY]
    for pk, holder_id, fit, distance, available, *flagged in _ranking_queryset(request, considered, needs):
        spare = free.get(holder_id, available)
        record = records.get(holder_id, none)
        score = _ranking_score(fit, spare, record)
        figures[pk] = (score, spare, record)
        flagged.append(spare <= 0)
        for code, flag in zip(codes, flagged, strict=True):
            counts[code] += bool(flag)
        if any(flagged):
            excluded.append((pk, holder_id))
        else:
            # Best first: by score, then the nearer (unknown distances last), then designation id.
            ranked.append((-score, distance is None, distance or 0.0, pk, holder_id))
    ranked.sort()
    build = _builder(request, window, {s.pk: s.name for s in needs}, figures)
    rows = _Rows(_shown_queryset(considered, needs))
    return Matching(
        ranked=Candidates([(pk, holder_id) for *_, pk, holder_id in ranked], rows, build),
        excluded=Candidates(excluded, rows, build),
        window=window,
        exclusion_counts=counts,
    )

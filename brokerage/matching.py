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
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    Field,
    FloatField,
    Func,
    IntegerField,
    Max,
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
DAYS = DecimalField(max_digits=6, decimal_places=2)


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
    school = request.school
    same_trust = (
        Q(school__trust_id=school.trust_id) & ~Q(school_id=school.pk) if school.trust_id else Q(pk__in=[])
    )
    return {
        Exclusion.SUSPENDED: Q(status=DesignationStatus.SUSPENDED),
        Exclusion.NOT_TRAINED: Q(training_completed_on__isnull=True),
        Exclusion.SAME_SCHOOL: Q(school_id=school.pk),
        Exclusion.SAME_TRUST: same_trust,
        Exclusion.OVER_CAPACITY: Q(spare_days__lte=0),
    }


def _any(conditions: dict[str, Q]) -> Q:
    combined = Q(pk__in=[])
    for condition in conditions.values():
        combined |= condition
    return combined


def _flag(condition: Q) -> Case:
    """True or False, never NULL: a comparison with a school's empty trust is unknown in SQL,
    which would otherwise drop the row from both the ranked and the excluded lists."""
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _availability_of_holder() -> Subquery:
    """The most any of the holder's current designations offers (capacity is the person's)."""
    best = (
        Designation.objects.filter(
            holder_id=OuterRef("holder_id"), status__in=sorted(CURRENT_DESIGNATION_STATUSES)
        )
        .order_by()
        .values("holder_id")
        .annotate(most=Max("availability_days_per_week"))
        .values("most")
    )
    return Subquery(best, output_field=DAYS)


def _distance_expression(school) -> Expression:
    """Kilometres between grid references, NULL when either school has none."""
    if school.easting is None or school.northing is None:
        return Value(None, output_field=FloatField())
    east = Cast(F("school__easting"), FloatField()) - float(school.easting)
    north = Cast(F("school__northing"), FloatField()) - float(school.northing)
    return Sqrt(east * east + north * north) / 1000.0


def _score_expression(request: SupportRequest) -> Expression:
    """``_score``'s sum in SQL, term by term in the same order, so the database ranks by the score
    the page shows."""
    matched = Cast(Least(F("matched_count") * WEIGHTS["specialism"], WEIGHTS["specialism_cap"]), FloatField())
    phase = Case(When(school__phase=request.school.phase, then=Value(float(WEIGHTS["phase"]))), default=0.0)
    near = Case(
        When(distance_km__isnull=True, then=Value(0.0)),
        default=Greatest(Value(0.0), WEIGHTS["near"] * (1.0 - F("distance_km") / float(FAR_KM))),
        output_field=FloatField(),
    )
    capacity = Cast(Least(F("spare_days"), Value(Decimal(2))), FloatField()) * float(WEIGHTS["capacity"])
    completed = Cast(Least(F("completed"), 5) * WEIGHTS["completed"], FloatField())
    met = Case(
        When(evaluated__gt=0, then=Cast(F("met") * WEIGHTS["met"], FloatField()) / F("evaluated")),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return ExpressionWrapper(
        Value(0.0) + matched + phase + near + capacity + completed + met, output_field=FloatField()
    )


class HolderValue(Func):
    """The figure ``values`` gives the row's leader (``holder_id``), or ``default``: figures worked
    out in Python for thousands of leaders reach the query as one JSON parameter, looked up by key
    for each row, instead of a CASE whose branches list every leader (slow to build, and scanned
    row by row each time the score, the flags or the column reads it)."""

    output_field: Field

    def __init__(self, values: Mapping[int, object], default: Expression, output_field: Field) -> None:
        self.values_json = json.dumps({str(key): str(value) for key, value in values.items()})
        super().__init__(F("holder_id"), default, output_field=output_field)

    def as_sql(self, compiler, connection, **extra_context):
        key_sql, key_params = compiler.compile(self.source_expressions[0])
        default_sql, default_params = compiler.compile(self.source_expressions[1])
        sql_type = "integer" if isinstance(self.output_field, IntegerField) else "numeric"
        if connection.vendor == "postgresql":
            found = f"CAST((CAST(%s AS jsonb) ->> CAST({key_sql} AS text)) AS {sql_type})"
        else:
            found = f"CAST(json_extract(%s, '$.\"' || {key_sql} || '\"') AS {sql_type})"
        return f"COALESCE({found}, {default_sql})", [self.values_json, *key_params, *default_params]


def _spare_expression(request, window, considered: QuerySet[Designation]) -> Expression:
    """The days a week each leader has free: what they can give, unless they have committed work
    or time away in the window, when the workload works it out (for those leaders only)."""
    free = workload().free_days(considered.order_by().values("holder_id"), *window)
    return HolderValue(free, F("available"), DAYS)


def _track_record_expressions(considered: QuerySet[Designation]) -> dict[str, HolderValue]:
    """Completed deployments and objectives met and evaluated, for every considered leader: two
    grouped queries, not three correlated subqueries for each row."""
    records = workload().track_records(considered.order_by().values("holder_id"))
    return {
        name: HolderValue(
            {holder: getattr(record, name) for holder, record in records.items()}, Value(0), IntegerField()
        )
        for name in ("completed", "met", "evaluated")
    }


def _offers(need_pk: int) -> str:
    """The annotation saying whether a candidate offers the need: read only for the rows shown,
    so their reasons need no query of their specialisms."""
    return f"offers_need_{need_pk}"


def ranked_queryset(request: SupportRequest, window, needs: list | None = None) -> QuerySet[Designation]:
    """The considered designations, each annotated with what ranks or excludes it (spare days,
    distance, specialisms matched, track record, score, and one flag per exclusion)."""
    considered = considered_designations(request)
    needs = [s.pk for s in (request.needs.all() if needs is None else needs)]
    offered = Designation.specialisms.through.objects.filter(designation_id=OuterRef("pk"))
    matched = (
        offered.filter(specialism_id__in=needs)
        .order_by()
        .values("designation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    spare = _spare_expression(request, window, considered)
    conditions = _exclusion_conditions(request)
    return considered.annotate(
        available=_availability_of_holder(),
        spare_days=spare,
        distance_km=_distance_expression(request.school),
        matched_count=Coalesce(Subquery(matched, output_field=IntegerField()), 0),
        **_track_record_expressions(considered),
        **{_offers(need): Exists(offered.filter(specialism_id=need)) for need in needs},
    ).annotate(
        score=_score_expression(request),
        excluded=_flag(_any(conditions)),
        **{f"is_{code}": _flag(q) for code, q in conditions.items()},
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


def _builder(request: SupportRequest, window, needs: dict[int, str]):
    def build(designation: Designation) -> Candidate:
        candidate = Candidate(
            designation,
            distance_km=_distance_km(designation.school, request.school),
            spare_days=designation.spare_days,
        )
        candidate.exclusions = _exclusions(designation, request, designation.spare_days, window)
        record = TrackRecord(designation.completed, designation.met, designation.evaluated)
        _score(candidate, request, needs, record)
        return candidate

    return build


def match(request: SupportRequest, *, today: datetime.date) -> Matching:
    """Every considered leader, ranked (best first) or excluded (with the reasons), lazily: the
    database filters, scores and orders them in one query of their keys and flags (counted here),
    and rows are read, and reasons written, for the candidates looked at."""
    window = window_for(request, today)
    needs = list(request.needs.all())
    annotated = ranked_queryset(request, window, needs)
    codes = Exclusion.values
    flags = [f"is_{code}" for code in codes]
    ranked: list[tuple[float, bool, float, int, int]] = []
    excluded: list[tuple[int, int]] = []
    counts = dict.fromkeys(codes, 0)
    # In the excluded list's order (by name, which only the database's collation orders as the
    # page shows it). The ranked are sorted here, best first: by score, then the nearer (unknown
    # distances last), then designation id, from the figures the database worked out, so each
    # leader's score is worked out once.
    keys = annotated.order_by(*EXCLUDED_ORDER).values_list(
        "pk", "holder_id", "score", "distance_km", *flags
    )
    for pk, holder_id, score, distance, *flagged in keys:
        if any(flagged):
            excluded.append((pk, holder_id))
        else:
            ranked.append((-score, distance is None, distance or 0.0, pk, holder_id))
        for code, flag in zip(codes, flagged, strict=True):
            counts[code] += bool(flag)
    ranked.sort()
    build = _builder(request, window, {s.pk: s.name for s in needs})
    rows = _Rows(annotated)
    return Matching(
        ranked=Candidates([(pk, holder_id) for *_, pk, holder_id in ranked], rows, build),
        excluded=Candidates(excluded, rows, build),
        window=window,
        exclusion_counts=counts,
    )

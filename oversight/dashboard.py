"""The local authority dashboard's figures: open requests by age, deployments active and at risk,
schools at risk without support, coverage of system leaders by phase and area, and the rows of the
deployments CSV. Each is a fixed number of queries whatever the size of the authority."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation
from brokerage.choices import WAITING_REQUEST_STATUSES
from brokerage.models import SupportRequest
from deployments.choices import AgreementStatus, DeploymentState
from deployments.costs import CostSummary, summarise
from deployments.models import Agreement, Deployment
from deployments.queries import (
    StallThresholds,
    deployments_visible_to,
    quiet_since,
    stalled_on,
    with_days,
)
from deployments.rules import sees_money
from designations.choices import DesignationStatus
from designations.models import Designation
from funding import finance
from schools.choices import Phase
from schools.models import LocalAuthority, School

AGE_BUCKETS = [  # (label, younger than this many days; None: no upper limit)
    ("Under 2 weeks", 14),
    ("2 to 4 weeks", 28),
    ("1 to 3 months", 91),
    ("Over 3 months", None),
]
COVERAGE_TYPES = ["SLE", "LLE", "NLE", "NLG"]
PRIMARY, SECONDARY, OTHER = "Primary", "Secondary", "Other"
PHASE_COLUMNS = [PRIMARY, SECONDARY, OTHER]
PHASE_GROUPS = {
    Phase.NURSERY: PRIMARY,
    Phase.PRIMARY: PRIMARY,
    Phase.MIDDLE_DEEMED_PRIMARY: PRIMARY,
    Phase.SECONDARY: SECONDARY,
    Phase.MIDDLE_DEEMED_SECONDARY: SECONDARY,
    Phase.SIXTEEN_PLUS: SECONDARY,
}
UNKNOWN_AREA = "Area not recorded"
BAR_PITCH, BAR_MAX = 24, 400  # the chart's row height and longest bar, in pixels


# --- which authorities ---------------------------------------------------------------------------


def authorities_for(user) -> list[LocalAuthority]:
    """The authorities whose dashboard the user may open, by name: every one for a national
    administrator, otherwise those of the local authorities they are an officer of (read with
    their memberships: no query of its own)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_national_administrator:
        return list(LocalAuthority.objects.order_by("name"))
    authorities = {
        m.organisation.local_authority_id: m.organisation.local_authority
        for m in user.active_memberships
        if m.role == Role.LA_OFFICER
        and m.organisation.kind == OrganisationKind.LOCAL_AUTHORITY
        and m.organisation.local_authority_id
    }
    return sorted(authorities.values(), key=lambda authority: (authority.name, authority.pk))


def authority_organisations(authority_ids: list[int]) -> QuerySet[Organisation]:
    """The authorities' own organisations (the councils), as a subquery of their keys."""
    return Organisation.objects.filter(
        kind=OrganisationKind.LOCAL_AUTHORITY, local_authority_id__in=authority_ids
    ).values("pk")


def authority_schools(authority_ids: list[int]) -> QuerySet[School]:
    return School.objects.filter(local_authority_id__in=authority_ids).values("pk")


def in_authorities(authority_ids: list[int], school: str = "school") -> Q:
    """Rows (requests, deployments) for the authorities' schools or commissioned by the authority
    itself. Each side is a lookup of the row's own indexed key in a small set (the authority's
    schools, its councils), so the database can use an index for both; the same test written
    across the joins (``school__local_authority`` or ``commissioner__local_authority``) makes it
    join every row to both tables first."""
    return Q(**{f"{school}__in": authority_schools(authority_ids)}) | Q(
        commissioner__in=authority_organisations(authority_ids)
    )


# --- (a) open requests by age ----------------------------------------------------------------------


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def open_requests_by_age(authority_ids: list[int], today: datetime.date) -> list[dict]:
    """Requests for the authorities' schools (or commissioned by the authority) still waiting for
    their broker, counted by whole days since raised. One query."""
    tomorrow = _day_start(today + datetime.timedelta(days=1))
    aggregates, lower = {}, None
    for index, (_, upper) in enumerate(AGE_BUCKETS):
        # Raised ``days`` whole days ago: at or after the start of today - days.
        condition = Q()
        if upper is not None:
            condition &= Q(created_at__gte=tomorrow - datetime.timedelta(days=upper))
        if lower is not None:
            condition &= Q(created_at__lt=tomorrow - datetime.timedelta(days=lower))
        aggregates[f"bucket_{index}"] = Count("pk", filter=condition)
        lower = upper
    counts = SupportRequest.objects.filter(
        in_authorities(authority_ids),
        status__in=sorted(WAITING_REQUEST_STATUSES),
    ).aggregate(**aggregates)
    return [{"label": label, "count": counts[f"bucket_{i}"]} for i, (label, _) in enumerate(AGE_BUCKETS)]


# --- (b) deployments active and at risk --------------------------------------------------------------


def deployments_in_authorities(authority_ids: list[int]) -> Q:
    """Deployments at the authorities' schools or commissioned by the authority itself."""
    return in_authorities(authority_ids, school="supported_school")


def live_deployments(
    authority_ids: list[int], today: datetime.date, thresholds: StallThresholds | None = None
) -> QuerySet[Deployment]:
    """Active and paused deployments in the authorities, annotated with why each is at risk:
    ``review_overdue`` and ``stalled`` (active, and no time logged for four school weeks, counting
    from the start when none has been logged); red objectives at the latest review are
    ``latest_red``, kept on the deployment when a review is saved."""
    return _with_risks(
        Deployment.objects.filter(
            deployments_in_authorities(authority_ids),
            state__in=[DeploymentState.ACTIVE, DeploymentState.PAUSED],
        ),
        today,
        thresholds,
    )


def _with_risks(
    deployments: QuerySet[Deployment], today: datetime.date, thresholds: StallThresholds | None
) -> QuerySet[Deployment]:
    return (
        deployments.select_related("supported_school", "leader", "designation__designation_type", "broker")
        .annotate(
            review_overdue=Q(next_review_on__lt=today),
            quiet_since=quiet_since(),
        )
        .annotate(stalled=stalled_on(today, thresholds))
        .order_by("supported_school__name", "pk")
    )


def at_risk_condition() -> Q:
    return Q(latest_red__gt=0) | Q(review_overdue=True) | Q(stalled=True)


def risk_reasons(deployment: Deployment) -> list[str]:
    reasons = []
    if deployment.latest_red:
        count = deployment.latest_red
        reasons.append(f"{count} red objective{'s' if count != 1 else ''} at the latest review")
    if deployment.review_overdue:
        reasons.append(f"Review overdue: it was due on {deployment.next_review_on:%-d %B %Y}")
    if deployment.stalled:
        since = f"since {deployment.quiet_since:%-d %B %Y}" if deployment.quiet_since else "at all"
        reasons.append(f"No time logged {since}")
    return reasons


@dataclass
class DeploymentFigures:
    live: int
    active: int
    paused: int
    at_risk: int


def deployment_figures(
    authority_ids: list[int], today: datetime.date, thresholds: StallThresholds | None = None
) -> DeploymentFigures:
    counts = (
        live_deployments(authority_ids, today, thresholds)
        .order_by()
        .aggregate(
            live=Count("pk"),
            active=Count("pk", filter=Q(state=DeploymentState.ACTIVE)),
            paused=Count("pk", filter=Q(state=DeploymentState.PAUSED)),
            at_risk=Count("pk", filter=at_risk_condition()),
        )
    )
    return DeploymentFigures(**counts)


def at_risk_deployments(
    authority_ids: list[int], today: datetime.date, thresholds: StallThresholds | None = None
) -> QuerySet[Deployment]:
    return live_deployments(authority_ids, today, thresholds).filter(at_risk_condition())


class AtRisk:
    """The at-risk deployments as a list a Paginator can page: its length is the count the figures
    have already read, and each slice is ``at_risk_slice`` (one query)."""

    def __init__(
        self, authority_ids: list[int], today: datetime.date, thresholds: StallThresholds, count: int
    ) -> None:
        self.authority_ids, self.today, self.thresholds = authority_ids, today, thresholds
        self.known_count = count

    def __len__(self) -> int:
        return self.known_count

    def __getitem__(self, rows: slice) -> list[Deployment]:
        return at_risk_slice(self.authority_ids, self.today, self.thresholds, rows.start or 0, rows.stop)


def at_risk_slice(
    authority_ids: list[int], today: datetime.date, thresholds: StallThresholds, bottom: int, top: int
) -> list[Deployment]:
    """``at_risk_deployments[bottom:top]`` in one query: the slice's keys are chosen in a subquery
    from the live deployments' index alone, each found row then looking up its school's name to
    sort by, and only those rows are read with their joins. Filtered and sorted with every joined
    column, the database reads each of England's live deployments (or joins every school) to find
    the authority's few."""
    school_name = School.objects.filter(pk=OuterRef("supported_school_id")).values("name")
    keys = (
        at_risk_deployments(authority_ids, today, thresholds)
        .annotate(school_name=Subquery(school_name))
        .order_by("school_name", "pk")
        .values("pk")[bottom:top]
    )
    return list(_with_risks(Deployment.objects.filter(pk__in=keys), today, thresholds))


# --- (c) schools at risk without support: brokerage.queries.schools_at_risk_without_support --------


# --- (d) coverage ----------------------------------------------------------------------------------


@dataclass
class Coverage:
    """Active system leaders at the authorities' schools: by type and phase, and by area."""

    by_phase: dict[str, dict[str, int]]
    by_area: list[tuple[str, dict[str, int]]]
    gaps: list[str] = field(default_factory=list)
    largest: int = 1

    @property
    def total(self) -> int:
        return sum(sum(row.values()) for row in self.by_phase.values())

    def bars(self) -> list[dict]:
        """One bar a type and phase for the SVG chart: ``y`` and ``length`` in its pixels."""
        rows = [(code, column, count) for code, row in self.by_phase.items() for column, count in row.items()]
        return [
            {
                "code": code,
                "phase": column,
                "count": count,
                "y": index * BAR_PITCH,
                "length": round(BAR_MAX * count / self.largest),
                "gap": count == 0,
            }
            for index, (code, column, count) in enumerate(rows)
        ]

    @property
    def chart_height(self) -> int:
        return BAR_PITCH * sum(len(row) for row in self.by_phase.values())


def coverage(authority_ids: list[int]) -> Coverage:
    """One grouped query (by type, phase and town), summed here both ways."""
    designations = Designation.objects.filter(
        school__local_authority_id__in=authority_ids,
        status=DesignationStatus.ACTIVE,
        designation_type__code__in=COVERAGE_TYPES,
    ).order_by()
    by_phase = {code: dict.fromkeys(PHASE_COLUMNS, 0) for code in COVERAGE_TYPES}
    areas: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COVERAGE_TYPES, 0))
    groups = designations.values("designation_type__code", "school__phase", "school__town")
    for row in groups.annotate(n=Count("pk")):
        code, count = row["designation_type__code"], row["n"]
        by_phase[code][PHASE_GROUPS.get(row["school__phase"], OTHER)] += count
        areas[(row["school__town"] or "").strip() or UNKNOWN_AREA][code] += count
    by_area = sorted(areas.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    gaps = [
        f"No {column.lower()} {code}s"
        for code in COVERAGE_TYPES
        for column in (PRIMARY, SECONDARY)
        if by_phase[code][column] == 0
    ]
    largest = max([1, *(n for row in by_phase.values() for n in row.values())])
    return Coverage(by_phase=by_phase, by_area=by_area, gaps=gaps, largest=largest)


# --- (e) money committed and paid this financial year ------------------------------------------------


def money_this_year(authority_ids: list[int], today: datetime.date) -> finance.Sums:
    """What the authorities' own organisations committed (agreed totals, pro rata to the year) and
    paid for their claims in the financial year of ``today`` (``funding.finance``)."""
    commissioners = Organisation.objects.filter(
        kind=OrganisationKind.LOCAL_AUTHORITY, local_authority_id__in=authority_ids
    ).values("pk")
    return finance.committed_and_paid(commissioners, finance.financial_year_of(today))


# --- (f) the deployments CSV -------------------------------------------------------------------------


def deployments_for_export(user, authority_ids: list[int]) -> QuerySet[Deployment]:
    """The deployments in the authorities this user may see, with days used annotated (the latest
    review's ratings are on the deployment), and their agreed version with its cost lines
    (``agreed_versions``). Three queries (for each chunk of rows iterated)."""
    return (
        with_days(deployments_visible_to(user).filter(deployments_in_authorities(authority_ids)))
        .prefetch_related(
            Prefetch(
                "agreements",
                queryset=Agreement.objects.filter(status=AgreementStatus.AGREED).prefetch_related("cost_lines"),
                to_attr="agreed_versions",
            )
        )
        .order_by("supported_school__name", "starts_on", "pk")
    )


def export_costs(user, deployment: Deployment) -> CostSummary | None:
    """The agreed version's total against the request's budget, for a row of the CSV: only for
    those who see the deployment's money (its commissioner, its broker, national administrators)."""
    agreed = deployment.agreed_versions[-1] if deployment.agreed_versions else None
    if agreed is None or not sees_money(user, deployment):
        return None
    return summarise(agreed, cost_lines=agreed.cost_lines.all(), budget=deployment.support_request.budget)

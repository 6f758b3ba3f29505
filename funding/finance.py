"""The money of a commissioner (or of several, for a local authority's dashboard) over a financial
year: what it committed, what was claimed from it, approved and paid, per deployment and per school.

A financial year runs from 1 April to 31 March and is named by the year it starts (2026 is
2026 to 2027), as ``FundingRate.year`` is.

- **Committed**: the total of each deployment's current agreed version
  (``Agreement.cost_summary().total``), pro rata to the share of that version's school days (by the
  supported school's authority's calendar, as its term weeks are counted) that fall in the year:
  an agreement from January to July commits to one year the part delivered before 31 March. An
  agreement with no school days in it at all counts wholly in the year it starts. Proposed
  deployments have no agreed version, so they commit nothing.
- **Claimed**: claims submitted in the year that still stand (``LIVE_CLAIM_STATES``).
- **Approved**: of those, the ones approved or paid.
- **Paid**: payments made in the year (``paid_on``) for the commissioner's claims, whenever the
  claim was submitted.

Each sum is per deployment and per school (the school the agreement pays, which claims and is
paid), with totals. The cost is a fixed number of queries however many rows there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery, Sum

import money
from accounts.choices import SCHOOL_FINANCE_ROLES
from accounts.models import Organisation
from accounts.rules import is_national_administrator
from brokerage.rules import COMMISSIONER_ROLES, commissioning_organisations_of
from deployments.choices import AgreementStatus
from deployments.costs import summarise
from deployments.models import Agreement, Deployment, agreed_days_of
from schooldays.calendar import DAYS_IN_A_SCHOOL_WEEK, calendars_for
from schools.models import School

from .choices import LIVE_CLAIM_STATES, ClaimState
from .models import Claim, Payment
from .rules import SCHOOL_KINDS

FIRST_MONTH = 4  # April
APPROVED_STATES = frozenset({ClaimState.APPROVED, ClaimState.PAID})
MEASURES = ("committed", "claimed", "approved", "paid")


def financial_year_of(day: datetime.date) -> int:
    """The financial year a day is in, by the year it starts: 31 March 2027 is in 2026, 1 April 2027
    in 2027."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def financial_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last days of the financial year: 1 April ``year`` to 31 March the next."""
    return datetime.date(year, FIRST_MONTH, 1), datetime.date(year + 1, FIRST_MONTH, 1) - datetime.timedelta(
        1
    )


def financial_year_label(year: int) -> str:
    """ "2026 to 2027", as GOV.UK writes a financial year."""
    return f"{year} to {year + 1}"


@dataclass
class Sums:
    committed: Decimal = money.ZERO
    claimed: Decimal = money.ZERO
    approved: Decimal = money.ZERO
    paid: Decimal = money.ZERO

    def add(self, other: Sums) -> None:
        for name in MEASURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in MEASURES)


@dataclass
class DeploymentMoney(Sums):
    deployment: Deployment | None = None


@dataclass
class SchoolMoney(Sums):
    school: School | None = None


@dataclass
class YearMoney:
    year: int
    totals: Sums = field(default_factory=Sums)
    by_deployment: list[DeploymentMoney] = field(default_factory=list)
    by_school: list[SchoolMoney] = field(default_factory=list)

    @property
    def label(self) -> str:
        return financial_year_label(self.year)

    @property
    def is_empty(self) -> bool:
        return not self.by_deployment


# --- committed -----------------------------------------------------------------------------------


def _current_agreed(commissioner_ids, start: datetime.date, end: datetime.date):
    """Each of the commissioners' deployments' current agreed version (the latest one agreed) whose
    period overlaps ``start`` to ``end``."""
    latest = (
        Agreement.objects.filter(deployment=OuterRef("deployment"), status=AgreementStatus.AGREED)
        .order_by("-version")
        .values("pk")[:1]
    )
    return Agreement.objects.filter(
        deployment__commissioner_id__in=commissioner_ids,
        status=AgreementStatus.AGREED,
        pk=Subquery(latest),
        starts_on__lte=end,
        ends_on__gte=start,
    )


@dataclass(frozen=True)
class _CostLine:
    """What a cost line's amount needs (``deployments.costs.extra_line``)."""

    kind: str
    days: Decimal
    day_rate: Decimal
    description: str = ""


@dataclass
class AgreedTerms:
    """A current agreed version as plain values: what its total (``deployments.costs.summarise``,
    the same rule as ``Agreement.cost_summary``) and its share of a year need. Staff days are not
    priced, so they are not read."""

    deployment_id: int
    payee_school_id: int
    authority_id: int | None  # the supported school's, whose calendar counts its term weeks
    starts_on: datetime.date
    ends_on: datetime.date
    time_basis: str
    days_per_week: Decimal | None
    total_days: Decimal | None
    rate_basis: str
    day_rate: Decimal | None
    total_amount: Decimal | None
    cost_lines: list[_CostLine] = field(default_factory=list)
    agreed_days: Decimal = Decimal(0)  # set from the calendar by ``total``

    def total(self, school_days: int) -> Decimal | None:
        """The agreed total, the term weeks being ``school_days`` ÷ 5."""
        weeks = Decimal(school_days) / DAYS_IN_A_SCHOOL_WEEK
        self.agreed_days = agreed_days_of(self.time_basis, self.days_per_week, self.total_days, weeks)
        return summarise(self, cost_lines=self.cost_lines).total


_TERMS = (
    "deployment_id",
    "payee_school_id",
    "deployment__supported_school__local_authority_id",
    "starts_on",
    "ends_on",
    "time_basis",
    "days_per_week",
    "total_days",
    "rate_basis",
    "day_rate",
    "total_amount",
)


def current_agreed_terms(commissioner_ids, start: datetime.date, end: datetime.date) -> list[AgreedTerms]:
    """``_current_agreed`` read as values with their cost lines joined, in one query: no model is
    built, as a local authority's year has hundreds of them."""
    rows = (
        _current_agreed(commissioner_ids, start, end)
        .order_by("deployment_id", "cost_lines__order", "cost_lines__pk")
        .values_list("pk", *_TERMS, "cost_lines__kind", "cost_lines__days", "cost_lines__day_rate")
    )
    found: dict[int, AgreedTerms] = {}
    for pk, *terms, kind, days, day_rate in rows:
        agreement = found.get(pk)
        if agreement is None:
            agreement = found[pk] = AgreedTerms(*terms)
        if kind is not None:
            agreement.cost_lines.append(_CostLine(kind, days, day_rate))
    return list(found.values())


def _share(
    total: Decimal,
    calendar,
    starts_on: datetime.date,
    ends_on: datetime.date,
    days: int,
    start: datetime.date,
    end: datetime.date,
) -> Decimal:
    """``total`` pro rata to the ``days`` school days from ``starts_on`` to ``ends_on`` that fall from
    ``start`` to ``end``; wholly in the period it starts in when it has no school days."""
    if days:
        within = calendar.count_school_days(max(starts_on, start), min(ends_on, end))
        return money.round_money(total * within / days)
    return total if start <= starts_on <= end else money.ZERO


def _calendars(agreements: list, authorities: list) -> dict:
    """The calendars the agreements' term weeks and shares are counted by: one query."""
    starts_on = min(a.starts_on for a in agreements)
    return calendars_for(starts_on, max(a.ends_on for a in agreements), authorities)


def committed_terms_in(
    agreements: list[AgreedTerms], start: datetime.date, end: datetime.date
) -> dict[int, Decimal]:
    """Each agreed version's total pro rata to its school days from ``start`` to ``end``, by
    deployment id; one calendar query for them all (which also counts their term weeks)."""
    if not agreements:
        return {}
    calendars = _calendars(agreements, [a.authority_id for a in agreements])
    committed = {}
    for agreement in agreements:
        calendar = calendars[agreement.authority_id]
        days = calendar.count_school_days(agreement.starts_on, agreement.ends_on)
        total = agreement.total(days) or money.ZERO
        committed[agreement.deployment_id] = _share(
            total, calendar, agreement.starts_on, agreement.ends_on, days, start, end
        )
    return committed


# --- claimed, approved, paid ----------------------------------------------------------------------


def _claim_sums(commissioner_ids, start: datetime.date, end: datetime.date):
    """Claimed and approved by deployment and claiming school: one grouped query."""
    return (
        Claim.objects.filter(
            commissioner_id__in=commissioner_ids,
            submitted_at__date__gte=start,
            submitted_at__date__lte=end,
            state__in=sorted(LIVE_CLAIM_STATES),
        )
        .order_by()
        .values("deployment_id", "claiming_school_id")
        .annotate(claimed=Sum("total"), approved=Sum("total", filter=Q(state__in=sorted(APPROVED_STATES))))
    )


def payments_of(commissioner_ids, start: datetime.date, end: datetime.date):
    """Payments made in the period for the commissioners' claims."""
    return Payment.objects.filter(
        claim__commissioner_id__in=commissioner_ids, paid_on__gte=start, paid_on__lte=end
    )


def _paid_sums(commissioner_ids, start: datetime.date, end: datetime.date):
    return (
        payments_of(commissioner_ids, start, end)
        .order_by()
        .values("claim__deployment_id", "payee_school_id")
        .annotate(paid=Sum("amount"))
    )


# --- putting it together --------------------------------------------------------------------------


def year_money(commissioner_ids, year: int) -> YearMoney:
    """The commissioners' money in the financial year, per deployment and per school, with totals.
    Six queries at most, whatever the number of deployments."""
    start, end = financial_year_bounds(year)
    agreements = current_agreed_terms(commissioner_ids, start, end)
    committed = committed_terms_in(agreements, start, end)
    rows: dict[tuple[int, int], Sums] = {}  # by (deployment, school)

    def row(deployment_id: int, school_id: int) -> Sums:
        return rows.setdefault((deployment_id, school_id), Sums())

    for agreement in agreements:
        row(agreement.deployment_id, agreement.payee_school_id).committed += committed[
            agreement.deployment_id
        ]
    for sums in _claim_sums(commissioner_ids, start, end):
        found = row(sums["deployment_id"], sums["claiming_school_id"])
        found.claimed += sums["claimed"] or money.ZERO
        found.approved += sums["approved"] or money.ZERO
    for sums in _paid_sums(commissioner_ids, start, end):
        row(sums["claim__deployment_id"], sums["payee_school_id"]).paid += sums["paid"] or money.ZERO
    return _arranged(year, rows)


def _arranged(year: int, rows: dict[tuple[int, int], Sums]) -> YearMoney:
    deployments = Deployment.objects.select_related(
        "supported_school", "leader", "designation__designation_type"
    ).in_bulk({deployment_id for deployment_id, _ in rows})
    schools = School.objects.in_bulk({school_id for _, school_id in rows}) if rows else {}
    result = YearMoney(year)
    by_deployment: dict[int, DeploymentMoney] = {}
    by_school: dict[int, SchoolMoney] = {}
    for (deployment_id, school_id), sums in rows.items():
        by_deployment.setdefault(deployment_id, DeploymentMoney(deployment=deployments[deployment_id])).add(
            sums
        )
        by_school.setdefault(school_id, SchoolMoney(school=schools[school_id])).add(sums)
        result.totals.add(sums)
    result.by_deployment = sorted(
        by_deployment.values(), key=lambda r: (r.deployment.supported_school.name, r.deployment.pk)
    )
    result.by_school = sorted(by_school.values(), key=lambda r: (r.school.name, r.school.pk))
    return result


def committed_and_paid(commissioner_ids, year: int) -> Sums:
    """Only the year's totals committed and paid (for a dashboard): three queries at most."""
    start, end = financial_year_bounds(year)
    committed = committed_terms_in(current_agreed_terms(commissioner_ids, start, end), start, end)
    paid = payments_of(commissioner_ids, start, end).aggregate(total=Sum("amount"))["total"]
    return Sums(committed=money.total(committed.values()), paid=paid or money.ZERO)


# --- whose money a person sees --------------------------------------------------------------------


def finance_organisations_for(user) -> list:
    """The organisations whose money this person sees: those they commission for, or, for a national
    administrator, every organisation that has commissioned support."""
    if not getattr(user, "is_authenticated", False):
        return []
    if is_national_administrator(user):
        return list(
            Organisation.objects.filter(pk__in=Deployment.objects.values("commissioner_id")).order_by(
                "name", "pk"
            )
        )
    return sorted(
        {o.pk: o for o in commissioning_organisations_of(user)}.values(), key=lambda o: (o.name, o.pk)
    )


def payments_visible_to(user):
    """Payments the person may see: the payer's commissioners, the payee school's head or business
    manager, national administrators (mirrors ``funding.view_payment``)."""
    payments = Payment.objects.select_related(
        "payee_school", "claim__commissioner", "claim__deployment__supported_school", "bursary"
    )
    if not getattr(user, "is_authenticated", False):
        return payments.none()
    if is_national_administrator(user):
        return payments
    memberships = list(user.active_memberships)
    commissioners = [m.organisation_id for m in memberships if m.role in COMMISSIONER_ROLES]
    schools = [
        m.organisation.school_id
        for m in memberships
        if m.role in SCHOOL_FINANCE_ROLES and m.organisation.kind in SCHOOL_KINDS and m.organisation.school_id
    ]
    return payments.filter(Q(claim__commissioner_id__in=commissioners) | Q(payee_school_id__in=schools))

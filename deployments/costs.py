"""What an agreement version costs: the leader's days at the day rate (or the fixed sum), the staff
of the leader's school who take part (their days, within that sum), and each backfill, supply
cover or other cost at its own rate; the total; and how far it is over the request's budget.

Each line is rounded to the penny once, by ``money``; the total is the exact sum of the lines, so
the page, the printout, the CSV and the API show lines that add up to the total they show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import money

from .choices import CostKind, RateBasis

LEADER, FIXED_SUM, STAFF = "leader_days", "fixed_sum", "staff_days"


@dataclass(frozen=True)
class CostLine:
    """One line of the costs. ``amount`` is None for staff days: they are within the leader's
    terms, shown so everyone sees the time the school gives."""

    kind: str
    label: str
    days: Decimal | None = None
    day_rate: Decimal | None = None
    amount: Decimal | None = None
    description: str = ""


@dataclass(frozen=True)
class CostSummary:
    lines: list[CostLine] = field(default_factory=list)
    total: Decimal | None = None
    budget: Decimal | None = None

    @property
    def priced_lines(self) -> list[CostLine]:
        return [line for line in self.lines if line.amount is not None]

    @property
    def extra_lines(self) -> list[CostLine]:
        """Backfill, supply cover and other costs, each at its own rate."""
        return [line for line in self.lines if line.kind in CostKind.values]

    @property
    def overrun(self) -> Decimal | None:
        """By how much the total is over the budget; None when it is not (or either is unknown)."""
        if self.total is None or self.budget is None:
            return None
        over = self.total - money.round_money(self.budget)
        return over if over > 0 else None

    @property
    def overrun_text(self) -> str:
        """"£6,015.00 over the £6,000.00 budget", or "" when within it."""
        if self.overrun is None:
            return ""
        return f"{money.format_pounds(self.overrun)} over the {money.format_pounds(self.budget)} budget"

    @property
    def acceptance_label(self) -> str:
        """What the commissioner ticks to agree a version over its budget."""
        return f"I accept the overrun of {money.format_pounds(self.overrun)}" if self.overrun else ""

    @property
    def acceptance_refusal(self) -> str:
        return (
            f"This version is {self.overrun_text}: accept the overrun of "
            f"{money.format_pounds(self.overrun)} to agree it for the commissioner"
        )


def leader_line(agreement) -> CostLine:
    if agreement.rate_basis == RateBasis.TOTAL:
        amount = None if agreement.total_amount is None else money.round_money(agreement.total_amount)
        return CostLine(FIXED_SUM, "Fixed sum", days=agreement.agreed_days, amount=amount)
    days, rate = agreement.agreed_days, agreement.day_rate
    amount = None if rate is None else money.round_money(days * rate)
    return CostLine(LEADER, "Leader's days", days=days, day_rate=rate, amount=amount)


def extra_line(cost) -> CostLine:
    """A backfill, supply cover or other cost line: its days at its own rate."""
    return CostLine(
        cost.kind,
        CostKind(cost.kind).label,
        days=cost.days,
        day_rate=cost.day_rate,
        amount=money.round_money(cost.days * cost.day_rate),
        description=cost.description,
    )


def summarise(
    agreement, *, cost_lines: Iterable, staff: Iterable = (), budget: Decimal | None = None
) -> CostSummary:
    """The lines and total of one version; ``budget`` is its request's, to show any overrun."""
    lines = [leader_line(agreement)]
    lines += [
        CostLine(STAFF, f"{member.name}, {member.role}", days=member.days)
        for member in staff
        if member.days
    ]
    lines += [extra_line(cost) for cost in cost_lines]
    priced = [line for line in lines if line.kind != STAFF]
    known = all(line.amount is not None for line in priced)
    total = money.total(line.amount for line in priced) if known else None
    return CostSummary(lines=lines, total=total, budget=budget)

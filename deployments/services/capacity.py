"""A leader's capacity: the days a week they can give, less periods of unavailability, against
the days a week their agreed, active and paused deployments already take.

Capacity belongs to the person, whichever of their designations a deployment uses: their
availability is the most any of their current designations offers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from designations.choices import CURRENT_DESIGNATION_STATUSES
from designations.models import Designation

from ..choices import COMMITTED_STATES
from ..errors import CapacityExceeded
from ..models import Deployment, Unavailability

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Commitment:
    starts_on: datetime.date
    ends_on: datetime.date
    days_per_week: Decimal


@dataclass(frozen=True)
class Shortfall:
    """The worst stretch of an overcommitment: how many days a week too many, and when."""

    starts_on: datetime.date
    ends_on: datetime.date
    committed: Decimal
    available: Decimal

    @property
    def excess(self) -> Decimal:
        return self.committed - self.available


def weekly_availability(leader) -> Decimal:
    best = Designation.objects.filter(
        holder=leader, status__in=sorted(CURRENT_DESIGNATION_STATUSES)
    ).aggregate(most=Max("availability_days_per_week"))["most"]
    return best or Decimal(0)


def commitments(
    leader, starts_on: datetime.date, ends_on: datetime.date, *, exclude=None
) -> list[Commitment]:
    """The leader's committed deployments overlapping the period (all of their designations)."""
    deployments = Deployment.objects.filter(
        leader=leader, state__in=sorted(COMMITTED_STATES), starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if exclude is not None:
        deployments = deployments.exclude(pk=exclude.pk)
    return [
        Commitment(d.starts_on, d.ends_on, d.days_per_week)
        for d in deployments.only("starts_on", "ends_on", "days_per_week")
    ]


def unavailability(leader, starts_on: datetime.date, ends_on: datetime.date) -> list[Unavailability]:
    return list(Unavailability.objects.filter(leader=leader, starts_on__lte=ends_on, ends_on__gte=starts_on))


def _breakpoints(starts_on, ends_on, periods) -> list[datetime.date]:
    days = {starts_on, ends_on + ONE_DAY}
    for period in periods:
        for day in (period.starts_on, period.ends_on + ONE_DAY):
            if starts_on < day <= ends_on:
                days.add(day)
    return sorted(days)


def _stretches(*, available, committed, unavailable, starts_on, ends_on):
    """(start, end, days a week committed, days a week the leader can give) for each stretch of the
    period in which neither changes."""
    points = _breakpoints(starts_on, ends_on, [*committed, *unavailable])
    for start, next_start in zip(points, points[1:], strict=False):
        load = sum((c.days_per_week for c in committed if c.starts_on <= start <= c.ends_on), Decimal(0))
        limits = [u.days_per_week_available for u in unavailable if u.starts_on <= start <= u.ends_on]
        yield start, next_start - ONE_DAY, load, min([available, *limits])


def worst_shortfall(
    *,
    available: Decimal,
    committed: list[Commitment],
    unavailable: list[Unavailability],
    starts_on: datetime.date,
    ends_on: datetime.date,
    extra: Decimal,
) -> Shortfall | None:
    """The stretch of the period most overcommitted by adding ``extra`` days a week, or None when
    the leader has the time throughout."""
    worst: Shortfall | None = None
    for start, end, load, can_give in _stretches(
        available=available,
        committed=committed,
        unavailable=unavailable,
        starts_on=starts_on,
        ends_on=ends_on,
    ):
        load += extra
        if load > can_give and (worst is None or load - can_give > worst.excess):
            worst = Shortfall(start, end, load, can_give)
    return worst


def headroom(
    *,
    available: Decimal,
    committed: list[Commitment],
    unavailable: list[Unavailability],
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Decimal:
    """The days a week the leader has free throughout the period (never below 0)."""
    free = min(
        (
            can_give - load
            for _, _, load, can_give in _stretches(
                available=available,
                committed=committed,
                unavailable=unavailable,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        ),
        default=available,
    )
    return max(free, Decimal(0))


def days_text(value: Decimal) -> str:
    """'1 day', '2.5 days': for messages."""
    text = f"{value.normalize():f}"
    return f"{text} day" if value == 1 else f"{text} days"


def check_capacity(
    leader, *, starts_on: datetime.date, ends_on: datetime.date, days_per_week: Decimal, exclude=None
) -> None:
    """Refuse (CapacityExceeded) a commitment the leader does not have the time for, saying by how much.

    Callers that are about to commit hold a lock on the leader's user row (see agreements.agree),
    so two brokers cannot both take the last of someone's time.
    """
    shortfall = worst_shortfall(
        available=weekly_availability(leader),
        committed=commitments(leader, starts_on, ends_on, exclude=exclude),
        unavailable=unavailability(leader, starts_on, ends_on),
        starts_on=starts_on,
        ends_on=ends_on,
        extra=days_per_week,
    )
    if shortfall is not None:
        raise CapacityExceeded(
            f"This would commit {leader} to {days_text(shortfall.committed)} a week from "
            f"{shortfall.starts_on:%-d %B %Y} to {shortfall.ends_on:%-d %B %Y}: "
            f"{days_text(shortfall.excess)} a week more than the "
            f"{days_text(shortfall.available)} they can give.",
            field="days_per_week",
        )

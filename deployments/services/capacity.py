"""A leader's capacity: the days a week they can give, less periods of unavailability, against
the days a week their agreed, active and paused deployments already take.

Capacity belongs to the person, whichever of their designations a deployment uses: their
availability is the most any of their current designations offers.

The check runs week by week (Monday to Sunday) over the school-day calendar (``schooldays``), the
same calendar that counts agreed days. A commitment takes its days a week pro rata to the school
days of its week by the supported school's local authority: nothing in a week of half term or
holidays, four fifths in a week with a bank holiday. The leader gives their days a week pro rata to
their working days (weekdays that are not bank holidays), so a leader fully committed in term is
free in the supported school's half term, while a bank holiday week stays as full as any other.
Each week's load and limit are stated as days a week (days that week ÷ the share of the week
worked), so messages read as before; weeks alike in a row form one stretch.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import F, Max

from designations.choices import CURRENT_DESIGNATION_STATUSES
from designations.models import Designation
from schooldays.calendar import DAYS_IN_A_SCHOOL_WEEK, SchoolCalendar, calendars_for, is_bank_holiday

from ..choices import COMMITTED_STATES
from ..errors import CapacityExceeded
from ..models import Deployment, Unavailability

ONE_DAY = datetime.timedelta(days=1)
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Commitment:
    starts_on: datetime.date
    ends_on: datetime.date
    days_per_week: Decimal
    local_authority_id: int | None = None  # the supported school's: its school days count


@dataclass(frozen=True)
class Away:
    """A period of unavailability as capacity reads it (an ``Unavailability`` reads the same)."""

    starts_on: datetime.date
    ends_on: datetime.date
    days_per_week_available: Decimal


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
    return commitments_of(deployments)


def commitments_of(deployments) -> list[Commitment]:
    """Commitments from a queryset of deployments, their schools' authorities in the same query."""
    rows = deployments.annotate(authority_id=F("supported_school__local_authority_id")).only(
        "leader_id", "starts_on", "ends_on", "days_per_week"
    )
    return [Commitment(d.starts_on, d.ends_on, d.days_per_week, d.authority_id) for d in rows]


def school_calendars(
    starts_on: datetime.date, ends_on: datetime.date, committed: list[Commitment], *extra_authorities
) -> dict[int | None, SchoolCalendar]:
    """The calendars the commitments (and any new one) count by, over the period: one query."""
    authorities = [c.local_authority_id for c in committed] + list(extra_authorities)
    return calendars_for(starts_on, ends_on, authorities)


def unavailability(leader, starts_on: datetime.date, ends_on: datetime.date) -> list[Unavailability]:
    return list(Unavailability.objects.filter(leader=leader, starts_on__lte=ends_on, ends_on__gte=starts_on))


def _weeks(starts_on: datetime.date, ends_on: datetime.date) -> Iterator[tuple[datetime.date, datetime.date]]:
    """Monday-to-Sunday weeks, the first and last cut to the period."""
    start = starts_on
    while start <= ends_on:
        end = min(start + datetime.timedelta(days=6 - start.weekday()), ends_on)
        yield start, end
        start = end + ONE_DAY


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + ONE_DAY * i for i in range((end - start).days + 1)]


def _working_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The leader's own working days: weekdays that are not bank holidays."""
    return [d for d in _days(start, end) if d.weekday() < DAYS_IN_A_SCHOOL_WEEK and not is_bank_holiday(d)]


@functools.lru_cache(maxsize=128)
def _working_weeks(
    starts_on: datetime.date, ends_on: datetime.date
) -> tuple[tuple[datetime.date, datetime.date, tuple[datetime.date, ...]], ...]:
    """The period's weeks that have a working day, with those days: the same for every leader, so
    matching many leaders over one window works them out once."""
    weeks = ((start, end, tuple(_working_days(start, end))) for start, end in _weeks(starts_on, ends_on))
    return tuple(week for week in weeks if week[2])


class SchoolDayCounts:
    """The number of school days of each authority between two dates, from calendars loaded once
    for every leader ``free_days`` asks about (each count is a subtraction: ``count_school_days``)."""

    def __init__(self, calendars: Mapping[int | None, SchoolCalendar]) -> None:
        self._calendars = calendars
        # The same weeks of the same authorities recur for leader after leader.
        self._known: dict[tuple[int | None, datetime.date, datetime.date], int] = {}

    def between(self, authority_id: int | None, start: datetime.date, end: datetime.date) -> int:
        key = (authority_id, start, end)
        count = self._known.get(key)
        if count is None:
            count = self._known[key] = self._calendars[authority_id].count_school_days(start, end)
        return count


def _limit(available: Decimal, unavailable: Sequence[Unavailability | Away], day: datetime.date) -> Decimal:
    """What the leader can give a week, on the scale of that day: their availability, or less."""
    limits = (u.days_per_week_available for u in unavailable if u.starts_on <= day <= u.ends_on)
    return min([available, *limits])


def _can_give(
    available: Decimal, unavailable: Sequence[Unavailability | Away], worked: tuple[datetime.date, ...]
) -> Decimal:
    """What the leader can give over a week's working days."""
    if not unavailable:
        return available * len(worked)
    return sum((_limit(available, unavailable, day) for day in worked), Decimal(0))


def _weekly(
    *, available, committed, unavailable, starts_on, ends_on, calendars, extra=(Decimal(0), None), counts=None
):
    """(start, end, days a week committed, days a week the leader can give), exact, for each week
    of the period with a working day in it: days that week ÷ the working days of that week.

    Sums are Decimal (days a week are finite decimals, so exact); only the share of the week is a
    Fraction, so a third of a week stays a third."""
    extra_days, extra_authority = extra
    counts = counts or SchoolDayCounts(calendars)
    for start, end, worked in _working_weeks(starts_on, ends_on):
        load = extra_days * counts.between(extra_authority, start, end) if extra_days else Decimal(0)
        for c in committed:
            if c.starts_on <= end and c.ends_on >= start:
                load += c.days_per_week * counts.between(
                    c.local_authority_id, max(start, c.starts_on), min(end, c.ends_on)
                )
        share = len(worked)
        yield start, end, Fraction(load) / share, Fraction(_can_give(available, unavailable, worked)) / share


def _stretches(**kwargs):
    """The weeks of ``_weekly``, those in a row with the same load and limit joined."""
    current = None
    for start, end, load, can_give in _weekly(**kwargs):
        if current is not None and (current[2], current[3]) == (load, can_give):
            current = (current[0], end, load, can_give)
            continue
        if current is not None:
            yield current
        current = (start, end, load, can_give)
    if current is not None:
        yield current


def _decimal(value: Fraction, rounding: str = ROUND_HALF_UP) -> Decimal:
    """An exact days-a-week figure to the hundredth, for messages and free days."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(HUNDREDTH, rounding=rounding)


def worst_shortfall(
    *,
    available: Decimal,
    committed: list[Commitment],
    unavailable: list[Unavailability],
    starts_on: datetime.date,
    ends_on: datetime.date,
    extra: Decimal,
    calendars: Mapping[int | None, SchoolCalendar],
    local_authority_id: int | None = None,
) -> Shortfall | None:
    """The stretch of the period most overcommitted by adding ``extra`` days a week (counted by
    the school days of ``local_authority_id``), or None when the leader has the time throughout."""
    worst = None
    for start, end, load, can_give in _stretches(
        available=available,
        committed=committed,
        unavailable=unavailable,
        starts_on=starts_on,
        ends_on=ends_on,
        calendars=calendars,
        extra=(extra, local_authority_id),
    ):
        if load > can_give and (worst is None or load - can_give > worst[2] - worst[3]):
            worst = (start, end, load, can_give)
    if worst is None:
        return None
    return Shortfall(worst[0], worst[1], _decimal(worst[2]), _decimal(worst[3]))


# A week has one to five working days; each of their counts divides this, so a week's free days
# a week (days free that week ÷ its working days) scaled by it is an exact Decimal to compare.
_WEEK_SCALE = 60


def headroom(
    *,
    available: Decimal,
    committed: list[Commitment],
    unavailable: Sequence[Unavailability | Away],
    starts_on: datetime.date,
    ends_on: datetime.date,
    calendars: Mapping[int | None, SchoolCalendar],
    counts: SchoolDayCounts | None = None,
) -> Decimal:
    """The days a week the leader has free throughout the period (never below 0), to the
    hundredth, rounded down. ``counts`` shares the school-day counting among many leaders.

    The same weeks as ``_weekly`` without its Fractions: only the least free week matters here,
    and free leaders are asked about by the thousand when a request is matched."""
    counts = counts or SchoolDayCounts(calendars)
    least = None
    for start, end, worked in _working_weeks(starts_on, ends_on):
        load = Decimal(0)
        for c in committed:
            if c.starts_on <= end and c.ends_on >= start:
                load += c.days_per_week * counts.between(
                    c.local_authority_id, max(start, c.starts_on), min(end, c.ends_on)
                )
        free = (_can_give(available, unavailable, worked) - load) * (_WEEK_SCALE // len(worked))
        if least is None or free < least:
            least = free
    if least is None:
        return max(_decimal(Fraction(available), ROUND_FLOOR), Decimal(0))
    # ``least`` has the few decimal places of the days a week it comes from, so ÷ 60 is either
    # exact or at least 1/6000 of a day from a hundredth: the context's 28 digits floor it exactly.
    return max((least / _WEEK_SCALE).quantize(HUNDREDTH, rounding=ROUND_FLOOR), Decimal(0))


def days_text(value: Decimal) -> str:
    """'1 day', '2.5 days': for messages."""
    text = f"{value.normalize():f}"
    return f"{text} day" if value == 1 else f"{text} days"


def check_capacity(
    leader,
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
    days_per_week: Decimal,
    local_authority_id: int | None = None,
    exclude=None,
) -> None:
    """Refuse (CapacityExceeded) a commitment the leader does not have the time for, saying by how much.
    ``local_authority_id`` is the supported school's: the new commitment counts its school days.

    Callers that are about to commit hold a lock on the leader's user row (see agreements.agree),
    so two brokers cannot both take the last of someone's time.
    """
    committed = commitments(leader, starts_on, ends_on, exclude=exclude)
    shortfall = worst_shortfall(
        available=weekly_availability(leader),
        committed=committed,
        unavailable=unavailability(leader, starts_on, ends_on),
        starts_on=starts_on,
        ends_on=ends_on,
        extra=days_per_week,
        calendars=school_calendars(starts_on, ends_on, committed, local_authority_id),
        local_authority_id=local_authority_id,
    )
    if shortfall is not None:
        raise CapacityExceeded(
            f"This would commit {leader} to {days_text(shortfall.committed)} a week from "
            f"{shortfall.starts_on:%-d %B %Y} to {shortfall.ends_on:%-d %B %Y}: "
            f"{days_text(shortfall.excess)} a week more than the "
            f"{days_text(shortfall.available)} they can give.",
            field="days_per_week",
        )

"""The school-day calendar: which days count as school days, for one local authority.

A school day is a weekday that is not one of England's bank holidays and falls inside one of the
term periods of its school year: the authority's own periods when it has any for that year, else
the national default's. A school year with no periods at all (none nationally, none for the
authority) falls back to every weekday that is not a bank holiday, so a missing year never counts
as no school days at all.

Days agreed, used and claimed, a days-a-week commitment and the capacity check all count over this
one calendar. Each function reads the term periods of the whole range in ``QUERIES_PER_CALL``
query, however long the range; ``calendar_for`` gives the loaded calendar to a caller that asks
about many days or ranges within it.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import holidays
from django.db.models import Q

from schools.models import LocalAuthority

from .models import TermPeriod, school_year_starting

QUERIES_PER_CALL = 1
DAYS_IN_A_SCHOOL_WEEK = 5
HALF_DAY = Decimal("0.5")
ONE_DAY = datetime.timedelta(days=1)

Authority = LocalAuthority | int | None


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[datetime.date]:
    """England's bank holidays in a calendar year (the ``holidays`` package's GB, England)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: datetime.date) -> bool:
    return day in bank_holidays(day.year)


def _authority_id(local_authority: Authority) -> int | None:
    if local_authority is None or isinstance(local_authority, int):
        return local_authority
    return local_authority.pk


class SchoolCalendar:
    """The school days of one authority (None: the national default) between two dates, loaded in
    one query. Days outside the loaded range are refused rather than guessed."""

    def __init__(self, start: datetime.date, end: datetime.date, local_authority: Authority = None) -> None:
        self.start, self.end = start, end
        self.local_authority_id = _authority_id(local_authority)
        self._periods_by_year = self._load() if start <= end else {}

    def _load(self) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
        """Each school year's periods (the authority's own where it has any), by the year it starts."""
        years = (school_year_starting(self.start), school_year_starting(self.end))
        calendars = Q(local_authority__isnull=True)
        if self.local_authority_id is not None:
            calendars |= Q(local_authority_id=self.local_authority_id)
        rows = TermPeriod.objects.filter(calendars, school_year__starts_in__range=years).values_list(
            "school_year__starts_in", "local_authority_id", "starts_on", "ends_on"
        )
        national: dict[int, list] = {}
        own: dict[int, list] = {}
        for year, authority_id, starts_on, ends_on in rows:
            (national if authority_id is None else own).setdefault(year, []).append((starts_on, ends_on))
        return {**national, **own}

    def _in_term(self, day: datetime.date) -> bool:
        periods = self._periods_by_year.get(school_year_starting(day))
        if periods is None:
            return True  # a year without term dates: weekdays that are not bank holidays
        return any(starts_on <= day <= ends_on for starts_on, ends_on in periods)

    def is_school_day(self, day: datetime.date) -> bool:
        if not self.start <= day <= self.end:
            raise ValueError(f"{day} is outside the calendar loaded for {self.start} to {self.end}")
        return day.weekday() < DAYS_IN_A_SCHOOL_WEEK and not is_bank_holiday(day) and self._in_term(day)

    def school_days(
        self, start: datetime.date | None = None, end: datetime.date | None = None
    ) -> list[datetime.date]:
        """The school days from ``start`` to ``end`` (both included; default: the loaded range)."""
        day, last = max(start or self.start, self.start), min(end or self.end, self.end)
        found = []
        while day <= last:
            if self.is_school_day(day):
                found.append(day)
            day += ONE_DAY
        return found


def calendar_for(
    start: datetime.date, end: datetime.date, local_authority: Authority = None
) -> SchoolCalendar:
    """The loaded calendar of an authority from ``start`` to ``end``, for asking about many days."""
    return SchoolCalendar(start, end, local_authority)


def is_school_day(day: datetime.date, local_authority: Authority = None) -> bool:
    """Whether ``day`` is a school day for the authority (None: by the national default)."""
    return SchoolCalendar(day, day, local_authority).is_school_day(day)


def school_days(
    start: datetime.date, end: datetime.date, local_authority: Authority = None
) -> list[datetime.date]:
    """The school days from ``start`` to ``end``, both included, in order (empty if end < start)."""
    return SchoolCalendar(start, end, local_authority).school_days()


def count_school_days(start: datetime.date, end: datetime.date, local_authority: Authority = None) -> int:
    return len(school_days(start, end, local_authority))


def term_weeks(start: datetime.date, end: datetime.date, local_authority: Authority = None) -> Decimal:
    """The school weeks from ``start`` to ``end``: school days ÷ 5, unrounded (a week with a bank
    holiday is four fifths of a week)."""
    return Decimal(count_school_days(start, end, local_authority)) / DAYS_IN_A_SCHOOL_WEEK


def round_to_half_day(days: Decimal) -> Decimal:
    """To the nearest half day, halves up: agreements count days in half days."""
    return ((days / HALF_DAY).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF_DAY).quantize(HALF_DAY)


def days_for_weekly_commitment(
    days_per_week: Decimal, start: datetime.date, end: datetime.date, local_authority: Authority = None
) -> Decimal:
    """The days a commitment of ``days_per_week`` comes to from ``start`` to ``end``: days a week
    × term weeks, rounded once to the nearest half day (halves up), as agreements count days. Half
    term, the holidays and bank holidays are not term weeks, so they add nothing."""
    return round_to_half_day(Decimal(days_per_week) * term_weeks(start, end, local_authority))

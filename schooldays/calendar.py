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
import itertools
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import holidays
from django.db.models import Q

from schools.models import LocalAuthority

from .models import TermPeriod, school_year_starting
from .validators import YEAR_STARTS_MONTH

QUERIES_PER_CALL = 1
DAYS_IN_A_SCHOOL_WEEK = 5
HALF_DAY = Decimal("0.5")
ONE_DAY = datetime.timedelta(days=1)
HALF_TERM_LONGEST = 9  # days, weekends included: a week and the weekends either side

Authority = LocalAuthority | int | None


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[datetime.date]:
    """England's bank holidays in a calendar year (the ``holidays`` package's GB, England)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def _bank_holiday_name(day: datetime.date) -> str:
    return holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day, "")


def is_bank_holiday(day: datetime.date) -> bool:
    return day in bank_holidays(day.year)


def _authority_id(local_authority: Authority) -> int | None:
    if local_authority is None or isinstance(local_authority, int):
        return local_authority
    return local_authority.pk


PeriodRow = tuple[int, int | None, datetime.date, datetime.date]


def _period_rows(
    start: datetime.date, end: datetime.date, authority_ids: list[int | None]
) -> list[PeriodRow]:
    """The national default's term periods and those of the given authorities, for the school years
    from ``start`` to ``end``: one query."""
    years = (school_year_starting(start), school_year_starting(end))
    calendars = Q(local_authority__isnull=True)
    own = sorted({pk for pk in authority_ids if pk is not None})
    if own:
        calendars |= Q(local_authority_id__in=own)
    return list(
        TermPeriod.objects.filter(calendars, school_year__starts_in__range=years).values_list(
            "school_year__starts_in", "local_authority_id", "starts_on", "ends_on"
        )
    )


def _whole_school_year(year: int) -> tuple[datetime.date, datetime.date]:
    """A school year without term dates counts all of it (its weekdays that are not bank holidays)."""
    return datetime.date(year, YEAR_STARTS_MONTH, 1), datetime.date(year + 1, YEAR_STARTS_MONTH, 1) - ONE_DAY


class SchoolCalendar:
    """The school days of one authority (None: the national default) between two dates, loaded in
    one query. Days outside the loaded range are refused rather than guessed."""

    def __init__(
        self,
        start: datetime.date,
        end: datetime.date,
        local_authority: Authority = None,
        *,
        rows: list[PeriodRow] | None = None,
    ) -> None:
        self.start, self.end = start, end
        self.local_authority_id = _authority_id(local_authority)
        if start > end:
            self._periods_by_year: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
        else:
            loaded = _period_rows(start, end, [self.local_authority_id]) if rows is None else rows
            self._periods_by_year = self._by_year(loaded)

    def _by_year(self, rows: list[PeriodRow]) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
        """Each school year's periods (the authority's own where it has any), by the year it starts."""
        national: dict[int, list] = {}
        own: dict[int, list] = {}
        for year, authority_id, starts_on, ends_on in rows:
            if authority_id is None:
                national.setdefault(year, []).append((starts_on, ends_on))
            elif authority_id == self.local_authority_id:
                own.setdefault(year, []).append((starts_on, ends_on))
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

    def why_not_a_school_day(self, day: datetime.date) -> str | None:
        """Why ``day`` is not a school day, to finish "<day> is ..." ("a Saturday", "a bank
        holiday (Christmas Day)", "in half term", "in the school holidays"), or None for a school
        day. A break between two periods of a year of at most ``HALF_TERM_LONGEST`` days is half
        term; a longer one is the holidays."""
        if self.is_school_day(day):
            return None
        if day.weekday() >= DAYS_IN_A_SCHOOL_WEEK:
            return f"a {day:%A}"
        if is_bank_holiday(day):
            return f"a bank holiday ({_bank_holiday_name(day)})"
        periods = sorted(self._periods_by_year.get(school_year_starting(day), []))
        before = [ends_on for _, ends_on in periods if ends_on < day]
        after = [starts_on for starts_on, _ in periods if starts_on > day]
        if before and after and (min(after) - max(before)).days - 1 <= HALF_TERM_LONGEST:
            return "in half term"
        return "in the school holidays"

    def count_school_days(self, start: datetime.date | None = None, end: datetime.date | None = None) -> int:
        """How many school days from ``start`` to ``end`` (both included, within the loaded range):
        the calendar counts its days once, then each count is one subtraction, so asking about
        thousands of agreements or leaders' weeks costs no more than asking about one."""
        totals = self._running_totals()
        low = (max(start or self.start, self.start) - self.start).days
        high = (min(end or self.end, self.end) - self.start).days + 1
        return totals[high] - totals[low] if high > low else 0

    def _running_totals(self) -> list[int]:
        """``totals[i]``: the school days among the first ``i`` days of the loaded range. Worked out
        from the term periods as spans of days, not day by day: one calendar per authority of
        a thousand leaders' commitments is loaded when candidates are matched."""
        totals = getattr(self, "_totals", None)
        if totals is None:
            totals = self._totals = [0, *itertools.accumulate(self._school_day_flags())]
        return totals

    def _school_day_flags(self) -> bytearray:
        first, days = self.start.toordinal(), (self.end - self.start).days + 1
        flags = bytearray(max(days, 0))
        if not flags:
            return flags
        for year in range(school_year_starting(self.start), school_year_starting(self.end) + 1):
            for starts_on, ends_on in self._periods_by_year.get(year) or [_whole_school_year(year)]:
                low, high = max(starts_on.toordinal() - first, 0), min(ends_on.toordinal() - first, days - 1)
                if low <= high:
                    flags[low : high + 1] = b"\x01" * (high - low + 1)
        for weekend_day in range(DAYS_IN_A_SCHOOL_WEEK, 7):
            offset = (weekend_day - self.start.weekday()) % 7
            flags[offset::7] = bytes(len(range(offset, days, 7)))
        for year in range(self.start.year, self.end.year + 1):
            for holiday in bank_holidays(year):
                if self.start <= holiday <= self.end:
                    flags[holiday.toordinal() - first] = 0
        return flags

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


def calendars_for(
    start: datetime.date, end: datetime.date, local_authorities: list[Authority]
) -> dict[int | None, SchoolCalendar]:
    """The loaded calendars of several authorities from ``start`` to ``end``, by authority id (None:
    the national default), in one query however many authorities: for a check over many schools."""
    ids = sorted({_authority_id(la) for la in local_authorities}, key=lambda pk: (pk is not None, pk or 0))
    rows = _period_rows(start, end, ids) if start <= end and ids else []
    return {pk: SchoolCalendar(start, end, pk, rows=rows) for pk in ids}


def calendars_with_own_dates(start: datetime.date, end: datetime.date) -> dict[int | None, SchoolCalendar]:
    """The national default's calendar (key None) and that of every authority with term dates of its
    own in the school years from ``start`` to ``end``, by authority id, in one query: a check over
    every school needs no more, as an authority without dates of its own follows the default."""
    years = (school_year_starting(start), school_year_starting(end))
    rows: list[PeriodRow] = list(
        TermPeriod.objects.filter(school_year__starts_in__range=years).values_list(
            "school_year__starts_in", "local_authority_id", "starts_on", "ends_on"
        )
    )
    return {pk: SchoolCalendar(start, end, pk, rows=rows) for pk in {None, *(row[1] for row in rows)}}


def is_school_day(day: datetime.date, local_authority: Authority = None) -> bool:
    """Whether ``day`` is a school day for the authority (None: by the national default)."""
    return SchoolCalendar(day, day, local_authority).is_school_day(day)


def school_days(
    start: datetime.date, end: datetime.date, local_authority: Authority = None
) -> list[datetime.date]:
    """The school days from ``start`` to ``end``, both included, in order (empty if end < start)."""
    return SchoolCalendar(start, end, local_authority).school_days()


def count_school_days(start: datetime.date, end: datetime.date, local_authority: Authority = None) -> int:
    return SchoolCalendar(start, end, local_authority).count_school_days()


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

"""Term dates for tests, made relative to a chosen day so no test depends on the seeded national
dates (which end) or on what day the suite runs."""

import datetime

from django.utils import timezone

from schooldays.calendar import calendar_for, is_bank_holiday
from schooldays.models import SchoolYear, TermPeriod, school_year_starting

# Longer than any school holiday, so a school day is always found this far back.
LOOK_BACK = datetime.timedelta(days=120)
YEAR = datetime.timedelta(days=365)


def latest_school_day(local_authority=None, *, today: datetime.date | None = None) -> datetime.date:
    """The last school day on or before ``today`` (default: the real today) for the authority (None:
    the national default): time is only logged on school days."""
    today = today or timezone.localdate()
    return calendar_for(today - LOOK_BACK, today, local_authority).school_days()[-1]


def school_year(day: datetime.date) -> SchoolYear:
    """The school year holding ``day``, made if the seed has none for it."""
    return SchoolYear.objects.get_or_create(starts_in=school_year_starting(day))[0]


def term_period(
    starts_on: datetime.date, ends_on: datetime.date, local_authority=None, name: str = "Term"
) -> TermPeriod:
    """One term period of ``local_authority`` (None: the national default) in its school year."""
    return TermPeriod.objects.create(
        school_year=school_year(starts_on), local_authority=local_authority, name=name,
        starts_on=starts_on, ends_on=ends_on,
    )


def in_term(local_authority, start: datetime.date, end: datetime.date) -> None:
    """Make every weekday that is not a bank holiday from ``start`` to ``end`` a school day for the
    authority, whatever the holidays: one period in each school year the span touches. An
    authority's periods replace the national default for their year; with None the period is added
    to the national default's, for every authority without dates of its own."""
    while start <= end:
        ends_on = min(school_year(start).ends_on, end)
        term_period(start, ends_on, local_authority, name=f"Term to {ends_on}")
        start = ends_on + datetime.timedelta(days=1)


def latest_weekday_bank_holiday(today: datetime.date | None = None) -> datetime.date:
    """England's most recent bank holiday on a weekday within the year up to ``today``: every year
    has several (Christmas or Boxing Day at least), so one is always found."""
    today = today or timezone.localdate()
    day = today
    while not (day.weekday() < 5 and is_bank_holiday(day)):
        day -= datetime.timedelta(days=1)
    assert today - day < YEAR
    return day


def national_dates(periods: list[tuple]) -> None:
    """The national default's periods for the school years they fall in are these, and only these
    (any seeded ones for those years are removed): a test states the term dates it counts over.
    Each period is ``(starts_on, ends_on)`` or ``(name, starts_on, ends_on)``; made in bulk, as the
    seed makes them, so they have no history rows."""
    named = [period if len(period) == 3 else (f"Period {n}", *period) for n, period in enumerate(periods, 1)]
    years = {school_year(starts_on) for _, starts_on, _ in named}
    TermPeriod.objects.national().filter(school_year__in=years).delete()
    TermPeriod.objects.bulk_create(
        TermPeriod(school_year=school_year(starts_on), name=name, starts_on=starts_on, ends_on=ends_on)
        for name, starts_on, ends_on in named
    )


def no_national_dates(starts_in: int) -> None:
    """The national default has no periods for the school year starting in ``starts_in``."""
    TermPeriod.objects.national().filter(school_year__starts_in=starts_in).delete()


def _clear_week(monday: datetime.date) -> bool:
    return not any(is_bank_holiday(monday + datetime.timedelta(days=n)) for n in range(5))


class RecentTerms:
    """National term dates made around a recent half term, all in the past year, so a test can log
    time on each kind of day whatever today is. Weeks from the half term's Monday ``M``: term to the
    Friday before (``M - 3``), half term, two weeks of term, two weeks of holidays, then term to the
    end of the school year. No bank holiday falls in the weeks the named days are taken from."""

    def __init__(self, today: datetime.date | None = None) -> None:
        today = today or timezone.localdate()
        monday = today - datetime.timedelta(days=35 + today.weekday())
        while not self._fits(monday):
            monday -= datetime.timedelta(weeks=1)
        self.half_term_monday = monday
        days = datetime.timedelta
        year = school_year(monday)
        self.term_starts_on, self.term_ends_on = year.starts_on, year.ends_on
        national_dates([
            (year.starts_on, monday - days(3)),
            (monday + days(7), monday + days(18)),
            (monday + days(35), year.ends_on),
        ])
        self.school_day = monday - days(5)  # the Wednesday before half term
        self.saturday = monday - days(2)
        self.half_term_day = monday + days(1)  # Tuesday
        self.holiday = monday + days(23)  # the Wednesday of the first week of the holidays

    @staticmethod
    def _fits(monday: datetime.date) -> bool:
        year = school_year(monday)
        weeks = (monday - datetime.timedelta(weeks=1), monday, monday + datetime.timedelta(weeks=3))
        return (
            monday - datetime.timedelta(days=7) >= year.starts_on
            and monday + datetime.timedelta(days=35) <= year.ends_on
            and all(_clear_week(week) for week in weeks)
        )

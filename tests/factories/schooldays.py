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
    """Give the authority its own term dates so that every weekday that is not a bank holiday from
    ``start`` to ``end`` is a school day, whatever the national holidays: one period in each school
    year the span touches (each replaces the national default for its year)."""
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

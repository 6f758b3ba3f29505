"""Changing term dates. Every change to one school year's calendars is made under a lock on the
school year's row, so two people adding or copying periods at once cannot make them overlap."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from refusals import validated
from schools.models import LocalAuthority

from .errors import SchoolDaysError
from .models import SchoolYear, TermPeriod


def _lock_year(school_year: SchoolYear) -> SchoolYear:
    return SchoolYear.objects.select_for_update().get(pk=school_year.pk)


def has_own_term_dates(school_year: SchoolYear, local_authority: LocalAuthority) -> bool:
    return TermPeriod.objects.of_calendar(school_year, local_authority).exists()


@transaction.atomic
def save_period(period: TermPeriod) -> TermPeriod:
    """Add or change a period, checked again (dates inside the year, no overlap) under the lock."""
    _lock_year(period.school_year)
    validated(period, SchoolDaysError)
    period.save()
    return period


@transaction.atomic
def delete_period(period: TermPeriod) -> None:
    """Remove a period. An authority's last period removed, its term dates are the national default."""
    _lock_year(period.school_year)
    period.delete()


@transaction.atomic
def copy_national_default(school_year: SchoolYear, local_authority: LocalAuthority) -> int:
    """Start an authority's own term dates for the year from a copy of the national default;
    returns how many periods were copied."""
    _lock_year(school_year)
    if has_own_term_dates(school_year, local_authority):
        raise SchoolDaysError(
            f"{local_authority.name} already has its own term dates for {school_year.name}"
        )
    national = TermPeriod.objects.of_calendar(school_year, None)
    copies = [
        TermPeriod(
            school_year=school_year, local_authority=local_authority, name=period.name,
            starts_on=period.starts_on, ends_on=period.ends_on,
        )
        for period in national
    ]
    for copy in copies:
        copy.save()  # one by one, so each gets its history row
    return len(copies)


@transaction.atomic
def back_to_national_default(school_year: SchoolYear, local_authority: LocalAuthority) -> int:
    """Remove the authority's own term dates for the year; returns how many periods went."""
    _lock_year(school_year)
    periods = list(TermPeriod.objects.of_calendar(school_year, local_authority))
    for period in periods:
        period.delete()  # one by one, so each leaves a history row
    return len(periods)


def add_school_year(starts_in: int) -> SchoolYear:
    """A new school year with no term dates yet (every weekday that is not a bank holiday counts
    until its national term periods are added). Refused when the year is out of range or already
    exists: school years never overlap, as each runs from 1 September to 31 August."""
    school_year = SchoolYear(starts_in=starts_in)
    validated(school_year, SchoolDaysError, fields=["starts_in"])
    taken = f"The {school_year.name} school year already exists"
    if SchoolYear.objects.filter(starts_in=starts_in).exists():
        raise SchoolDaysError(taken, field="starts_in")
    try:
        with transaction.atomic():
            school_year.save()
    except IntegrityError as clash:  # added by someone else a moment ago
        raise SchoolDaysError(taken, field="starts_in") from clash
    return school_year

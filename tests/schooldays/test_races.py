"""Changes to one school year's term dates are made under a lock on the year, so two at once cannot
make an authority's periods overlap or copy the national default twice (on PostgreSQL)."""

import datetime

import pytest
from django.db import connection

from schooldays import services
from schooldays.models import SchoolYear, TermPeriod
from tests.concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
D = datetime.date


def test_two_copies_of_the_national_default_at_once_make_one(home_la):
    assert connection.vendor == "postgresql"
    year = SchoolYear.objects.get(starts_in=2026)
    outcomes = run_at_once(*[lambda: services.copy_national_default(year, home_la)] * 2)
    assert sorted(outcomes) == ["SchoolDaysError", "done"]
    assert TermPeriod.objects.of_calendar(year, home_la).count() == 6


def test_two_overlapping_periods_added_at_once_make_one(home_la):
    assert connection.vendor == "postgresql"
    year = SchoolYear.objects.get(starts_in=2026)

    def add(name: str, ends_on: datetime.date):
        period = TermPeriod(
            school_year=year, local_authority=home_la, name=name, starts_on=D(2026, 9, 3), ends_on=ends_on
        )
        return lambda: services.save_period(period)

    outcomes = run_at_once(add("Autumn 1", D(2026, 10, 16)), add("Autumn", D(2026, 12, 18)))
    assert sorted(outcomes) == ["SchoolDaysError", "done"]
    assert TermPeriod.objects.of_calendar(year, home_la).count() == 1

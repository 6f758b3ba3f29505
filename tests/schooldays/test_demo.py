"""The demo's term dates: Norfolk's own 2026 to 2027 dates, created once."""

import datetime

import pytest

from schooldays.calendar import count_school_days
from schooldays.demo import seed_term_dates_demo
from schooldays.models import SchoolYear, TermPeriod

pytestmark = pytest.mark.django_db


def test_norfolk_gets_its_own_october_half_term_once(home_la):
    assert seed_term_dates_demo() == 6
    assert seed_term_dates_demo() == 6
    year = SchoolYear.objects.get(starts_in=2026)
    assert TermPeriod.objects.of_calendar(year, home_la).count() == 6
    half_term = (datetime.date(2026, 10, 19), datetime.date(2026, 10, 23))
    assert count_school_days(*half_term, home_la) == 0
    assert count_school_days(*half_term, None) == 5


def test_without_the_demo_authority_it_adds_nothing(db):
    assert seed_term_dates_demo() == 0
    assert not TermPeriod.objects.filter(local_authority__isnull=False).exists()

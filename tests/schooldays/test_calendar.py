"""The school-day calendar: weekends, England's bank holidays and the days outside term periods
never count; an authority's own term dates replace the national default for their year."""

import datetime
from decimal import Decimal

import pytest

from schooldays import calendar
from schooldays.calendar import (
    QUERIES_PER_CALL,
    calendar_for,
    count_school_days,
    days_for_weekly_commitment,
    is_school_day,
    round_to_half_day,
    school_days,
    term_weeks,
)
from schooldays.models import TermPeriod

pytestmark = pytest.mark.django_db
D = datetime.date


def weekdays(start, end):
    day, found = start, []
    while day <= end:
        if day.weekday() < 5:
            found.append(day)
        day += datetime.timedelta(days=1)
    return found


def test_a_full_week_of_term_is_five_school_days():
    assert school_days(D(2026, 10, 12), D(2026, 10, 18), None) == weekdays(D(2026, 10, 12), D(2026, 10, 16))
    assert term_weeks(D(2026, 10, 12), D(2026, 10, 18), None) == Decimal(1)


def test_weekends_never_count():
    assert not is_school_day(D(2026, 10, 10), None)  # a Saturday in term
    assert not is_school_day(D(2026, 10, 11), None)
    assert is_school_day(D(2026, 10, 12), None)


def test_a_week_with_a_bank_holiday_is_four_school_days():
    # Monday 3 May 2027 is the early May bank holiday, in the summer half term of the national default.
    assert not is_school_day(D(2027, 5, 3), None)
    assert count_school_days(D(2027, 5, 3), D(2027, 5, 9), None) == 4
    assert term_weeks(D(2027, 5, 3), D(2027, 5, 9), None) == Decimal("0.8")


def test_half_term_has_no_school_days():
    # Autumn 1 ends on Friday 23 October 2026 and Autumn 2 starts on Monday 2 November.
    assert count_school_days(D(2026, 10, 24), D(2026, 11, 1), None) == 0
    assert is_school_day(D(2026, 10, 23), None) and is_school_day(D(2026, 11, 2), None)


def test_the_summer_and_christmas_holidays_have_no_school_days():
    assert count_school_days(D(2027, 7, 23), D(2027, 9, 1), None) == 0
    assert count_school_days(D(2026, 12, 19), D(2027, 1, 3), None) == 0


def test_an_authoritys_own_term_dates_replace_the_national_default(own_period, home_la, other_la):
    # Norfolk's half term starts a week early; Suffolk keeps the national default.
    week = (D(2026, 10, 19), D(2026, 10, 23))
    assert count_school_days(*week, home_la) == 0
    assert count_school_days(*week, other_la) == 5
    assert count_school_days(*week, None) == 5
    # The authority's periods replace the default's for the whole year: it has none after October.
    assert count_school_days(D(2027, 1, 4), D(2027, 1, 8), home_la) == 0
    # Another school year, where it has none of its own, follows the national default.
    assert count_school_days(D(2027, 9, 6), D(2027, 9, 10), home_la) == 5


def test_an_authority_may_be_given_by_its_id(own_period, home_la):
    assert count_school_days(D(2026, 10, 19), D(2026, 10, 23), home_la.pk) == 0


def test_bank_holidays_and_weekends_inside_an_authoritys_period_still_do_not_count(year_2026, home_la):
    TermPeriod.objects.create(
        school_year=year_2026, local_authority=home_la, name="All year",
        starts_on=D(2026, 9, 1), ends_on=D(2027, 8, 31),
    )
    assert not is_school_day(D(2026, 12, 25), home_la)  # Christmas Day, a Friday
    assert not is_school_day(D(2026, 12, 28), home_la)  # Boxing Day (substitute day)
    assert count_school_days(D(2026, 12, 21), D(2026, 12, 27), home_la) == 4


def test_a_year_without_term_dates_counts_weekdays_that_are_not_bank_holidays():
    # No term dates for 2030 to 2031 (conftest); Monday 26 August 2030 is the summer bank holiday.
    assert count_school_days(D(2030, 8, 26), D(2030, 9, 1), None) == 4
    assert count_school_days(D(2030, 10, 28), D(2030, 11, 1), None) == 5  # no half term known


def test_a_range_over_two_school_years_reads_each_years_dates():
    # The last week of the summer term 2027 and the first of the autumn term: 4 + 2 school days.
    assert count_school_days(D(2027, 7, 19), D(2027, 9, 3), None) == 4 + 2


def test_an_empty_range_has_no_school_days():
    assert school_days(D(2026, 10, 16), D(2026, 10, 12), None) == []
    assert term_weeks(D(2026, 10, 16), D(2026, 10, 12), None) == 0


def test_a_weekly_commitment_counts_only_term_weeks():
    # Two days a week from 19 October to 13 November 2026: three term weeks and half term, so 6
    # days, not the 8 that four calendar weeks would make.
    assert days_for_weekly_commitment(Decimal(2), D(2026, 10, 19), D(2026, 11, 13), None) == Decimal(6)


def test_a_weekly_commitment_over_a_bank_holiday_is_rounded_to_the_half_day():
    # A day and a half a week over 3 to 14 May 2027 (9 school days, 1.8 weeks) is 2.7 days: 2.5.
    assert days_for_weekly_commitment(Decimal("1.5"), D(2027, 5, 3), D(2027, 5, 14), None) == Decimal("2.5")
    # A day a week over Christmas: the last week of term and the first of the new one.
    assert days_for_weekly_commitment(Decimal(1), D(2026, 12, 14), D(2027, 1, 8), None) == Decimal(2)


def test_a_weekly_commitment_follows_the_authoritys_term_dates(own_period, home_la):
    start, end = D(2026, 10, 5), D(2026, 10, 23)
    assert days_for_weekly_commitment(Decimal(1), start, end, None) == Decimal(3)
    assert days_for_weekly_commitment(Decimal(1), start, end, home_la) == Decimal(2)


@pytest.mark.parametrize(
    ("days", "rounded"),
    [("0.2", "0.0"), ("0.25", "0.5"), ("0.74", "0.5"), ("0.75", "1.0"), ("2.7", "2.5"), ("3", "3.0")],
)
def test_days_are_rounded_to_the_nearest_half_day_halves_up(days, rounded):
    assert round_to_half_day(Decimal(days)) == Decimal(rounded)


def test_each_call_reads_the_term_dates_in_one_query(django_assert_num_queries, own_period, home_la):
    with django_assert_num_queries(QUERIES_PER_CALL):
        count_school_days(D(2025, 9, 1), D(2028, 8, 31), home_la)
    with django_assert_num_queries(QUERIES_PER_CALL):
        days_for_weekly_commitment(Decimal(2), D(2026, 9, 1), D(2027, 8, 31), None)


def test_a_loaded_calendar_answers_many_questions_without_more_queries(django_assert_num_queries, home_la):
    with django_assert_num_queries(QUERIES_PER_CALL):
        loaded = calendar_for(D(2026, 9, 1), D(2027, 8, 31), home_la)
    with django_assert_num_queries(0):
        assert loaded.is_school_day(D(2026, 9, 3))
        assert len(loaded.school_days(D(2026, 10, 12), D(2026, 10, 16))) == 5


def test_a_loaded_calendar_refuses_days_outside_its_range(home_la):
    loaded = calendar_for(D(2026, 9, 1), D(2026, 9, 30), home_la)
    with pytest.raises(ValueError, match="outside the calendar"):
        loaded.is_school_day(D(2026, 10, 1))


def test_bank_holidays_are_englands():
    assert calendar.is_bank_holiday(D(2027, 8, 30))  # England's summer bank holiday
    assert not calendar.is_bank_holiday(D(2027, 8, 2))  # Scotland's, not England's
    assert not calendar.is_bank_holiday(D(2027, 3, 17))  # St Patrick's Day: Northern Ireland only


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 9, 1), D(2027, 8, 31)),  # the whole loaded range
        (D(2026, 10, 19), D(2026, 11, 6)),  # over half term
        (D(2026, 12, 21), D(2027, 1, 8)),  # the Christmas holidays and their bank holidays
        (D(2026, 9, 5), D(2026, 9, 5)),  # one Saturday
        (D(2026, 9, 10), D(2026, 9, 9)),  # an empty range
        (D(2026, 8, 1), D(2026, 9, 11)),  # starting before the loaded range: counted from its start
    ],
)
def test_a_loaded_calendar_counts_school_days_as_it_lists_them(start, end, own_period, home_la):
    loaded = calendar_for(D(2026, 9, 1), D(2027, 8, 31), home_la)
    assert loaded.count_school_days(start, end) == len(loaded.school_days(start, end))

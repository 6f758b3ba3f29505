"""Term periods are checked by the model: inside their school year, ending on or after they start,
and not overlapping another period of the same term dates. The messages are on the field."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from schooldays import services
from schooldays.errors import SchoolDaysError
from schooldays.forms import TermPeriodForm
from schooldays.models import SchoolYear, TermPeriod, school_year_starting

pytestmark = pytest.mark.django_db
D = datetime.date


def errors_of(period: TermPeriod) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        period.full_clean()
    return raised.value.message_dict


def period(school_year, starts_on, ends_on, local_authority=None, name="Extra") -> TermPeriod:
    return TermPeriod(
        school_year=school_year, local_authority=local_authority, name=name,
        starts_on=starts_on, ends_on=ends_on,
    )


def test_the_school_year_is_named_and_dated_as_gov_uk_does(year_2026):
    assert str(year_2026) == "2026 to 2027"
    assert (year_2026.starts_on, year_2026.ends_on) == (D(2026, 9, 1), D(2027, 8, 31))
    assert school_year_starting(D(2027, 8, 31)) == 2026 and school_year_starting(D(2027, 9, 1)) == 2027


@pytest.mark.parametrize(
    ("starts_in", "message"),
    [
        (1999, "The school year must start in 2000 or later"),
        (2101, "The school year must start in 2100 or earlier"),
    ],
)
def test_a_school_year_is_within_range(db, starts_in, message):
    with pytest.raises(ValidationError) as raised:
        SchoolYear(starts_in=starts_in).full_clean()
    assert raised.value.message_dict == {"starts_in": [message]}


def test_the_last_day_is_not_before_the_first(year_2026, home_la):
    errors = errors_of(period(year_2026, D(2026, 10, 9), D(2026, 10, 2), home_la))
    assert errors == {"ends_on": ["The last day must be the same as or after the first day"]}


def test_a_period_is_inside_its_school_year(year_2026, home_la):
    errors = errors_of(period(year_2026, D(2026, 8, 28), D(2027, 9, 2), home_la))
    year = "the 2026 to 2027 school year (1 September 2026 to 31 August 2027)"
    assert errors == {
        "starts_on": [f"The first day must be in {year}"],
        "ends_on": [f"The last day must be in {year}"],
    }


def test_periods_of_the_national_default_do_not_overlap(year_2026):
    errors = errors_of(period(year_2026, D(2026, 10, 19), D(2026, 10, 30)))
    assert errors == {
        "starts_on": [
            "The dates overlap Autumn 1 (3 September 2026 to 23 October 2026): periods of the same term "
            "dates cannot overlap"
        ]
    }


def test_an_authoritys_periods_do_not_overlap_each_other(own_period, year_2026, home_la):
    errors = errors_of(period(year_2026, D(2026, 10, 16), D(2026, 10, 20), home_la))
    assert list(errors) == ["starts_on"]
    assert "overlap Autumn 1 (3 September 2026 to 16 October 2026)" in errors["starts_on"][0]


def test_an_authoritys_periods_may_overlap_the_national_default_they_replace(year_2026, home_la, other_la):
    period(year_2026, D(2026, 10, 19), D(2026, 10, 30), home_la).full_clean()
    TermPeriod.objects.create(
        school_year=year_2026, local_authority=home_la, name="Autumn 1", starts_on=D(2026, 9, 3),
        ends_on=D(2026, 10, 16),
    )
    period(year_2026, D(2026, 9, 3), D(2026, 10, 16), other_la).full_clean()


def test_a_period_changed_does_not_overlap_itself(national_period):
    national_period.ends_on = D(2026, 10, 22)
    national_period.full_clean()


def test_a_period_has_a_name(year_2026, home_la):
    errors = errors_of(period(year_2026, D(2026, 9, 3), D(2026, 9, 4), home_la, name=""))
    assert list(errors) == ["name"]


def test_the_form_gives_the_models_message_on_the_field(year_2026, home_la):
    instance = TermPeriod(school_year=year_2026, local_authority=home_la)
    data = {
        "name": "Autumn 1", "starts_on_day": "9", "starts_on_month": "10", "starts_on_year": "2026",
        "ends_on_day": "2", "ends_on_month": "10", "ends_on_year": "2026",
    }
    form = TermPeriodForm(data, instance=instance)
    assert not form.is_valid()
    assert form.errors == {"ends_on": ["The last day must be the same as or after the first day"]}


def test_the_form_asks_for_real_dates(year_2026, home_la):
    data = {
        "name": "Autumn 1", "starts_on_day": "31", "starts_on_month": "9", "starts_on_year": "2026",
        "ends_on_day": "", "ends_on_month": "", "ends_on_year": "",
    }
    form = TermPeriodForm(data, instance=TermPeriod(school_year=year_2026, local_authority=home_la))
    assert not form.is_valid()
    assert form.errors == {
        "starts_on": ["First day must be a real date"],
        "ends_on": ["Enter the last day of the period"],
    }


def test_the_service_checks_again_before_saving(year_2026):
    with pytest.raises(SchoolDaysError) as raised:
        services.save_period(period(year_2026, D(2026, 10, 19), D(2026, 10, 30)))
    assert raised.value.field == "starts_on"
    assert "overlap Autumn 1" in raised.value.message


def test_an_authority_starts_its_own_dates_once(year_2026, home_la):
    assert services.copy_national_default(year_2026, home_la) == 6
    with pytest.raises(SchoolDaysError, match="Norfolk already has its own term dates for 2026 to 2027"):
        services.copy_national_default(year_2026, home_la)


def test_going_back_to_the_national_default_removes_only_that_authoritys_dates(year_2026, home_la, other_la):
    services.copy_national_default(year_2026, home_la)
    services.copy_national_default(year_2026, other_la)
    assert services.back_to_national_default(year_2026, home_la) == 6
    assert not TermPeriod.objects.of_calendar(year_2026, home_la).exists()
    assert TermPeriod.objects.of_calendar(year_2026, other_la).count() == 6
    assert TermPeriod.objects.of_calendar(year_2026, None).count() == 6


def test_changes_keep_their_history(national_period):
    national_period.ends_on = D(2026, 10, 22)
    services.save_period(national_period)
    assert national_period.history.count() == 1  # rows made in bulk have none; the change has one
    pk = national_period.pk
    services.delete_period(national_period)
    assert TermPeriod.history.filter(id=pk, history_type="-").exists()

"""Number and date ranges: one message saying what is allowed, no digit-count messages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bounds import BoundedDecimalField, DateWindow, NumberRange

DAYS_A_WEEK = NumberRange("Days a week", "0.25", 5, "0.25")


@pytest.mark.parametrize("value", ["-2", "0", "-0", "0.3", "5.25", "99"])
def test_a_number_outside_its_range_or_step_is_refused_with_what_is_allowed(value):
    with pytest.raises(ValidationError) as refused:
        DAYS_A_WEEK(Decimal(value))

    assert refused.value.messages == ["Days a week must be between 0.25 and 5, in quarter days"]


@pytest.mark.parametrize("value", ["0.25", "1.5", "5"])
def test_a_number_in_range_and_in_step_is_accepted(value):
    DAYS_A_WEEK(Decimal(value))


def test_a_bounded_decimal_field_has_no_digit_count_messages():
    field = BoundedDecimalField(max_digits=3, decimal_places=2, validators=[DAYS_A_WEEK])

    with pytest.raises(ValidationError) as refused:
        field.clean(Decimal("99.999"), None)

    assert refused.value.messages == ["Days a week must be between 0.25 and 5, in quarter days"]


def test_the_form_field_of_a_bounded_decimal_field_uses_the_same_range():
    form_field = BoundedDecimalField(max_digits=3, decimal_places=2, validators=[DAYS_A_WEEK]).formfield()

    with pytest.raises(ValidationError) as refused:
        form_field.clean("12.345")

    assert refused.value.messages == ["Days a week must be between 0.25 and 5, in quarter days"]


def test_a_date_window_is_counted_from_today(monkeypatch):
    window = DateWindow("The date of the review", days_before=365, days_after=0)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(2026, 12, 1))

    with pytest.raises(ValidationError) as refused:
        window(datetime.date(1, 1, 1))

    assert refused.value.messages == [
        "The date of the review must be today or in the past, and no earlier than 1 December 2025"
    ]
    window(datetime.date(2026, 12, 1))

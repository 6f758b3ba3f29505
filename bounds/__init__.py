"""The bounds of numbers and dates, each stated once and run by a model field's ``full_clean()``.

A field names its range with one of these validators; its message says, in the GOV.UK style,
what is allowed. ``BoundedDecimalField`` drops Django's digit-count messages ("Ensure that there
are no more than 1 digit before the decimal point") in favour of the range's own message, and its
form field carries the same validators, so a form, a service and the API refuse a value alike.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible


def number_text(value: Decimal | int) -> str:
    """1, 0.25, 1,000 or 12.5: no trailing zeros, thousands separated."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


STEP_WORDS = {
    Decimal("0.25"): "in quarter days",
    Decimal("0.5"): "in half days",
    Decimal("1"): "in whole numbers",
    Decimal("0.01"): "in pounds and pence",
}


@deconstructible
class NumberRange:
    """Between ``low`` and ``high`` (both allowed), in steps of ``step`` counted from zero."""

    def __init__(
        self, label: str, low, high, step=None, *, unit: str = "", step_words: str = "", plain: bool = False
    ) -> None:
        # ``plain``: the bounds as digits alone, for numbers that are names, such as a year (2026).
        self.label, self.unit, self.step_words, self.plain = label, unit, step_words, plain
        self.low, self.high = Decimal(str(low)), Decimal(str(high))
        self.step = Decimal(str(step)) if step is not None else None

    @property
    def message(self) -> str:
        show = (lambda n: f"{n.normalize():f}") if self.plain else number_text
        low, high = f"{self.unit}{show(self.low)}", f"{self.unit}{show(self.high)}"
        text = f"{self.label} must be between {low} and {high}"
        words = self.step_words or STEP_WORDS.get(self.step, "")
        if self.step is not None and words:
            text += f", {words}"
        return text

    def __call__(self, value) -> None:
        if value is None:
            return
        try:
            number = Decimal(str(value))
        except InvalidOperation as error:
            raise ValidationError(self.message, code="out_of_range") from error
        # -0 is 0, so a lower bound above zero refuses it.
        if not number.is_finite() or number < self.low or number > self.high:
            raise ValidationError(self.message, code="out_of_range")
        if self.step is not None and number % self.step != 0:
            raise ValidationError(self.message, code="out_of_step")

    def __eq__(self, other) -> bool:
        return isinstance(other, NumberRange) and (
            self.label, self.low, self.high, self.step, self.unit, self.step_words, self.plain
        ) == (other.label, other.low, other.high, other.step, other.unit, other.step_words, other.plain)


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


@deconstructible
class DateWindow:
    """A date from ``days_before`` days before today to ``days_after`` days after it (``None`` for
    no bound on that side). Today is the service's local date when the value is checked."""

    def __init__(self, label: str, *, days_before: int | None, days_after: int | None) -> None:
        self.label, self.days_before, self.days_after = label, days_before, days_after

    def bounds(self, today: datetime.date | None = None) -> tuple[datetime.date | None, datetime.date | None]:
        today = today or timezone.localdate()
        low = today - datetime.timedelta(days=self.days_before) if self.days_before is not None else None
        high = today + datetime.timedelta(days=self.days_after) if self.days_after is not None else None
        return low, high

    def message(self, today: datetime.date | None = None) -> str:
        low, high = self.bounds(today)
        today = today or timezone.localdate()
        if high == today and low is not None:
            return f"{self.label} must be today or in the past, and no earlier than {long_date(low)}"
        if high == today:
            return f"{self.label} must be today or in the past"
        if low == today and high is not None:
            return f"{self.label} must be today or in the future, and no later than {long_date(high)}"
        if low is not None and high is not None:
            return f"{self.label} must be between {long_date(low)} and {long_date(high)}"
        if low is not None:
            return f"{self.label} must be on or after {long_date(low)}"
        return f"{self.label} must be on or before {long_date(high)}"

    def __call__(self, value) -> None:
        if not isinstance(value, datetime.date):
            return
        low, high = self.bounds()
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError(self.message(), code="out_of_range")

    def __eq__(self, other) -> bool:
        return isinstance(other, DateWindow) and (self.label, self.days_before, self.days_after) == (
            other.label, other.days_before, other.days_after
        )


def check_date_order(errors: dict, field: str, earlier, later, message: str) -> None:
    """For Model.clean(): ``later`` must not be before ``earlier`` (both known)."""
    if earlier is not None and later is not None and later < earlier:
        errors.setdefault(field, []).append(message)


class BoundedDecimalField(models.DecimalField):
    """A DecimalField whose range validator speaks for it: no digit-count messages, and a form field
    with the same validators and a friendly message for text that is not a number."""

    @property
    def validators(self):
        return [v for v in super().validators if not isinstance(v, DecimalValidator)]

    def formfield(self, **kwargs):
        ranges = [v for v in self.validators if isinstance(v, NumberRange)]
        label = ranges[0].label if ranges else "The number"
        defaults = {
            "form_class": forms.DecimalField,
            "max_digits": None,
            "decimal_places": None,
            "validators": self.validators,
            "error_messages": {"invalid": f"{label} must be a number"},
        }
        defaults.update(kwargs)
        # Field.formfield would add the model's validators again; ours are given once.
        field = models.Field.formfield(self, **defaults)
        field.widget.attrs.setdefault("inputmode", "decimal")
        return field


def first_error(error: ValidationError) -> tuple[str | None, str]:
    """The field and message of the first problem a ``full_clean()`` found, for an app's error type."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            if problems:
                return (None if field == "__all__" else field), problems[0]
    return None, error.messages[0] if error.messages else "Check what you entered"


def full_clean_fields(instance, fields=None) -> None:
    """``full_clean()`` the instance's validators (only those of ``fields`` when given) and its
    ``clean()``; uniqueness and constraints are left to the database and the services' locks."""
    exclude = None
    if fields is not None:
        exclude = [f.name for f in instance._meta.fields if f.name not in set(fields)]
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)

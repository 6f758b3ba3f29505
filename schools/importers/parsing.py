"""Turning published cell text into values, with a reason when it cannot be done."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from ..models import URN_MAX
from .base import RowRejected

# Cells that mean "no value" in the published files.
NO_VALUE = {"", "null", "n/a", "na", "supp", "not applicable"}


def is_blank(value: str) -> bool:
    return value.strip().lower() in NO_VALUE


# Only ASCII digits: str.isdigit() also accepts "①" (which int() then refuses) and
# Arabic-Indic digits (which int() reads as if they were 0-9).
ASCII_DIGITS = re.compile(r"[0-9]+")


def is_ascii_digits(text: str) -> bool:
    return ASCII_DIGITS.fullmatch(text) is not None


def parse_digits(text: str) -> int | None:
    """The number written in ASCII digits, or None: the one place the importers read numbers."""
    return int(text) if is_ascii_digits(text) else None


def largest_value(model: type[models.Model], field_name: str) -> int:
    """The largest value an integer field holds in PostgreSQL, whatever database runs the tests."""
    internal_type = model._meta.get_field(field_name).get_internal_type()
    return BaseDatabaseOperations.integer_field_ranges[internal_type][1]


def parse_urn(value: str, column: str = "URN") -> int:
    value = value.strip()
    if not value:
        raise RowRejected(f"{column} is missing.")
    number = parse_digits(value)
    if not number:
        raise RowRejected(f"{column} “{value}” is not a number.")
    if number > URN_MAX:
        raise RowRejected(f"{column} “{value}” is too large: URNs go up to {URN_MAX}.")
    return number


def parse_date(value: str, column: str, formats: tuple[str, ...]) -> datetime.date | None:
    if is_blank(value):
        return None
    for date_format in formats:
        try:
            return datetime.datetime.strptime(value.strip(), date_format).date()
        except ValueError:
            continue
    examples = " or ".join(datetime.date(2024, 9, 30).strftime(f) for f in formats)
    raise RowRejected(f"{column} “{value}” is not a date like {examples}.")


def parse_whole_number(value: str, column: str, maximum: int) -> int | None:
    if is_blank(value):
        return None
    number = parse_digits(value.strip().replace(",", ""))
    if number is None:
        raise RowRejected(f"{column} “{value}” is not a whole number.")
    if number > maximum:
        raise RowRejected(f"{column} “{value}” is too large: it goes up to {maximum}.")
    return number


def parse_percentage(value: str, column: str) -> Decimal | None:
    if is_blank(value):
        return None
    try:
        number = Decimal(value.strip().rstrip("%"))
    except InvalidOperation:
        raise RowRejected(f"{column} “{value}” is not a number.") from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise RowRejected(f"{column} “{value}” is not a percentage between 0 and 100.")
    return number.quantize(Decimal("0.01"))


def fit(model: type[models.Model], field_name: str, value: str, column: str) -> str:
    """Text for a CharField, refused (not cut) when longer than the field holds."""
    max_length = model._meta.get_field(field_name).max_length
    if max_length and len(value) > max_length:
        raise RowRejected(f"{column} is longer than {max_length} characters.")
    return value

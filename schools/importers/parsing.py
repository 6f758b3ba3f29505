"""Turning published cell text into values, with a reason when it cannot be done."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import models

from .base import RowRejected

# Cells that mean "no value" in the published files.
NO_VALUE = {"", "null", "n/a", "na", "supp", "not applicable"}


def is_blank(value: str) -> bool:
    return value.strip().lower() in NO_VALUE


def parse_urn(value: str, column: str = "URN") -> int:
    value = value.strip()
    if not value:
        raise RowRejected(f"{column} is missing.")
    if not value.isdigit() or int(value) == 0:
        raise RowRejected(f"{column} “{value}” is not a number.")
    return int(value)


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


def parse_whole_number(value: str, column: str) -> int | None:
    if is_blank(value):
        return None
    text = value.strip().replace(",", "")
    if not text.isdigit():
        raise RowRejected(f"{column} “{value}” is not a whole number.")
    return int(text)


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

"""Field-level validation for people's details."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from .choices import EmailKind

PHONE_MAX_LENGTH = 20
# A UK number: 0 or +44, then ten digits (or nine for a few old numbers), spaces and dashes allowed.
_UK_PHONE = re.compile(r"^(?:\+44|0)\d{9,10}$")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s\-()]", "", value or "")


def validate_uk_phone(value: str) -> None:
    if not value:
        return
    digits = normalise_phone(value)
    if digits.startswith("+44"):
        digits_after = digits[3:]
        if digits_after.startswith("0"):
            raise ValidationError("Enter a phone number like 01632 960 001 or +44 1632 960 001")
    if not _UK_PHONE.match(digits):
        raise ValidationError(
            "Enter a UK phone number, like 01632 960 001, 07700 900 982 or +44 7700 900 982"
        )


def validate_email_opt_outs(value) -> None:
    if not isinstance(value, list) or any(kind not in EmailKind.values for kind in value):
        raise ValidationError("Only informational emails can be turned off.")

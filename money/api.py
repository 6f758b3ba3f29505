"""Amounts in the API: decimal strings in pounds and pence ("12015.00"), never floats."""

from __future__ import annotations

from rest_framework import serializers


def amount_field(**kwargs) -> serializers.DecimalField:
    """A read-only amount, a decimal string with two places."""
    options = {"max_digits": 12, "decimal_places": 2, "read_only": True, "coerce_to_string": True}
    return serializers.DecimalField(**(options | kwargs))

"""Template filters for the deployment pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def days(value: Decimal | int | None) -> str:
    """A number of days without trailing zeros: 2.5, 0.25, 26."""
    if value in (None, ""):
        return "0"
    text = f"{Decimal(value).normalize():f}"
    return text

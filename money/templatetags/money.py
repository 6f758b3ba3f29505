"""``{{ amount|pounds }}``: every page shows money as "£12,015.00", formatted by ``money``."""

from django import template

from money import format_pounds

register = template.Library()


@register.filter
def pounds(value, empty: str = "") -> str:
    return format_pounds(value, empty=empty)

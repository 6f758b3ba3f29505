from django import template

from govuk.forms import date_parts as parts_of

register = template.Library()


@register.filter
def date_parts(bound_field) -> list[dict]:
    """The day, month and year boxes of a GovukDateField."""
    return parts_of(bound_field)

"""``{% error_prefix %}``: "Error: " at the start of a page's title when the page shows a form's
errors, whatever the view named the form (GOV.UK: the title says so first, for screen readers)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet

register = template.Library()


def _has_errors(value) -> bool:
    # Only forms the view has already validated: asking an unvalidated bound form for its errors
    # would run its cleaning (and a model form's changes to its instance) from the template.
    if isinstance(value, BaseForm):
        return value.is_bound and value._errors is not None and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and value._errors is not None and value.total_error_count() > 0
    return False


def _candidates(value) -> Iterable:
    """The value, a filter set's form, and the forms of a list of rows (``{"form": ...}`` or ``.form``)."""
    yield value
    form = getattr(value, "form", None)
    if isinstance(form, BaseForm):
        yield form
    if isinstance(value, list | tuple):
        for item in value:
            yield item
            yield item.get("form") if isinstance(item, dict) else getattr(item, "form", None)


def page_has_errors(context) -> bool:
    values = context.flatten().values()
    return any(_has_errors(candidate) for value in values for candidate in _candidates(value))


@register.simple_tag(takes_context=True)
def error_prefix(context) -> str:
    return "Error: " if page_has_errors(context) else ""

"""The filter backend for every API list (django-filter, refusing ambiguous repeats), and the
filters every API FilterSet shares: ids, and checked dates."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import MultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError


class StrictFilterBackend(DjangoFilterBackend):
    """Like ``DjangoFilterBackend``, but ``?phase=a&phase=b`` is allowed only for multi-value filters.

    Django reads the last of repeated single-value parameters silently, so ``?q=a&q=`` would
    drop a filter the caller asked for; it is refused with a 400 instead.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            reject_repeated_parameters(request, single_valued_filters(filterset_class))
        return super().filter_queryset(request, queryset, view)


def single_valued_filters(filterset_class) -> set[str]:
    return {
        name for name, declared in filterset_class.base_filters.items()
        if not isinstance(declared, MultipleChoiceFilter)
    }


def reject_repeated_parameters(request, names: set[str]) -> None:
    repeated = sorted(name for name in names if len(request.query_params.getlist(name)) > 1)
    if repeated:
        raise ValidationError({name: ["Give this parameter once."] for name in repeated})


# --- ids and dates -----------------------------------------------------------------------------------

#: PostgreSQL refuses offsets beyond this ("time zone displacement out of range"), Python does not.
MAX_UTC_OFFSET = datetime.timedelta(hours=15, minutes=59)


@extend_schema_field({"type": "integer", "minimum": 1})
class IdFilter(django_filters.Filter):
    """A record's id: a whole number of at least 1 (``?deployment=1.5`` is a 400, not a lookup)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)


class CheckedDatesFilterSet(django_filters.FilterSet):
    """A FilterSet whose date and date-time parameters are checked before they reach a query: an
    empty value, a time-zone offset beyond ±15:59, or a range given backwards (``date_ranges``)
    is an error on the parameter, so a 400 in the API."""

    #: (earliest, latest) pairs of filters; the first given later than the second is refused.
    date_ranges: tuple[tuple[str, str], ...] = ()

    def get_form_class(self):
        form_class = super().get_form_class()
        filters, date_ranges = self.filters, self.date_ranges

        def clean(form):
            cleaned = form_class.clean(form)
            check_date_parameters(form, filters, date_ranges)
            return cleaned

        return type(form_class.__name__, (form_class,), {"clean": clean})


def check_date_parameters(form, filters: dict, date_ranges) -> None:
    for name, declared in filters.items():
        if name not in form.fields or not isinstance(declared, DATE_FILTERS):
            continue
        raw = form.data.get(form.add_prefix(name))
        if raw is not None and not str(raw).strip():
            form.add_error(name, DjangoValidationError(EMPTY_DATE_MESSAGE, code="blank"))
            continue
        value = form.cleaned_data.get(name)
        offset = value.utcoffset() if isinstance(value, datetime.datetime) else None
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            form.add_error(name, DjangoValidationError(OFFSET_MESSAGE, code="invalid"))
    for earliest, latest in date_ranges:
        start, end = form.cleaned_data.get(earliest), form.cleaned_data.get(latest)
        if start is not None and end is not None and start > end and latest in form.fields:
            message = f"Give a date on or after {earliest}."
            form.add_error(latest, DjangoValidationError(message, code="invalid"))


DATE_FILTERS = (django_filters.DateFilter, django_filters.DateTimeFilter)
EMPTY_DATE_MESSAGE = "Give a date (2026-09-01) or a date and time (2026-09-01T09:00:00Z), or leave it out."
OFFSET_MESSAGE = "Give a time-zone offset between -15:59 and +15:59, or Z for UTC."

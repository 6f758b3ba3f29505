"""The filter backend for every API list (django-filter, refusing unknown parameters and
ambiguous repeats), and the filters every API FilterSet shares: ids, checked dates, and
``updated_since`` and ``sort`` so a partner can keep a copy in sync."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django_filters import MultipleChoiceFilter
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

# Query parameters every list takes besides its filters and its pagination.
GENERAL_PARAMETERS = frozenset({"format"})
SORTS = {"updated_at": ("updated_at", "pk"), "-updated_at": ("-updated_at", "-pk")}


class StrictFilterBackend(DjangoFilterBackend):
    """Like ``DjangoFilterBackend``, but a list refuses (400, naming the parameter) any query
    parameter it does not know, and ``?phase=a&phase=b`` is allowed only for multi-value filters.

    Ignoring ``?updated_sinse=...`` would answer every row as if it were the partner's changes;
    Django reads the last of repeated single-value parameters silently, so ``?q=a&q=`` would drop
    a filter the caller asked for.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            if getattr(view, "action", "list") == "list":
                reject_unknown_parameters(request, allowed_parameters(filterset_class, view))
            reject_repeated_parameters(request, single_valued_filters(filterset_class))
            reject_malformed_booleans(request, boolean_filters(filterset_class))
        return super().filter_queryset(request, queryset, view)


def allowed_parameters(filterset_class, view) -> set[str]:
    """The filterset's filters, the paginator's parameters (``page``, ``page_size``...) and ``format``."""
    paginator = getattr(view, "paginator", None)
    paging = {
        getattr(paginator, name) for name in dir(paginator)
        if name.endswith("_query_param") and isinstance(getattr(paginator, name), str)
    } if paginator is not None else set()
    return set(filterset_class.base_filters) | paging | GENERAL_PARAMETERS


def reject_unknown_parameters(request, allowed: set[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationError({name: ["This list has no such parameter."] for name in unknown})


def single_valued_filters(filterset_class) -> set[str]:
    return {
        name for name, declared in filterset_class.base_filters.items()
        if not isinstance(declared, MultipleChoiceFilter)
    }


def reject_repeated_parameters(request, names: set[str]) -> None:
    repeated = sorted(name for name in names if len(request.query_params.getlist(name)) > 1)
    if repeated:
        raise ValidationError({name: ["Give this parameter once."] for name in repeated})


#: A boolean parameter's only spellings, as the schema's ``type: boolean`` serialises them. The
#: pages' forms read booleans loosely (a checkbox's ``on``); django-filter reads any other value as
#: "not given", which would answer ``?include_closed=yes`` as if no filter had been asked for.
BOOLEAN_VALUES = frozenset({"true", "false"})


def boolean_filters(filterset_class) -> set[str]:
    return {
        name for name, declared in filterset_class.base_filters.items()
        if isinstance(declared, django_filters.BooleanFilter)
    }


def reject_malformed_booleans(request, names: set[str]) -> None:
    malformed = sorted(
        name for name in names
        if name in request.query_params and request.query_params[name] not in BOOLEAN_VALUES
    )
    if malformed:
        raise ValidationError({name: ["Give true or false."] for name in malformed})


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


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, answered in UTC. An offset beyond ±15:59 (which Python parses and
    PostgreSQL refuses) is refused here too, and a date-time at the edge of the calendar cannot be
    moved to UTC."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        offset = parsed.utcoffset()
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            # Refused like every other date-time parameter, as the schema's pattern says.
            raise forms.ValidationError(OFFSET_MESSAGE, code="invalid")
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError("Enter a date and time between the years 1 and 9999.") from None


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class SyncFilterSet(CheckedDatesFilterSet):
    """The filters every API list shares: rows changed since a moment, in the order they changed.

    Paging by ``updated_at`` is stable because ties are broken by id. Without ``sort`` the list
    keeps its own order."""

    updated_since = UpdatedSinceFilter(
        field_name="updated_at", lookup_expr="gte", label="Updated at or after",
        help_text="ISO 8601 date and time, e.g. 2026-09-01T08:00:00Z: rows whose `updated_at` is "
        "at or after it.",
    )
    sort = django_filters.ChoiceFilter(
        choices=[
            ("updated_at", "Least recently updated first"), ("-updated_at", "Most recently updated first")
        ],
        method="keep", label="Sort",
        help_text="`updated_at` (oldest change first, ties by id) or `-updated_at`; the list's own "
        "order unless given.",
    )

    def keep(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied last by filter_queryset, after any filter that orders

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort")
        return queryset.order_by(*SORTS[sort]) if sort else queryset


def sync_filterset(base: type[django_filters.FilterSet] | None = None, *, model: type[Model] | None = None):
    """``base`` (a list's own FilterSet, shared with its page) with the sync filters added for the
    API; or, for a list with no FilterSet of its own, the sync filters alone over ``model``."""
    if base is None:
        meta = type("Meta", (), {"model": model, "fields": []})
        return type(f"{model.__name__}SyncFilterSet", (SyncFilterSet,), {"Meta": meta})
    return type(f"{base.__name__.removesuffix('FilterSet')}SyncFilterSet", (SyncFilterSet, base), {})

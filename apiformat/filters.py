"""The filter backend for every API list: django-filter, refusing ambiguous repeats."""

from __future__ import annotations

from django_filters import MultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
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

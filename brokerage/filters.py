"""FilterSets for support requests, shared by the pages and the API (an unknown code is a 400)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from apiformat.filters import CheckedDatesFilterSet
from designations.models import DesignationType
from schools.models import School

from .choices import PriorityReason, RequestStatus
from .models import SupportRequest


class SupportRequestFilterSet(CheckedDatesFilterSet):
    date_ranges = (("created_after", "created_before"),)

    status = django_filters.MultipleChoiceFilter(
        choices=RequestStatus.choices, label="Status", distinct=False
    )
    school = django_filters.ModelChoiceFilter(
        queryset=School.objects.all(), to_field_name="urn", label="School (URN)",
    )
    designation_type = django_filters.ModelChoiceFilter(
        queryset=DesignationType.objects.all(), to_field_name="code", field_name="designation_types",
        label="Type", empty_label="All types", distinct=True,
    )
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="Raised on or after",
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label="Raised on or before",
    )
    priority_reason = django_filters.ChoiceFilter(
        choices=PriorityReason.choices, method="filter_priority_reason", label="Priority reason",
    )

    class Meta:
        model = SupportRequest
        fields = [
            "status", "school", "designation_type", "created_after", "created_before", "priority_reason",
        ]

    def filter_priority_reason(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        # The reasons are a JSON list of codes, none a part of another; the quotes match a whole
        # code. (The JSON "contains" lookup is not available on SQLite.)
        return queryset.filter(priority_reasons__icontains=f'"{value}"')

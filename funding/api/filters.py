"""The FilterSet of the claims API (the pages may share it)."""

from __future__ import annotations

import django_filters

from apiformat.filters import CheckedDatesFilterSet, IdFilter

from ..choices import ClaimState
from ..models import Claim


class ClaimFilterSet(CheckedDatesFilterSet):
    date_ranges = (("period_from", "period_to"),)

    state = django_filters.MultipleChoiceFilter(choices=ClaimState.choices, label="State", distinct=False)
    deployment = IdFilter(field_name="deployment_id", label="Deployment")
    period_from = django_filters.DateFilter(
        field_name="period_end", lookup_expr="gte", label="Period ends on or after"
    )
    period_to = django_filters.DateFilter(
        field_name="period_start", lookup_expr="lte", label="Period starts on or before"
    )
    submitted_since = django_filters.IsoDateTimeFilter(
        field_name="submitted_at", lookup_expr="gte", label="Submitted at or after"
    )
    changed_since = django_filters.IsoDateTimeFilter(
        field_name="state_changed_at", lookup_expr="gte", label="State changed at or after"
    )

    class Meta:
        model = Claim
        fields = ["state", "deployment", "period_from", "period_to", "submitted_since", "changed_since"]

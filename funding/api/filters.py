"""The FilterSet of the claims API (the pages may share it)."""

from __future__ import annotations

import django_filters

from ..choices import ClaimState
from ..models import Claim


class ClaimFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=ClaimState.choices, label="State", distinct=False)
    deployment = django_filters.NumberFilter(field_name="deployment_id", min_value=1, label="Deployment")
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

"""FilterSets for deployments and their state changes, shared by the pages and the API."""

from __future__ import annotations

import django_filters

from apiformat.filters import CheckedDatesFilterSet, IdFilter
from designations.models import DesignationType
from schools.models import School

from .choices import DeploymentState
from .models import Deployment, DeploymentTransition


class DeploymentFilterSet(CheckedDatesFilterSet):
    date_ranges = (("starts_after", "ends_before"),)

    state = django_filters.MultipleChoiceFilter(
        choices=DeploymentState.choices, label="State", distinct=False
    )
    designation_type = django_filters.ModelChoiceFilter(
        queryset=DesignationType.objects.all(), to_field_name="code",
        field_name="designation__designation_type", label="Type", empty_label="All types",
    )
    supported_school = django_filters.ModelChoiceFilter(
        queryset=School.objects.all(), to_field_name="urn", label="Supported school (URN)",
    )
    leader_school = django_filters.ModelChoiceFilter(
        queryset=School.objects.all(), to_field_name="urn", label="Leader's school (URN)",
    )
    support_request = IdFilter(field_name="support_request_id", label="Support request")
    changed_since = django_filters.IsoDateTimeFilter(
        field_name="state_changed_at", lookup_expr="gte", label="State changed at or after",
    )
    starts_after = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="gte", label="Starts on or after"
    )
    ends_before = django_filters.DateFilter(
        field_name="ends_on", lookup_expr="lte", label="Ends on or before"
    )

    class Meta:
        model = Deployment
        fields = [
            "state", "designation_type", "supported_school", "leader_school", "support_request",
            "changed_since", "starts_after", "ends_before",
        ]


class DeploymentTransitionFilterSet(CheckedDatesFilterSet):
    since = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="gte", label="Changed at or after",
    )
    deployment = IdFilter(field_name="deployment_id", label="Deployment")

    class Meta:
        model = DeploymentTransition
        fields = ["since", "deployment"]

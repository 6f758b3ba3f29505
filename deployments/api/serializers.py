"""Deployments for partner systems: where they stand, their agreed terms and their state changes.

Money is shown only to the commissioner, the broker and national administrators; it is always
paid to a school (`payee_school` is its URN), never to a person.
"""

from __future__ import annotations

from rest_framework import serializers

from brokerage.api.serializers import OrganisationSummarySerializer, SchoolSummarySerializer, one_of
from money.api import amount_field

from ..choices import CostKind, DeploymentState, Rag, RateBasis, StateReason, TimeBasis
from ..models import Deployment, DeploymentTransition


def days_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=7, decimal_places=2, read_only=True, coerce_to_string=False, **kwargs
    )


class DeploymentSerializer(serializers.ModelSerializer):
    # Plain strings keep the schema free of enums that would clash with other "state" fields.
    state = serializers.CharField(read_only=True, help_text=one_of(DeploymentState))
    state_reason = serializers.CharField(
        read_only=True, help_text="Why it was paused or ended early, if it was. " + one_of(StateReason)
    )
    designation_id = serializers.IntegerField(read_only=True)
    designation_type = serializers.CharField(
        source="designation.designation_type.code", read_only=True, help_text="The type's code, e.g. SLE."
    )
    leader_name = serializers.CharField(source="leader.full_name", read_only=True)
    leader_school = SchoolSummarySerializer(read_only=True)
    supported_school = SchoolSummarySerializer(read_only=True)
    commissioner = OrganisationSummarySerializer(read_only=True)
    broker = OrganisationSummarySerializer(read_only=True)
    support_request = serializers.IntegerField(source="support_request_id", read_only=True)
    days_per_week = days_field()
    days_agreed = days_field()

    class Meta:
        model = Deployment
        fields = [
            "id", "state", "state_reason", "state_note", "state_changed_at", "designation_id",
            "designation_type", "leader_name", "leader_school", "supported_school", "commissioner", "broker",
            "support_request", "starts_on", "ends_on", "days_per_week", "days_agreed", "next_review_on",
            "created_at", "updated_at",
        ]
        read_only_fields = fields


class ObjectiveSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    description = serializers.CharField(read_only=True)
    success_measure = serializers.CharField(read_only=True)
    target_on = serializers.DateField(read_only=True)
    latest_rag = serializers.CharField(
        read_only=True, allow_null=True,
        help_text="The latest review's rating; empty before one. " + one_of(Rag),
    )
    latest_rag_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The day it was reviewed."
    )


class CostLineSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True, help_text=one_of(CostKind))
    description = serializers.CharField(read_only=True)
    days = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True, coerce_to_string=False)
    day_rate = amount_field(help_text="Its own day rate, in pounds and pence.")
    amount = amount_field(help_text="Its days times its day rate, rounded to the penny.")


class FinancialTermsSerializer(serializers.Serializer):
    """Amounts are decimal strings in pounds and pence ("12015.00"), never numbers."""

    rate_basis = serializers.CharField(read_only=True, help_text=one_of(RateBasis))
    day_rate = amount_field(allow_null=True)
    total_amount = amount_field(allow_null=True)
    cost = amount_field(
        allow_null=True,
        help_text="The leader's part: the day rate times the days agreed, or the total amount.",
    )
    cost_lines = CostLineSerializer(
        many=True, read_only=True, help_text="Backfill, supply cover and other costs, each at its own rate."
    )
    total = amount_field(allow_null=True, help_text="The cost plus every cost line.")
    budget = amount_field(allow_null=True, help_text="The support request's budget, if it has one.")
    over_budget_by = amount_field(
        allow_null=True, help_text="By how much the total is over the budget; empty when it is not."
    )
    payer = OrganisationSummarySerializer(read_only=True)
    payee_school = serializers.IntegerField(
        source="payee_school_id", read_only=True, help_text="The URN of the school paid: never a person."
    )


class AgreementSummarySerializer(serializers.Serializer):
    version = serializers.IntegerField(read_only=True)
    agreed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)
    time_basis = serializers.CharField(read_only=True, help_text=one_of(TimeBasis))
    days_per_week = serializers.DecimalField(
        max_digits=3, decimal_places=2, read_only=True, allow_null=True, coerce_to_string=False
    )
    total_days = serializers.DecimalField(
        max_digits=6, decimal_places=1, read_only=True, allow_null=True, coerce_to_string=False
    )
    days_agreed = serializers.DecimalField(
        source="agreed_days", max_digits=7, decimal_places=1, read_only=True, coerce_to_string=False
    )
    objectives = ObjectiveSummarySerializer(many=True, read_only=True)
    financial_terms = FinancialTermsSerializer(
        read_only=True, allow_null=True,
        help_text="Only for the commissioner, the broker and national administrators; otherwise empty.",
    )


class DeploymentDetailSerializer(DeploymentSerializer):
    days_used = days_field(help_text="Days logged so far.")
    days_allowed = days_field(help_text="The days agreed plus any recorded variations.")
    agreement = AgreementSummarySerializer(
        read_only=True, allow_null=True, help_text="The agreed version in force; empty before one is agreed."
    )

    class Meta(DeploymentSerializer.Meta):
        fields = [*DeploymentSerializer.Meta.fields, "days_used", "days_allowed", "agreement"]
        read_only_fields = fields


class DeploymentTransitionSerializer(serializers.ModelSerializer):
    deployment = serializers.IntegerField(source="deployment_id", read_only=True)
    from_state = serializers.CharField(read_only=True, help_text=one_of(DeploymentState))
    to_state = serializers.CharField(read_only=True, help_text=one_of(DeploymentState))
    reason = serializers.CharField(
        read_only=True, help_text="For a pause or an early end. " + one_of(StateReason)
    )

    class Meta:
        model = DeploymentTransition
        fields = [
            "id", "deployment", "from_state", "to_state", "reason", "note", "at", "created_at", "updated_at",
        ]
        read_only_fields = fields


class StateChangeSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=StateReason.choices, help_text="Why.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class DeploymentNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


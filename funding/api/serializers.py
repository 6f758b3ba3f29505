"""Claims for partner systems: what was claimed, its lines, its history and its payment.

Amounts are decimal strings in pounds and pence ("1350.00"), never numbers. The history names no
person (as the deployments feed): an event made through an API token carries its organisation.
"""

from __future__ import annotations

from rest_framework import serializers

from apiformat.fields import required_text
from brokerage.api.serializers import OrganisationSummarySerializer, SchoolSummarySerializer, one_of
from money.api import amount_field

from ..choices import ClaimAction, ClaimLineKind, ClaimState
from ..models import Claim
from ..validators import PAYMENT_REFERENCE_MAX


def days_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=6, decimal_places=2, read_only=True, coerce_to_string=False, **kwargs
    )


class ClaimLineSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True, help_text=one_of(ClaimLineKind))
    description = serializers.CharField(read_only=True)
    days = days_field(allow_null=True)
    day_rate = amount_field(allow_null=True, help_text="In pounds and pence.")
    amount = amount_field(help_text="Its days times its day rate (or its share of the fixed sum).")
    has_evidence = serializers.BooleanField(read_only=True, help_text="An invoice or timesheet is attached.")


class ClaimEventSerializer(serializers.Serializer):
    action = serializers.CharField(read_only=True, help_text=one_of(ClaimAction))
    from_state = serializers.CharField(
        read_only=True, help_text="Empty for the submission. " + one_of(ClaimState)
    )
    to_state = serializers.CharField(read_only=True, help_text=one_of(ClaimState))
    note = serializers.CharField(
        read_only=True, help_text="The information asked for or given, or the reason for a rejection."
    )
    at = serializers.DateTimeField(read_only=True)
    api_organisation = OrganisationSummarySerializer(
        read_only=True,
        allow_null=True,
        help_text="The organisation whose API token made the change; empty when a person did.",
    )


class ClaimPaymentSerializer(serializers.Serializer):
    paid_on = serializers.DateField(read_only=True)
    reference = serializers.CharField(read_only=True, help_text="The finance system's reference.")
    amount = amount_field()


class ClaimSerializer(serializers.ModelSerializer):
    # Plain strings keep the schema free of enums that would clash with other "state" fields.
    state = serializers.CharField(read_only=True, help_text=one_of(ClaimState))
    deployment = serializers.IntegerField(source="deployment_id", read_only=True)
    claiming_school = SchoolSummarySerializer(read_only=True, help_text="The school paid: never a person.")
    commissioner = OrganisationSummarySerializer(read_only=True, help_text="The funder, who decides.")
    days = days_field(help_text="The leader's days claimed.")
    total = amount_field(help_text="Every line's amount, in pounds and pence.")
    approvals = serializers.IntegerField(
        source="approval_count", read_only=True, help_text="Approvals so far (two above the amount)."
    )
    lines = ClaimLineSerializer(many=True, read_only=True)
    events = ClaimEventSerializer(many=True, read_only=True, help_text="Its history, oldest first.")
    payment = ClaimPaymentSerializer(read_only=True, allow_null=True, help_text="Empty until it is paid.")

    class Meta:
        model = Claim
        fields = [
            "id", "reference", "deployment", "claiming_school", "commissioner", "period_start",
            "period_end", "state", "days", "total", "note", "submitted_at", "state_changed_at",
            "approvals", "lines", "events", "payment", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class CostClaimSerializer(serializers.Serializer):
    cost_line = serializers.IntegerField(
        min_value=1, help_text="The id of one of the agreement's cost lines."
    )
    days = serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False, help_text="In half days, at most 500."
    )
    evidence = serializers.FileField(
        required=False,
        help_text="The invoice or timesheet (PDF, Word, Excel, PNG, JPEG or text): every cost needs one.",
    )


class ClaimCreateSerializer(serializers.Serializer):
    deployment = serializers.IntegerField(
        min_value=1, help_text="A deployment whose agreement pays the caller's school."
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField(help_text="Today or earlier: claim for days already delivered.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    costs = CostClaimSerializer(
        many=True,
        required=False,
        default=list,
        help_text="Backfill, supply cover or other costs the agreement reimburses, each with its "
        "evidence: send the claim as multipart/form-data with `costs[0]cost_line`, `costs[0]days` and "
        "`costs[0]evidence` (then `costs[1]...`).",
    )


class ClaimNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ClaimNeededNoteSerializer(serializers.Serializer):
    note = required_text("Say what information you need.", max_length=2000, help_text="Required.")


class ClaimAnswerSerializer(serializers.Serializer):
    note = required_text(
        "Give the information the commissioner asked for.", max_length=2000, help_text="Required."
    )


class ClaimRejectionSerializer(serializers.Serializer):
    reason = required_text(
        "Give the reason for rejecting the claim.", max_length=2000, help_text="Why it is rejected."
    )


class ClaimPaySerializer(serializers.Serializer):
    paid_on = serializers.DateField(help_text="Today or within the last two years.")
    reference = required_text(
        "Enter the payment reference.", max_length=PAYMENT_REFERENCE_MAX,
        help_text="The finance system's reference.",
    )


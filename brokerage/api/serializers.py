"""Support requests for partner systems: reading them, raising one, and a request's candidates.

Candidates show a leader's name, school, type and the reasons for their place, never their email.
"""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organisation
from designations.api.serializers import SpecialismSerializer
from designations.models import DesignationType, Specialism
from money.api import amount_field
from schools.models import School

from ..choices import Funder, PriorityReason, RequestStatus
from ..models import SupportRequest


def one_of(choices) -> str:
    return "One of: " + ", ".join(choices.values) + "."


def reference_errors(does_not_exist: str, incorrect_type: str) -> dict[str, str]:
    """Messages for a reference to another record, in place of DRF's "Invalid pk" ones."""
    return {"does_not_exist": does_not_exist, "incorrect_type": incorrect_type, "invalid": incorrect_type}


class RoundedFloatField(serializers.FloatField):
    """A float rounded for reading, not printed to 15 decimal places."""

    def __init__(self, *, places: int, **kwargs) -> None:
        self.places = places
        super().__init__(**kwargs)

    def to_representation(self, value) -> float:
        return round(float(value), self.places)


class OrganisationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class SchoolSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["urn", "name"]
        read_only_fields = fields


class SupportRequestSerializer(serializers.ModelSerializer):
    school = SchoolSummarySerializer(read_only=True)
    commissioner = OrganisationSummarySerializer(read_only=True)
    broker = OrganisationSummarySerializer(read_only=True)
    needs = SpecialismSerializer(many=True, read_only=True)
    designation_types = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code", help_text="The codes of the types wanted, e.g. LLE."
    )
    priority_reasons = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Codes. " + one_of(PriorityReason)
    )
    # Plain strings keep the schema free of enums that would clash with other "status" fields.
    status = serializers.CharField(read_only=True, help_text=one_of(RequestStatus))
    funded_by = serializers.CharField(read_only=True, help_text=one_of(Funder))
    budget = amount_field(
        allow_null=True, help_text="In pounds and pence, a decimal string such as \"6000.00\"."
    )

    class Meta:
        model = SupportRequest
        fields = [
            "id", "title", "status", "status_reason", "school", "commissioner", "broker", "needs",
            "needs_description", "designation_types", "priority_reasons", "preferred_start_on", "budget",
            "funded_by", "funder_name", "created_at", "updated_at",
        ]
        read_only_fields = fields


class SupportRequestCreateSerializer(serializers.Serializer):
    """What a commissioner sends to raise a request. Unknown codes, slugs and URNs are field errors."""

    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.none(), help_text="The URN of the school to support.",
        error_messages=reference_errors(
            "Give the URN of a school you may commission support for: {pk_value} is not one.",
            "Give the school's URN, a whole number.",
        ),
    )
    commissioner = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), required=False,
        help_text="The commissioning organisation's id; the token's organisation unless given.",
        error_messages=reference_errors(
            "Give the id of an active organisation: there is none with id {pk_value}.",
            "Give the commissioning organisation's id, a whole number.",
        ),
    )
    broker = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True),
        help_text="The id of the organisation to broker the request: one the brokering rules allow.",
        error_messages=reference_errors(
            "Give the id of an active organisation: there is none with id {pk_value}.",
            "Give the brokering organisation's id, a whole number.",
        ),
    )
    # Lengths, dates and amounts are the model's to check (full_clean() in raise_request), so the
    # API refuses what the form refuses, with the same message.
    title = serializers.CharField(help_text="At most 200 characters.")
    needs = serializers.SlugRelatedField(
        many=True, required=False, slug_field="slug", queryset=Specialism.objects.all(),
        help_text="Specialism slugs, e.g. maths.",
        error_messages={
            "does_not_exist": "There is no specialism {value}: give its slug, e.g. maths.",
            "invalid": "Give each specialism as its slug, e.g. maths.",
            "not_a_list": "Give the specialisms as a list of slugs, e.g. [\"maths\"].",
        },
    )
    needs_description = serializers.CharField(help_text="At most 5,000 characters.")
    designation_types = serializers.SlugRelatedField(
        many=True, allow_empty=False, slug_field="code", queryset=DesignationType.objects.all(),
        help_text="Codes of the types wanted, e.g. LLE.",
        error_messages={
            "does_not_exist": "There is no designation type {value}: give its code, e.g. LLE.",
            "invalid": "Give each designation type as its code, e.g. LLE.",
            "not_a_list": "Give the designation types as a list of codes, e.g. [\"LLE\"].",
            "empty": "Give at least one designation type.",
        },
    )
    priority_reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=PriorityReason.choices), required=False,
        help_text="Codes; when left out, the reasons the school's own data suggests.",
    )
    preferred_start_on = serializers.DateField(
        required=False, allow_null=True, help_text="From a year ago to two years ahead."
    )
    budget = serializers.DecimalField(
        max_digits=None, decimal_places=None, required=False, allow_null=True, coerce_to_string=True,
        help_text="In pounds and pence, from £1 to £1,000,000: a decimal string such as \"6000.00\" "
        "(a number is accepted too).",
    )
    funded_by = serializers.ChoiceField(choices=Funder.choices, default=Funder.COMMISSIONER)
    funder_name = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, schools=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools

    def validate(self, attrs: dict) -> dict:
        if attrs.get("funded_by") == Funder.OTHER and not attrs.get("funder_name", "").strip():
            raise serializers.ValidationError({"funder_name": ["Say who funds the support."]})
        return attrs


class CandidateSchoolSerializer(serializers.Serializer):
    urn = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CandidateSerializer(serializers.Serializer):
    designation_id = serializers.IntegerField(source="designation.pk", read_only=True)
    designation_type = serializers.CharField(
        source="designation.designation_type.code", read_only=True, help_text="The type's code, e.g. LLE."
    )
    leader_name = serializers.CharField(source="designation.holder.full_name", read_only=True)
    school = CandidateSchoolSerializer(source="designation.school", read_only=True)
    score = RoundedFloatField(places=2, read_only=True, help_text="Higher ranks first; to 2 decimal places.")
    distance_km = RoundedFloatField(
        places=1, read_only=True, allow_null=True,
        help_text="From the supported school; empty when either place is unknown.",
    )
    spare_days = serializers.DecimalField(
        max_digits=4, decimal_places=1, read_only=True, coerce_to_string=False,
        help_text="Days a week the leader has free in the first weeks of the support.",
    )
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    exclusions = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Why the leader cannot be put forward."
    )


class MatchingWindowSerializer(serializers.Serializer):
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)


class CandidatePageSerializer(serializers.Serializer):
    """One page of candidates (ranked or excluded), with the window and the exclusion counts."""

    count = serializers.IntegerField(read_only=True, help_text="Candidates in this list, on every page.")
    next = serializers.URLField(read_only=True, allow_null=True)
    previous = serializers.URLField(read_only=True, allow_null=True)
    window = MatchingWindowSerializer(
        read_only=True, help_text="The weeks the leaders' time was checked over."
    )
    exclusion_counts = serializers.DictField(
        child=serializers.IntegerField(), read_only=True,
        help_text=(
            "How many considered leaders each reason excludes (suspended, not_trained, same_school, "
            "same_trust, over_capacity); a leader may have several."
        ),
    )
    results = CandidateSerializer(many=True, read_only=True)

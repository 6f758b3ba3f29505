"""Read-only representations of designations for partner systems.

The directory exposes a holder's name, school, type, specialisms, status and availability,
never their email, posts, applications, referees or evidence.
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from schools.api.serializers import LocalAuthoritySerializer
from schools.models import School

from ..choices import DesignationStatus
from ..models import (
    ApplicationRound,
    Criterion,
    Designation,
    DesignationType,
    Specialism,
    TrainingRequirement,
)


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["label", "kind"]


class TrainingRequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingRequirement
        fields = ["name"]


class DesignationTypeSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(
        source="active_criteria", many=True, read_only=True,
        help_text="The criteria applications are judged on.",
    )
    training_requirements = TrainingRequirementSerializer(many=True, read_only=True)

    class Meta:
        model = DesignationType
        fields = [
            "code", "name", "description", "holder_kind", "designating_body", "brokering_rule",
            "term_months", "review_interval_months", "makes_national_support_school", "is_active",
            "training_requirements", "criteria", "created_at", "updated_at",
        ]


class DesignationTypeSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = DesignationType
        fields = ["code", "name"]


class ApplicationRoundSerializer(serializers.ModelSerializer):
    designation_type = DesignationTypeSummarySerializer(read_only=True)
    local_authority = LocalAuthoritySerializer(read_only=True, allow_null=True)
    teaching_school = serializers.CharField(
        source="teaching_school.name", read_only=True, allow_null=True,
        help_text="For types a teaching school designates: whose pool the round recruits to.",
    )
    last_day = serializers.DateField(read_only=True, help_text="The close date, or the day it closed early.")
    is_open = serializers.SerializerMethodField(help_text="Whether the round takes applications today.")

    class Meta:
        model = ApplicationRound
        fields = [
            "id", "name", "designation_type", "opens_on", "closes_on", "closed_early_on", "last_day",
            "is_open", "local_authority", "region", "teaching_school", "created_at", "updated_at",
        ]

    def get_is_open(self, application_round: ApplicationRound) -> bool:
        return application_round.is_open_on(timezone.localdate())


class DirectorySchoolSerializer(serializers.ModelSerializer):
    local_authority = LocalAuthoritySerializer(read_only=True, allow_null=True)

    class Meta:
        model = School
        fields = ["urn", "name", "local_authority"]


class SpecialismSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialism
        fields = ["slug", "name"]


class DesignationSerializer(serializers.ModelSerializer):
    holder_name = serializers.CharField(
        source="holder.full_name", read_only=True, allow_null=True,
        help_text="Empty when the designation is of a school.",
    )
    school = DirectorySchoolSerializer(read_only=True)
    designation_type = DesignationTypeSummarySerializer(read_only=True)
    specialisms = SpecialismSerializer(many=True, read_only=True)
    # A plain string keeps the schema free of a second "status" enum beside the schools' one.
    status = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(DesignationStatus.values) + "."
    )
    availability_days_per_week = serializers.DecimalField(
        max_digits=3, decimal_places=1, read_only=True, coerce_to_string=False,
        help_text="Days a week the leader can give to support.",
    )

    class Meta:
        model = Designation
        fields = [
            "id", "holder_name", "school", "designation_type", "specialisms", "status", "designated_on",
            "availability_days_per_week", "created_at", "updated_at",
        ]

"""Read-only representations of schools for partner systems."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import Grade
from ..models import Diocese, EstablishmentLink, Inspection, Judgement, LocalAuthority, School, Trust


class LocalAuthoritySerializer(serializers.ModelSerializer):
    class Meta:
        model = LocalAuthority
        fields = ["code", "name"]


class TrustSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trust
        fields = ["code", "name"]


class InspectionSummarySerializer(serializers.ModelSerializer):
    """The latest inspection in a list: what a reader scans for."""

    headline = serializers.CharField(
        read_only=True, help_text="The overall grade for a graded inspection, else the outcome."
    )
    overall_grade = serializers.SerializerMethodField(
        help_text="Overall effectiveness, only for graded inspections that have one."
    )

    class Meta:
        model = Inspection
        fields = ["framework", "start_date", "headline", "overall_grade"]

    @extend_schema_field(serializers.ChoiceField(choices=Grade.choices, allow_null=True))
    def get_overall_grade(self, inspection: Inspection) -> str | None:
        grade = inspection.overall_effectiveness
        return grade.value if grade else None


class JudgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Judgement
        fields = ["area", "grade"]


class InspectionSerializer(InspectionSummarySerializer):
    judgements = JudgementSerializer(many=True, read_only=True)

    class Meta(InspectionSummarySerializer.Meta):
        fields = [
            "inspection_number", "framework", "inspection_type", "start_date", "end_date",
            "publication_date", "category_of_concern", "headline", "overall_grade", "judgements",
        ]


class EstablishmentLinkSerializer(serializers.ModelSerializer):
    urn = serializers.IntegerField(source="linked_urn", read_only=True, help_text="The linked school's URN.")
    name = serializers.CharField(source="linked_name", read_only=True)

    class Meta:
        model = EstablishmentLink
        fields = ["urn", "name", "link_type", "established_date"]


class SchoolListSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="schools-api:school-detail", lookup_field="urn", read_only=True
    )
    local_authority = LocalAuthoritySerializer(read_only=True, allow_null=True)
    type = serializers.CharField(source="type_name", read_only=True, help_text="Type of establishment.")
    trust = TrustSerializer(read_only=True, allow_null=True)
    latest_inspection = InspectionSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = School
        fields = [
            "url", "urn", "name", "local_authority", "phase", "type", "status", "postcode",
            "easting", "northing", "trust", "latest_inspection", "created_at", "updated_at",
        ]


class DioceseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Diocese
        fields = ["code", "name"]


class SchoolDetailSerializer(SchoolListSerializer):
    """Every published fact about a school, its inspections, and the schools it replaced or became.

    Expects ``predecessors``, ``successors`` and ``other_links`` lists on the instance
    (see ``SchoolViewSet.get_object``): links are keyed by URN, not by foreign key.
    """

    diocese = DioceseSerializer(read_only=True, allow_null=True)
    inspections = InspectionSerializer(many=True, read_only=True)
    predecessors = EstablishmentLinkSerializer(many=True, read_only=True)
    successors = EstablishmentLinkSerializer(many=True, read_only=True)
    other_links = EstablishmentLinkSerializer(many=True, read_only=True)

    class Meta(SchoolListSerializer.Meta):
        fields = [
            *SchoolListSerializer.Meta.fields,
            "establishment_number", "type_code", "type_group", "open_date", "close_date",
            "statutory_low_age", "statutory_high_age", "gender", "religious_character", "diocese",
            "number_of_pupils", "school_capacity", "percentage_fsm", "street", "locality",
            "address3", "town", "county", "website", "telephone", "head_title", "head_first_name",
            "head_last_name", "head_job_title", "region", "ukprn", "gias_last_changed",
            "inspections", "predecessors", "successors", "other_links",
        ]

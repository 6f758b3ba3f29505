"""Read-only API over designation types, application rounds and the designations directory."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from apiformat.filters import sync_filterset
from apiformat.responses import error_responses

from ..filters import ApplicationRoundFilterSet, DesignationFilterSet
from ..models import ApplicationRound, Designation, DesignationType
from ..queries import designation_types, designations_visible_to, rounds_visible_to
from .serializers import ApplicationRoundSerializer, DesignationSerializer, DesignationTypeSerializer

# The FilterSets' forms validate these more tightly than their field types tell the schema.
DIRECTORY_PARAMETERS = [
    OpenApiParameter(
        "designation_type", str, description="A type's code, e.g. SLE; an unknown code is a 400."
    ),
    OpenApiParameter(
        "specialism", str, many=True, description="Specialism slugs; a designation with any of them matches."
    ),
    OpenApiParameter(
        "local_authority", str,
        description="The school's local authority code, e.g. 926 for Norfolk; an unknown code is a 400.",
    ),
    OpenApiParameter("near", str, description="A postcode or its first part; an unknown one is a 400."),
    OpenApiParameter(
        "near_school", {"type": "integer", "minimum": 1},
        description="A school's URN: designations within `within_km` of it; an unknown URN is a 400.",
    ),
    OpenApiParameter(
        "within_km", {"type": "number", "minimum": 1, "maximum": 200},
        description="With `near` or `near_school`: the radius in kilometres, 10 unless given.",
    ),
]
ROUND_PARAMETERS = [
    OpenApiParameter(
        "designation_type", str, description="A type's code, e.g. SLE; an unknown code is a 400."
    ),
    OpenApiParameter(
        "local_authority", str, description="Rounds scoped to this local authority code, e.g. 926."
    ),
    OpenApiParameter("open", bool, description="true: rounds taking applications today; false: the others."),
]


@extend_schema_view(
    list=extend_schema(
        tags=["designations"],
        summary="List the designation types",
        description="Each type with its term, designating body, brokering rule, training and criteria.",
        responses={200: DesignationTypeSerializer(many=True), **error_responses(400, 401, 403, 429)},
    ),
    retrieve=extend_schema(
        tags=["designations"],
        summary="One designation type, by code",
        responses={200: DesignationTypeSerializer, **error_responses(401, 403, 404, 429)},
    ),
)
class DesignationTypeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DesignationTypeSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filterset_class = sync_filterset(model=DesignationType)

    def get_queryset(self) -> QuerySet[DesignationType]:
        return designation_types()


@extend_schema_view(
    list=extend_schema(
        tags=["designations"],
        parameters=ROUND_PARAMETERS,
        summary="List application rounds",
        description="Every round, newest first; `open=true` lists those taking applications today.",
        responses={200: ApplicationRoundSerializer(many=True), **error_responses(400, 401, 403, 429)},
    ),
    retrieve=extend_schema(
        tags=["designations"],
        summary="One application round",
        responses={200: ApplicationRoundSerializer, **error_responses(401, 403, 404, 429)},
    ),
)
class ApplicationRoundViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ApplicationRoundSerializer
    filterset_class = sync_filterset(ApplicationRoundFilterSet)

    def get_queryset(self) -> QuerySet[ApplicationRound]:
        return rounds_visible_to(self.request.user)


@extend_schema_view(
    list=extend_schema(
        tags=["designations"],
        parameters=DIRECTORY_PARAMETERS,
        summary="The designations directory",
        description=(
            "Active designations for every caller; every status of the designations the caller's "
            "organisation made. Only the holder's name, school, type, specialisms, status and "
            "availability are shown."
        ),
        responses={200: DesignationSerializer(many=True), **error_responses(400, 401, 403, 429)},
    ),
    retrieve=extend_schema(
        tags=["designations"],
        summary="One designation in the directory",
        responses={200: DesignationSerializer, **error_responses(401, 403, 404, 429)},
    ),
)
class DesignationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DesignationSerializer
    filterset_class = sync_filterset(DesignationFilterSet)

    def get_queryset(self) -> QuerySet[Designation]:
        return designations_visible_to(self.request.user).order_by(
            "designation_type__code", "holder__full_name", "pk"
        )

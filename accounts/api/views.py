"""The organisations a partner system deals with: to find a broker's or a commissioner's id."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from apiformat.responses import error_responses

from ..filters import OrganisationFilterSet
from ..models import Organisation
from .serializers import OrganisationSerializer

FILTER_PARAMETERS = [
    OpenApiParameter(
        "local_authority", str,
        description="Organisations based in this local authority (its three-digit code, e.g. 926); "
        "an unknown code is a 400.",
    ),
]


@extend_schema_view(
    list=extend_schema(
        tags=["organisations"],
        parameters=FILTER_PARAMETERS,
        summary="List active organisations",
        description=(
            "Every active organisation by name, to find the id of a broker or commissioner: its kind "
            "and where it is, never the people who work there or their email addresses."
        ),
        responses={200: OrganisationSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    ),
    retrieve=extend_schema(
        tags=["organisations"],
        summary="One active organisation",
        responses={200: OrganisationSerializer, **error_responses(401, 403, 404, 429)},
    ),
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet

    def get_queryset(self) -> QuerySet[Organisation]:
        return (
            Organisation.objects.filter(is_active=True)
            .select_related("local_authority", "school", "trust", "diocese")
            .order_by("name", "pk")
        )

"""Read-only API over the schools a caller may see."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from apiformat.filters import sync_filterset
from apiformat.responses import error_responses

from ..choices import Framework
from ..filters import SchoolFilterSet
from ..models import EstablishmentLink, School
from ..queries import schools_visible_to
from .serializers import SchoolDetailSerializer, SchoolListSerializer

# The FilterSet's form validates these more tightly than its field types tell the schema.
FILTER_PARAMETERS = [
    OpenApiParameter(
        "local_authority", str,
        description="A local authority's three-digit code, e.g. 926 for Norfolk; an unknown code is a 400.",
    ),
    OpenApiParameter(
        "framework", {"type": "string", "enum": ["", *Framework.values]},
        description="The latest inspection's framework; empty for any.",
    ),
    OpenApiParameter(
        "include_closed", bool,
        description=(
            "`true` to list closed establishments too. Without it, or a `status`, closed ones are"
            " left out; a `status` lists exactly the statuses given."
        ),
    ),
    OpenApiParameter(
        "within_km", {"type": "number", "minimum": 1, "maximum": 200},
        description="With `near`: the radius in kilometres, 10 unless given.",
    ),
]


@extend_schema_view(
    list=extend_schema(
        tags=["schools"],
        parameters=FILTER_PARAMETERS,
        summary="List the schools visible to the caller",
        description=(
            "A local authority's token sees its own schools; a national body's every school. Open"
            " (and proposed) establishments only, unless `include_closed` or `status` says otherwise."
        ),
        responses={200: SchoolListSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    ),
    retrieve=extend_schema(
        tags=["schools"],
        summary="One school, by URN, with its inspections and links",
        responses={200: SchoolDetailSerializer, **error_responses(401, 403, 404, 429)},
    ),
)
class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "urn"
    # Any path segment reaches the view, so a malformed URN gets the API's JSON 404.
    lookup_value_regex = "[^/]+"
    filterset_class = sync_filterset(SchoolFilterSet)

    def get_queryset(self) -> QuerySet[School]:
        schools = schools_visible_to(self.request.user)
        if self.action == "retrieve":
            schools = schools.prefetch_related("inspections__judgements")
        return schools

    def get_serializer_class(self):
        return SchoolDetailSerializer if self.action == "retrieve" else SchoolListSerializer

    def get_object(self) -> School:
        school = super().get_object()
        self._attach_links(school)
        return school

    @staticmethod
    def _attach_links(school: School) -> None:
        school.predecessors, school.successors, school.other_links = [], [], []
        for link in EstablishmentLink.objects.filter(urn=school.urn):
            if link.is_predecessor:
                school.predecessors.append(link)
            elif link.link_type.lower().startswith("successor"):
                school.successors.append(link)
            else:
                school.other_links.append(link)

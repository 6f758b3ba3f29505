"""Support requests through the API: the caller's visible requests, raising one (a commissioning
organisation's token or a signed-in commissioner) and, for the request's broker, its candidates."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.api.authentication import forget_token_for_history
from accounts.choices import OrganisationKind
from accounts.principals import is_api_client
from apiformat.filters import sync_filterset
from apiformat.pagination import StandardPagination
from apiformat.responses import LOCATION_HEADER, error_responses, refusal_response
from schools.models import School
from schools.queries import schools_visible_to

from .. import services
from ..errors import BrokerageError
from ..filters import SupportRequestFilterSet
from ..matching import match
from ..models import SupportRequest
from ..priority import suggested_priority_reasons
from ..queries import requests_visible_to
from ..rules import COMMISSIONING_KINDS, commissioning_organisations_of
from .serializers import (
    CandidatePageSerializer,
    CandidateSerializer,
    MatchingWindowSerializer,
    SupportRequestCreateSerializer,
    SupportRequestSerializer,
)

# The FilterSet's form validates these more tightly than its field types tell the schema.
FILTER_PARAMETERS = [
    OpenApiParameter(
        "school", {"type": "integer", "minimum": 1}, description="A school's URN; an unknown URN is a 400."
    ),
    OpenApiParameter(
        "designation_type", str, description="A type's code, e.g. LLE; an unknown code is a 400."
    ),
]

PAGE_PARAMETERS = [
    OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="A page number."),
    OpenApiParameter(
        "page_size", {"type": "integer", "minimum": 1},
        description=StandardPagination.page_size_query_description,
    ),
]


@extend_schema_view(
    list=extend_schema(
        tags=["brokerage"],
        parameters=FILTER_PARAMETERS,
        summary="List support requests",
        description=(
            "Requests the caller may see, newest first: a token sees those its organisation "
            "commissioned or brokers; a person also those for their own school."
        ),
        responses={200: SupportRequestSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    ),
    retrieve=extend_schema(
        tags=["brokerage"],
        summary="One support request",
        responses={200: SupportRequestSerializer, **error_responses(401, 403, 404, 429)},
    ),
    create=extend_schema(
        tags=["brokerage"],
        summary="Raise a support request",
        description=(
            "For a commissioning organisation's token (a local authority, diocese, academy trust, "
            "school, teaching school or the national body) or a signed-in commissioner. Priority "
            "reasons left out are the ones the school's own data suggests. A refusal by the "
            "brokering rules is a 400 on the field at fault."
        ),
        request=SupportRequestCreateSerializer,
        parameters=[LOCATION_HEADER],
        responses={201: SupportRequestSerializer, **error_responses(400, 401, 403, 429)},
    ),
)
class SupportRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = SupportRequestSerializer
    filterset_class = sync_filterset(SupportRequestFilterSet)

    def get_queryset(self) -> QuerySet[SupportRequest]:
        return requests_visible_to(self.request.user).order_by("-created_at", "-pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        self._require_commissioner(request.user)
        forget_token_for_history(request)
        data = SupportRequestCreateSerializer(data=request.data, schools=self._schools(request.user))
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["commissioner"] = values.get("commissioner") or self._default_commissioner(request.user)
        if "priority_reasons" not in values:
            suggested = suggested_priority_reasons(values["school"], timezone.localdate())
            values["priority_reasons"] = sorted(suggested)
        try:
            support_request = services.raise_request(actor=request.user, **values)
        except BrokerageError as refusal:
            return refusal_response(refusal)
        created = self.get_queryset().filter(pk=support_request.pk).first() or support_request
        location = reverse("brokerage-api:support-request-detail", args=[created.pk], request=request)
        return Response(
            self.get_serializer(created).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    @staticmethod
    def _require_commissioner(user) -> None:
        if is_api_client(user):
            allowed = user.organisation.kind in COMMISSIONING_KINDS
        else:
            allowed = user.has_perm("brokerage.raise_request")
        if not allowed:
            raise PermissionDenied("Only a commissioning organisation can raise support requests.")

    @staticmethod
    def _schools(user) -> QuerySet[School]:
        """The schools the caller sees, and a teaching school's alliance partners."""
        organisations = [user.organisation] if is_api_client(user) else commissioning_organisations_of(user)
        teaching_schools = [o for o in organisations if o.kind == OrganisationKind.TEACHING_SCHOOL]
        visible = schools_visible_to(user).values("pk")
        return School.objects.filter(
            Q(pk__in=visible) | Q(alliances__teaching_school__in=teaching_schools)
        ).distinct()

    @staticmethod
    def _default_commissioner(user):
        if is_api_client(user):
            return user.organisation
        organisations = commissioning_organisations_of(user)
        if len(organisations) == 1:
            return organisations[0]
        raise ValidationError(
            {"commissioner": ["Give the id of the organisation commissioning the support."]}
        )

    @extend_schema(
        tags=["brokerage"],
        summary="A request's candidates, ranked",
        description=(
            "For the request's broker only (a person who brokers for it, or its token). The leaders "
            "who can be put forward, best first (score, then designation id), a page at a time, each "
            "with the reasons for their place; with how many leaders each exclusion reason keeps out "
            "(the leaders themselves are at excluded-candidates)."
        ),
        parameters=PAGE_PARAMETERS,
        responses={200: CandidatePageSerializer, **error_responses(400, 401, 403, 404, 429)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=StandardPagination)
    def candidates(self, request: Request, pk: str | None = None) -> Response:
        return self._candidate_page(request, lambda matching: matching.ranked)

    @extend_schema(
        tags=["brokerage"],
        summary="The leaders a request's candidates exclude",
        description=(
            "For the request's broker only. The considered leaders who cannot be put forward, by "
            "name, a page at a time, each with the reasons why (conflict of interest, over capacity, "
            "not yet trained, suspended)."
        ),
        parameters=PAGE_PARAMETERS,
        responses={200: CandidatePageSerializer, **error_responses(400, 401, 403, 404, 429)},
    )
    @action(
        detail=True, methods=["get"], filter_backends=[], pagination_class=StandardPagination,
        url_path="excluded-candidates",
    )
    def excluded_candidates(self, request: Request, pk: str | None = None) -> Response:
        return self._candidate_page(request, lambda matching: matching.excluded)

    def _candidate_page(self, request: Request, listed) -> Response:
        support_request = self.get_object()
        user = request.user
        if is_api_client(user):
            allowed = user.organisation.pk == support_request.broker_id
        else:
            allowed = user.has_perm("brokerage.broker_request", support_request)
        if not allowed:
            raise PermissionDenied("Only the request's broker can see its candidates.")
        matching = match(support_request, today=timezone.localdate())
        page = self.paginate_queryset(listed(matching))
        response = self.get_paginated_response(CandidateSerializer(page, many=True).data)
        response.data["window"] = MatchingWindowSerializer(
            {"starts_on": matching.window[0], "ends_on": matching.window[1]}
        ).data
        response.data["exclusion_counts"] = matching.exclusion_counts
        return response

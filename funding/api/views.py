"""Claims through the API: the caller's visible claims with their lines, history and payment; the
claiming school's token claims a period; the commissioner's token approves, asks for information,
rejects and pays; the claiming school's token answers or withdraws. Each change goes through the
claim services, which lock the claim (or, when claiming, the deployment).

A token acts for its organisation, so a change it makes is recorded without a person
(``accounts.principals.acting_person``), with the organisation on the claim's history. A token never
decides its own school's claim, even when that school is also the commissioner; and, being no
person, it approves only claims that need one approval (above the amount, two people approve)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.api.authentication import forget_token_for_history
from accounts.choices import SCHOOL_FINANCE_ROLES
from accounts.principals import is_api_client
from apiformat.filters import sync_filterset
from apiformat.responses import LOCATION_HEADER, error_responses, refusal_response
from deployments.models import Deployment
from refusals import Refusal

from .. import services
from ..models import Claim, ClaimEvent
from ..rules import SCHOOL_KINDS, decide_refusal, is_of_claiming_school, may_claim_for, token_school_id
from .filters import ClaimFilterSet
from .serializers import (
    ClaimAnswerSerializer,
    ClaimCreateSerializer,
    ClaimNeededNoteSerializer,
    ClaimNoteSerializer,
    ClaimPaySerializer,
    ClaimRejectionSerializer,
    ClaimSerializer,
)

ACTION_RESPONSES = {
    200: ClaimSerializer,
    **error_responses(400, 401, 403, 404),
    409: OpenApiResponse(
        OpenApiTypes.OBJECT, description="The claim's current state (given as `state`) does not allow this."
    ),
    **error_responses(429),
}
NOT_THE_CLAIMING_SCHOOL = (
    "Only the claiming school (its head, school business manager or API token) can do this."
)


def _action_schema(summary: str, description: str, request=None):
    return extend_schema(
        tags=["claims"], summary=summary, description=description, request=request, responses=ACTION_RESPONSES
    )


def may_claim_somewhere(principal) -> bool:
    """A school's token, or a head or business manager of a school: who could claim at all."""
    if is_api_client(principal):
        return token_school_id(principal) is not None
    return any(
        m.role in SCHOOL_FINANCE_ROLES and m.organisation.kind in SCHOOL_KINDS and m.organisation.school_id
        for m in getattr(principal, "active_memberships", [])
    )


@extend_schema_view(
    list=extend_schema(
        tags=["claims"],
        summary="List claims",
        description=(
            "Claims the caller may see, newest first: a token sees those its organisation funds as "
            "commissioner and those its school is paid for; a person as `funding.view_claim` allows."
        ),
        responses={200: ClaimSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    ),
    retrieve=extend_schema(
        tags=["claims"],
        summary="One claim, with its lines, history and payment",
        responses={200: ClaimSerializer, **error_responses(401, 403, 404, 429)},
    ),
    create=extend_schema(
        tags=["claims"],
        summary="Claim a period",
        description=(
            "For the token of the school the deployment's agreement pays (or its head or school "
            "business manager). The claim is the time logged in the period that no live claim covers, "
            "at the agreed rates, and any costs the agreement reimburses, each with its evidence (send "
            "those as multipart/form-data). A refusal by the claiming rules is a 400 on the field at fault."
        ),
        request=ClaimCreateSerializer,
        parameters=[LOCATION_HEADER],
        responses={201: ClaimSerializer, **error_responses(400, 401, 403, 429)},
    ),
)
class ClaimViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ClaimSerializer
    filterset_class = sync_filterset(ClaimFilterSet)

    def get_queryset(self) -> QuerySet[Claim]:
        events = ClaimEvent.objects.select_related("api_organisation").order_by("at", "pk")
        return (
            services.claims_visible_to(self.request.user)
            .select_related("payment")
            .prefetch_related("lines", Prefetch("events", queryset=events))
            .annotate(approval_count=Count("approvals", distinct=True))
            .order_by("-submitted_at", "-pk")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        if not may_claim_somewhere(request.user):
            raise PermissionDenied(NOT_THE_CLAIMING_SCHOOL)
        data = ClaimCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        deployment = Deployment.objects.filter(pk=values["deployment"]).first()
        if deployment is None or not may_claim_for(request.user, deployment):
            raise ValidationError({"deployment": ["Choose a deployment whose agreement pays your school."]})
        costs = [services.CostClaim(c["cost_line"], c["days"], c.get("evidence")) for c in values["costs"]]
        forget_token_for_history(request)
        try:
            claim = services.submit_claim(
                deployment,
                actor=request.user,
                period_start=values["period_start"],
                period_end=values["period_end"],
                note=values["note"],
                costs=costs,
            )
        except Refusal as refusal:
            if (refusal.field or "").startswith("cost_"):  # the pages' per-cost fields are `costs` here
                refusal.field = "costs"
            return refusal_response(refusal)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=claim.pk)).data, status=status.HTTP_201_CREATED,
            headers={"Location": reverse("funding-api:claim-detail", args=[claim.pk], request=request)},
        )

    # --- the commissioner's decisions ---------------------------------------------------------------

    @_action_schema(
        "Approve",
        "The commissioner approves. Claims above the second-approval amount need two people's "
        "approvals, so a token is refused them (403): they are approved in the service.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(None, lambda claim, actor, _: services.approve(claim, actor=actor))

    @_action_schema(
        "Ask for information",
        "The commissioner sends the claim back to the claiming school, saying what it needs.",
        request=ClaimNeededNoteSerializer,
    )
    @action(detail=True, methods=["post"], url_path="request-information", filter_backends=[])
    def request_information(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(
            ClaimNeededNoteSerializer,
            lambda claim, actor, data: services.request_information(claim, actor=actor, note=data["note"]),
        )

    @_action_schema(
        "Reject",
        "The commissioner rejects, giving the reason: the time can be claimed again.",
        request=ClaimRejectionSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(
            ClaimRejectionSerializer,
            lambda claim, actor, data: services.reject(claim, actor=actor, reason=data["reason"]),
        )

    @_action_schema(
        "Record the payment",
        "The commissioner records that an approved claim was paid to the claiming school: once.",
        request=ClaimPaySerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def pay(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(
            ClaimPaySerializer,
            lambda claim, actor, data: services.pay(
                claim, actor=actor, paid_on=data["paid_on"], reference=data["reference"]
            ),
        )

    # --- the claiming school's answers --------------------------------------------------------------

    @_action_schema(
        "Give the information asked for",
        "The claiming school answers a request for information and the claim goes back to the commissioner.",
        request=ClaimAnswerSerializer,
    )
    @action(detail=True, methods=["post"], url_path="give-information", filter_backends=[])
    def give_information(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(
            ClaimAnswerSerializer,
            lambda claim, actor, data: services.give_information(claim, actor=actor, note=data["note"]),
        )

    @_action_schema(
        "Withdraw",
        "The claiming school withdraws an undecided claim: its time can be claimed again.",
        request=ClaimNoteSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._answer(
            ClaimNoteSerializer,
            lambda claim, actor, data: services.withdraw(claim, actor=actor, note=data["note"]),
        )

    # --- one door for every change -----------------------------------------------------------------

    def _decide(self, body: type[serializers.Serializer] | None, change: Callable) -> Response:
        claim = super().get_object()
        why = decide_refusal(self.request.user, claim)
        if why:
            raise PermissionDenied(why)
        return self._change(claim, body, change)

    def _answer(self, body: type[serializers.Serializer], change: Callable) -> Response:
        claim = super().get_object()
        if not is_of_claiming_school(self.request.user, claim):
            raise PermissionDenied(NOT_THE_CLAIMING_SCHOOL)
        return self._change(claim, body, change)

    def _change(self, claim: Claim, body: type[serializers.Serializer] | None, change: Callable) -> Response:
        """Refuse with 400 (bad data or a rule) or 409 (not from this state), else make the change
        and answer with the claim as it now is. 404 and 403 are answered before."""
        values = {}
        if body is not None:
            data = body(data=self.request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
        forget_token_for_history(self.request)
        try:
            change(claim, self.request.user, values)
        except Refusal as refusal:
            if refusal.http_status == status.HTTP_403_FORBIDDEN:
                raise PermissionDenied(refusal.message) from refusal
            if refusal.http_status != status.HTTP_409_CONFLICT:
                return refusal_response(refusal)
            claim.refresh_from_db(fields=["state"])
            return refusal_response(refusal, state=claim.state)
        return Response(self.get_serializer(self.get_queryset().get(pk=claim.pk)).data)

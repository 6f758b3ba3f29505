"""Deployments through the API: the caller's visible deployments with their agreed terms, the feed
of state changes partners follow, and the broker's state changes (pause, resume, end early,
finish), each made through the state machine's one door (services.transition)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.authentication import forget_token_for_history
from accounts.principals import is_api_client
from apiformat.filters import sync_filterset
from apiformat.responses import error_responses, refusal_response
from refusals import Refusal

from .. import services
from ..choices import DeploymentState
from ..errors import InvalidTransition
from ..filters import DeploymentFilterSet, DeploymentTransitionFilterSet
from ..models import Agreement, Deployment, DeploymentTransition, Objective, ObjectiveProgress
from ..queries import deployments_visible_to
from ..rules import sees_money
from .serializers import (
    DeploymentDetailSerializer,
    DeploymentNoteSerializer,
    DeploymentSerializer,
    DeploymentTransitionSerializer,
    StateChangeSerializer,
)

State = DeploymentState

FILTER_PARAMETERS = [
    OpenApiParameter(
        "designation_type", str, description="A type's code, e.g. SLE; an unknown code is a 400."
    ),
    OpenApiParameter(
        "supported_school", {"type": "integer", "minimum": 1},
        description="The supported school's URN; an unknown URN is a 400.",
    ),
    OpenApiParameter(
        "leader_school", {"type": "integer", "minimum": 1},
        description="The leader's school's URN; an unknown URN is a 400.",
    ),
]
FEED_PARAMETERS = [
    OpenApiParameter(
        "since", OpenApiTypes.DATETIME,
        description="ISO 8601 date and time: changes at or after it. Pass the `at` of the last change "
        "you saw and skip the ids you already have.",
    ),
]

ACTION_RESPONSES = {
    200: DeploymentDetailSerializer,
    **error_responses(400, 401, 403, 404),
    409: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="The deployment's current state (given as `state`) does not allow this change.",
    ),
    **error_responses(429),
}


def _action_schema(summary: str, description: str, request=None):
    return extend_schema(
        tags=["deployments"], summary=summary, description=description, request=request,
        responses=ACTION_RESPONSES,
    )


def latest_ratings(
    deployment: Deployment, objectives: list[Objective], progress: Iterable[ObjectiveProgress] | None = None
) -> dict[int, ObjectiveProgress]:
    """Objective id -> its latest rating, following each objective back through earlier versions.

    ``progress``: the deployment's ratings, oldest review first, when the caller has read them."""
    if progress is None:
        progress = (
            ObjectiveProgress.objects.filter(review__deployment=deployment)
            .select_related("review")
            .order_by("review__reviewed_on", "review__pk")
        )
    latest: dict[int, ObjectiveProgress] = {}
    for rating in progress:
        latest[rating.objective_id] = rating
    # Earlier versions' objectives are read only for an objective carried over and not rated since.
    if all(o.pk in latest or o.carried_from_id is None for o in objectives):
        return {o.pk: latest[o.pk] for o in objectives if o.pk in latest}
    lineage = dict(
        Objective.objects.filter(agreement__deployment=deployment).values_list("pk", "carried_from_id")
    )
    found = {}
    for objective in objectives:
        pk, seen = objective.pk, set()
        while pk is not None and pk not in latest and pk not in seen:
            seen.add(pk)
            pk = lineage.get(pk)
        if pk in latest:
            found[objective.pk] = latest[pk]
    return found


def agreement_summary(principal, deployment: Deployment) -> dict | None:
    agreement = services.current_agreement(deployment)
    if agreement is None:
        return None
    agreement = (
        Agreement.objects.select_related("payer").prefetch_related("staff", "cost_lines").get(pk=agreement.pk)
    )
    objectives = list(agreement.objectives.all())
    ratings = latest_ratings(deployment, objectives)
    return {
        "version": agreement.version,
        "agreed_at": agreement.agreed_at,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "time_basis": agreement.time_basis,
        "days_per_week": agreement.days_per_week,
        "total_days": agreement.total_days,
        "agreed_days": agreement.agreed_days,
        "objectives": [
            {
                "id": objective.pk,
                "description": objective.description,
                "success_measure": objective.success_measure,
                "target_on": objective.target_on,
                "latest_rag": rating.rag if rating else None,
                "latest_rag_on": rating.review.reviewed_on if rating else None,
            }
            for objective, rating in ((o, ratings.get(o.pk)) for o in objectives)
        ],
        "financial_terms": (
            financial_terms(agreement, deployment) if sees_money(principal, deployment) else None
        ),
    }


def financial_terms(agreement: Agreement, deployment: Deployment) -> dict:
    """The version's rate, cost lines and total, against its request's budget."""
    costs = agreement.cost_summary(budget=deployment.support_request.budget)
    return {
        "rate_basis": agreement.rate_basis,
        "day_rate": agreement.day_rate,
        "total_amount": agreement.total_amount,
        "cost": agreement.cost,
        "cost_lines": costs.extra_lines,
        "total": costs.total,
        "budget": costs.budget,
        "over_budget_by": costs.overrun,
        "payer": agreement.payer,
        "payee_school_id": agreement.payee_school_id,
    }


@extend_schema_view(
    list=extend_schema(
        tags=["deployments"],
        parameters=FILTER_PARAMETERS,
        summary="List deployments",
        description=(
            "Deployments the caller may see, newest first: a token sees those its organisation "
            "commissioned or brokers; a person also those at or from their school and their own."
        ),
        responses={200: DeploymentSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    ),
    retrieve=extend_schema(
        tags=["deployments"],
        summary="One deployment, with its agreed terms and the latest rating of each objective",
        responses={200: DeploymentDetailSerializer, **error_responses(401, 403, 404, 429)},
    ),
)
class DeploymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = sync_filterset(DeploymentFilterSet)

    def get_queryset(self) -> QuerySet[Deployment]:
        return deployments_visible_to(self.request.user).order_by("-created_at", "-pk")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return DeploymentSerializer if self.action == "list" else DeploymentDetailSerializer

    def get_object(self) -> Deployment:
        deployment = super().get_object()
        self._attach_detail(deployment)
        return deployment

    def _attach_detail(self, deployment: Deployment) -> None:
        deployment.days_used = services.days_used(deployment)
        deployment.days_allowed = services.days_allowed(deployment)
        deployment.agreement = agreement_summary(self.request.user, deployment)

    @extend_schema(
        tags=["deployments"],
        summary="A deployment's state changes, oldest first",
        responses={200: DeploymentTransitionSerializer(many=True), **error_responses(401, 403, 404, 429)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        deployment = super().get_object()
        changes = DeploymentTransition.objects.filter(deployment=deployment).order_by("at", "pk")
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(DeploymentTransitionSerializer(page, many=True).data)

    @_action_schema(
        "Pause", "The broker pauses an active deployment, giving the reason.", request=StateChangeSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def pause(self, request: Request, pk: str | None = None) -> Response:
        return self._change(State.PAUSED, StateChangeSerializer)

    @_action_schema("Resume", "The broker resumes a paused deployment.", request=DeploymentNoteSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        return self._change(State.ACTIVE, DeploymentNoteSerializer)

    @_action_schema(
        "End early", "The broker ends a deployment before its end date, giving the reason.",
        request=StateChangeSerializer,
    )
    @action(detail=True, methods=["post"], url_path="end-early", filter_backends=[])
    def end_early(self, request: Request, pk: str | None = None) -> Response:
        return self._change(State.ENDED_EARLY, StateChangeSerializer)

    @_action_schema(
        "Finish", "The broker ends the support of an active deployment: it awaits the final evaluation.",
        request=DeploymentNoteSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def finish(self, request: Request, pk: str | None = None) -> Response:
        return self._change(State.AWAITING_FINAL_EVALUATION, DeploymentNoteSerializer)

    def _change(self, to_state: str, body: type[serializers.Serializer]) -> Response:
        """Refuse with 404 (not visible), 403 (not the broker), 400 (bad data or a rule) or 409
        (not from this state), else make the change and answer with the deployment as it now is."""
        deployment = super().get_object()
        actor, check_permission = self._broker_actor(deployment)
        data = body(data=self.request.data)
        data.is_valid(raise_exception=True)
        forget_token_for_history(self.request)
        try:
            if to_state == State.ACTIVE and deployment.state != State.PAUSED:
                raise InvalidTransition("Only a paused deployment can be resumed.")
            services.transition(
                deployment, to_state, actor=actor, reason=data.validated_data.get("reason", ""),
                note=data.validated_data.get("note", ""), check_permission=check_permission,
            )
        except Refusal as refusal:  # ending early moves the request on: brokerage may refuse too
            if refusal.http_status != status.HTTP_409_CONFLICT:
                return refusal_response(refusal)
            deployment.refresh_from_db(fields=["state"])
            return refusal_response(refusal, state=deployment.state)
        return Response(self.get_serializer(self.get_object()).data)

    def _broker_actor(self, deployment: Deployment):
        """(actor, check_permission) for the service, or 403. A token acts for its organisation, so
        the change is recorded without a person."""
        user = self.request.user
        if is_api_client(user):
            if user.organisation.pk != deployment.broker_id:
                raise PermissionDenied("Only the deployment's broker can change its state.")
            return None, False
        if not user.has_perm("deployments.manage_deployment", deployment):
            raise PermissionDenied("Only the deployment's broker can change its state.")
        return user, True


@extend_schema_view(
    list=extend_schema(
        tags=["deployments"],
        parameters=FEED_PARAMETERS,
        summary="The feed of deployment state changes, oldest first",
        description=(
            "Every state change of the deployments the caller may see, oldest first, so a partner "
            "system can follow them: ask again with `since` set to the `at` of the last change seen."
        ),
        responses={
            200: DeploymentTransitionSerializer(many=True), **error_responses(400, 401, 403, 404, 429)
        },
    ),
)
class DeploymentTransitionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = DeploymentTransitionSerializer
    filterset_class = sync_filterset(DeploymentTransitionFilterSet)

    def get_queryset(self) -> QuerySet[DeploymentTransition]:
        visible = deployments_visible_to(self.request.user).values("pk")
        return DeploymentTransition.objects.filter(deployment__in=visible).order_by("at", "pk")

"""Applications through the API: the applicant's own and those an assessor may assess, and their
state changes, each made through the state machine's one door (services.transition).

Organisation tokens see no applications: applicants' personal details are not for partners.
Referees' contact details, referee tokens and evidence files are never shown.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from apiformat.filters import sync_filterset
from apiformat.responses import error_responses, refusal_response

from .. import services
from ..choices import ApplicationState, CriterionCheck, CriterionOutcome
from ..errors import DesignationError, InvalidTransition, NotIndependent
from ..models import Application, ApplicationTransition, CriterionResult
from ..queries import applications_visible_to
from ..rules import assessor_refusal
from .serializers import SpecialismSerializer

State = ApplicationState
ASSESS = "designations.assess_application"


def _one_of(choices) -> str:
    return "One of: " + ", ".join(choices.values) + "."


class ApplicationRoundSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ApplicationSchoolSerializer(serializers.Serializer):
    urn = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CriterionResultSerializer(serializers.ModelSerializer):
    # Plain strings keep the schema free of extra enums that would clash with other "outcome" fields.
    kind = serializers.CharField(read_only=True, help_text=_one_of(CriterionCheck))
    outcome = serializers.CharField(
        read_only=True, help_text="As judged from known facts. " + _one_of(CriterionOutcome)
    )
    final_outcome = serializers.CharField(
        read_only=True, help_text="The assessor's judgement when there is one, otherwise `outcome`."
    )

    class Meta:
        model = CriterionResult
        fields = ["label", "kind", "outcome", "final_outcome", "explanation"]


class ApplicationTransitionSerializer(serializers.ModelSerializer):
    from_state = serializers.CharField(read_only=True, help_text=_one_of(State))
    to_state = serializers.CharField(read_only=True, help_text=_one_of(State))
    actor_name = serializers.CharField(
        source="actor.full_name", read_only=True, allow_null=True,
        help_text="Who made the change; empty for a change the service made itself.",
    )

    class Meta:
        model = ApplicationTransition
        fields = ["from_state", "to_state", "at", "actor_name", "reason"]


class ApplicationSerializer(serializers.ModelSerializer):
    applicant_name = serializers.CharField(source="applicant.full_name", read_only=True)
    round = ApplicationRoundSummarySerializer(read_only=True)
    designation_type = serializers.CharField(
        source="designation_type.code", read_only=True, help_text="The type's code, e.g. SLE."
    )
    school = ApplicationSchoolSerializer(read_only=True)
    state = serializers.CharField(read_only=True, help_text=_one_of(State))
    specialisms = SpecialismSerializer(many=True, read_only=True)
    criterion_results = CriterionResultSerializer(many=True, read_only=True)
    transitions = ApplicationTransitionSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "applicant_name", "round", "designation_type", "school", "state", "specialisms",
            "submitted_at", "decided_at", "decision_reason", "criterion_results", "transitions", "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Why, recorded with the change."
    )


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why the application is rejected: the applicant is told it."
    )


ACTION_RESPONSES = {
    200: ApplicationSerializer,
    **error_responses(400, 401, 403, 404),
    409: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="The application's current state (given as `state`) does not allow this change.",
    ),
    **error_responses(429),
}


def _action_schema(summary: str, description: str, request=None):
    return extend_schema(
        tags=["designations"], summary=summary, description=description, request=request,
        responses=ACTION_RESPONSES,
    )


@extend_schema_view(
    list=extend_schema(
        tags=["designations"],
        summary="List applications",
        description=(
            "The caller's own applications and those they may assess (every one for a national "
            "administrator; a teaching-school lead's rounds for a lead). Newest first. An "
            "organisation token sees none."
        ),
        responses={200: ApplicationSerializer(many=True), **error_responses(400, 401, 403, 429)},
    ),
    retrieve=extend_schema(
        tags=["designations"],
        summary="One application",
        responses={200: ApplicationSerializer, **error_responses(401, 403, 404, 429)},
    ),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ApplicationSerializer
    filterset_class = sync_filterset(model=Application)

    def get_queryset(self) -> QuerySet[Application]:
        return (
            applications_visible_to(self.request.user)
            .select_related("applicant")
            .prefetch_related(
                "specialisms",
                Prefetch("criterion_results", queryset=CriterionResult.objects.order_by("order", "pk")),
                Prefetch("transitions", queryset=ApplicationTransition.objects.select_related("actor")),
            )
            .order_by("-created_at", "-pk")
        )

    @_action_schema(
        "Submit a draft",
        "The applicant submits their draft: it goes to the referee when one is named, otherwise to "
        "assessment.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._change(
            State.SUBMITTED, "designations.submit_application",
            lambda application, actor, reason: services.submit(application, actor=actor),
        )

    @_action_schema(
        "Withdraw an application",
        "The applicant (while undecided) or an assessor withdraws the application.",
        request=OptionalReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._change(
            State.WITHDRAWN, "designations.withdraw_application", services.withdraw,
            reason_serializer=OptionalReasonSerializer,
        )

    @_action_schema("Start assessing", "An assessor moves a submitted application to assessment.")
    @action(detail=True, methods=["post"], url_path="start-assessment")
    def start_assessment(self, request: Request, pk: str | None = None) -> Response:
        return self._assess(State.UNDER_ASSESSMENT)

    @_action_schema(
        "Approve",
        "An assessor approves an application whose every criterion is met; it then waits for "
        "training (approved pending training).",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._assess(State.APPROVED_PENDING_TRAINING)

    @_action_schema(
        "Reject", "An assessor rejects an application under assessment, giving the reason.",
        request=RequiredReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._assess(State.REJECTED, reason_serializer=RequiredReasonSerializer)

    @_action_schema(
        "Designate", "An assessor designates an approved applicant: the designation is created."
    )
    @action(detail=True, methods=["post"])
    def designate(self, request: Request, pk: str | None = None) -> Response:
        return self._assess(State.DESIGNATED)

    def _assess(
        self, to_state: str, *, reason_serializer: type[serializers.Serializer] | None = None
    ) -> Response:
        return self._change(
            to_state, ASSESS,
            lambda application, actor, reason: services.transition(
                application, to_state, actor=actor, reason=reason
            ),
            reason_serializer=reason_serializer,
        )

    def _change(
        self,
        to_state: str,
        permission: str,
        change: Callable[..., Application],
        *,
        reason_serializer: type[serializers.Serializer] | None = None,
    ) -> Response:
        """Refuse with 404 (not visible), 409 (not from this state), 403 (not allowed) or 400 (bad
        data or a rule), else make the change and answer with the application as it now is."""
        application = self.get_object()
        user = self.request.user
        reason = ""
        # As in the state machine: a move the current state forbids is a 409 whoever asks, and the
        # service gives the message.
        if to_state in services.ALLOWED_TRANSITIONS.get(application.state, set()):
            if not user.has_perm(permission, application):
                refusal = assessor_refusal(user, application) if permission == ASSESS else ""
                raise PermissionDenied(
                    refusal or "You are not allowed to make this change to this application."
                )
            reason = self._reason(reason_serializer)
        try:
            change(application, actor=user, reason=reason)
        except NotIndependent as refusal:
            raise PermissionDenied(refusal.message) from refusal
        except InvalidTransition as refusal:
            application.refresh_from_db(fields=["state"])
            return refusal_response(refusal, state=application.state)
        except DesignationError as refusal:
            return refusal_response(refusal)
        return Response(self.get_serializer(self.get_object()).data)

    def _reason(self, serializer_class: type[serializers.Serializer] | None) -> str:
        if serializer_class is None:
            return ""
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data.get("reason", "")

"""The broker's state changes: pausing, resuming, finishing, ending early and escalating, each
confirmed on a page that asks for the reason and a note where they are needed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from refusals import Refusal

from . import services
from .choices import DeploymentState, StateReason
from .forms import StateChangeForm
from .views import STATE_ACTIONS, state_action_available
from .views_work import DeploymentFormView


class StateChangeView(DeploymentFormView):
    """Confirms pausing, resuming, finishing, ending early or escalating, with the reason and note."""

    permission = "deployments.manage_deployment"
    template_name = "deployments/state_change.html"
    form_class = StateChangeForm
    refused_with = Refusal  # ending early moves the request on, which brokerage may refuse

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.action = STATE_ACTIONS.get(kwargs["action"])
        if self.action is None:
            raise Http404("No such change.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {
            **super().get_form_kwargs(),
            "needs_reason": self.action["needs_reason"],
            "needs_note": self.action["needs_note"],
            "note_label": self.action["note_label"],
            "note_message": self.action.get("note_message", ""),
            "confirm_label": self.action.get("confirm", ""),
            "confirm_message": self.action.get("confirm_message", ""),
        }

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            action=self.action,
            available=state_action_available(self.action, self.deployment),
            reasons=StateReason,
            **kwargs,
        )

    def perform(self, form: StateChangeForm) -> None:
        self.success_message = self.action["done"]
        user, note = self.request.user, form.cleaned_data["note"]
        if self.action["to"] is None:
            services.escalate(self.deployment, actor=user, note=note)
        elif self.action["to"] == DeploymentState.ACTIVE:
            services.resume(self.deployment, actor=user, note=note)
        else:
            services.transition(
                self.deployment,
                self.action["to"],
                actor=user,
                reason=form.cleaned_data.get("reason", ""),
                note=note,
            )

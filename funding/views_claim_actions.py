"""The actions on a claim, each confirmed on its own page: the commissioner approves, asks for
information, rejects and records the payment; the claiming school answers and withdraws.

A person without the action's permission is refused (403), with the reason when it is their own
case; a change the claim's state no longer allows is the service's refusal, shown on the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from govuk.forms import add_service_error
from submissions.views import SubmitOnceMixin

from . import services
from .choices import ClaimState
from .errors import FundingError
from .forms_claims import ConfirmForm, GiveInformationForm, PaymentForm, RejectForm, RequestInformationForm
from .rules import decide_refusal
from .services.claims import DECIDABLE, WITHDRAWABLE
from .views_claims import NAV, visible_claim

State = ClaimState

ACTIONS: dict[str, dict] = {
    "approve": {
        "title": "Approve this claim",
        "button": "Approve the claim",
        "permission": "funding.decide_claim",
        "from": DECIDABLE,
        "form": ConfirmForm,
        "decides": True,
    },
    "request-information": {
        "title": "Ask for more information",
        "button": "Send the request",
        "permission": "funding.decide_claim",
        "from": DECIDABLE,
        "form": RequestInformationForm,
        "decides": True,
        "done": "The claiming school has been asked for more information.",
    },
    "reject": {
        "title": "Reject this claim",
        "button": "Reject the claim",
        "permission": "funding.decide_claim",
        "from": DECIDABLE | {State.INFORMATION_REQUESTED},
        "form": RejectForm,
        "decides": True,
        "warning": True,
        "done": "The claim is rejected: both schools can see why.",
    },
    "pay": {
        "title": "Record the payment",
        "button": "Record the payment",
        "permission": "funding.pay_claim",
        "from": {State.APPROVED},
        "form": PaymentForm,
        "decides": True,
        "done": "The payment is recorded: the claim is paid.",
    },
    "give-information": {
        "title": "Give the information asked for",
        "button": "Send and resubmit the claim",
        "permission": "funding.answer_claim",
        "from": {State.INFORMATION_REQUESTED},
        "form": GiveInformationForm,
        "decides": False,
        "done": "Your answer is sent: the claim is back with the commissioner.",
    },
    "withdraw": {
        "title": "Withdraw this claim",
        "button": "Withdraw the claim",
        "permission": "funding.withdraw_claim",
        "from": WITHDRAWABLE,
        "form": ConfirmForm,
        "decides": False,
        "warning": True,
        "done": "The claim is withdrawn: its time can be claimed again.",
    },
}


def action_available(action: dict, claim) -> bool:
    return claim.state in action["from"]


class ClaimActionView(SubmitOnceMixin, LoginRequiredMixin, View):
    template_name = "funding/claims/claim_action.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.action = ACTIONS.get(kwargs["action"])
        if self.action is None:
            raise Http404("No such action.")
        self.slug = kwargs["action"]
        self.claim = visible_claim(request.user, kwargs["pk"])
        if not request.user.has_perm(self.action["permission"], self.claim):
            return self.refused()
        return super().dispatch(request, *args, **kwargs)

    def refused(self) -> HttpResponse:
        """403, saying why when it is the person's own case (or not theirs to decide)."""
        reason = decide_refusal(self.request.user, self.claim) if self.action["decides"] else ""
        if not reason:
            reason = (
                "Only the head or school business manager of the claiming school can do this."
                if not self.action["decides"]
                else "You cannot do this on this claim."
            )
        context = {**NAV, "claim": self.claim, "action": self.action, "reason": reason}
        return render(self.request, "funding/claims/claim_refused.html", context, status=403)

    def make_form(self, data=None, files=None):
        kwargs = {}
        if self.slug == "give-information":
            kwargs["lines"] = list(self.claim.lines.all())
        if self.slug == "withdraw":
            kwargs["with_note"] = True
        return self.action["form"](data, files, **kwargs)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.render_page(self.make_form())

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                done = self.perform(form)
            except FundingError as error:
                add_service_error(form, error)
            else:
                messages.success(request, done)
                return redirect("claims:claim-detail", pk=self.claim.pk)
        return self.render_page(form)

    def perform(self, form) -> str:
        """Calls the service; returns the banner to show."""
        user, claim, data = self.request.user, self.claim, form.cleaned_data
        if self.slug == "approve":
            claim = services.approve(claim, actor=user)
            if claim.state == State.AWAITING_SECOND_APPROVAL:
                return "Your approval is recorded: a second person must now approve the claim."
            return "The claim is approved: record the payment once it is made."
        if self.slug == "request-information":
            services.request_information(claim, actor=user, note=data["note"])
        elif self.slug == "reject":
            services.reject(claim, actor=user, reason=data["reason"])
        elif self.slug == "pay":
            services.pay(claim, actor=user, paid_on=data["paid_on"], reference=data["reference"])
        elif self.slug == "give-information":
            services.give_information(claim, actor=user, note=data["note"], evidence=form.evidence())
        elif self.slug == "withdraw":
            services.withdraw(claim, actor=user, note=data.get("note", ""))
        return self.action["done"]

    def render_page(self, form) -> HttpResponse:
        claim = self.claim
        first = claim.approvals.select_related("approver").first()
        context = {
            **NAV,
            "claim": claim,
            "deployment": claim.deployment,
            "action": self.action,
            "slug": self.slug,
            "form": form,
            "available": action_available(self.action, claim),
            "needs_two": claim.total > services.second_approval_above(),
            "second_approval_above": services.second_approval_above(),
            "first_approval": first,
            "information_request": claim.events.filter(action="information_requested").last()
            if self.slug == "give-information"
            else None,
        }
        return render(self.request, self.template_name, context)

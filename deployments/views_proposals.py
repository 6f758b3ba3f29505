"""Proposing a leader for a support request: the broker confirms, and a deployment is made.

The page sits on the request's URL (``/support/requests/<id>/propose/<designation id>/``, linked
from the request's candidates) but belongs here, not in brokerage: proposing is where a request
becomes a deployment, and only deployments, the app above, may know both. It loads and checks the
request as the request's own pages do (brokerage's RequestMixin, ``brokerage.broker_request``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from brokerage.choices import WAITING_REQUEST_STATUSES
from brokerage.views_requests import NAV, RequestMixin
from designations.models import Designation
from refusals import Refusal
from submissions.views import SubmitOnceMixin

from . import services


class ProposeView(SubmitOnceMixin, RequestMixin, View):
    """GET: confirm proposing a leader (what happens next, who is told). POST: propose them."""

    permission = "brokerage.broker_request"
    template_name = "deployments/propose_confirm.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.designation = get_object_or_404(
            Designation.objects.select_related("holder", "designation_type", "school"),
            pk=kwargs["designation_pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int, designation_pk: int) -> HttpResponse:
        if self.support_request.status not in WAITING_REQUEST_STATUSES:
            messages.error(request, f"This request is {self.support_request.get_status_display().lower()}.")
            return self.back()
        return self.render_page()

    def post(self, request: HttpRequest, pk: int, designation_pk: int) -> HttpResponse:
        designation = self.designation
        try:
            deployment = services.propose(self.support_request, designation, actor=request.user)
        except Refusal as error:
            messages.error(request, error.message)
            return self.back()
        messages.success(
            request, f"{designation.holder} proposed and told by email. Now draft the agreement."
        )
        return redirect("deployments:deployment-detail", pk=deployment.pk)

    def render_page(self) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"support_request": self.support_request, "designation": self.designation, **NAV},
        )

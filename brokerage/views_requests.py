"""Pages for support requests as the commissioner, the school and the broker see them: the lists
(every request the user may see, the broker's queue), raising a request, a request's own page
(with the ranked candidates and shortlist for its broker) and ending it. Each page checks the same
permission the service checks; a refusal the service still makes is shown as a form error.

The broker's work on a shortlist is in views_brokering, risk assessments in views_risk; proposing a
leader makes a deployment, so that page belongs to the deployments app (deployments.views_proposals)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import ListView
from django.views.generic.base import ContextMixin

from govuk.forms import add_service_error
from govuk.lists import FilteredListMixin
from govuk.pagination import GovukPaginationMixin
from submissions.views import SubmitOnceMixin

from . import services
from .choices import WAITING_REQUEST_STATUSES, PriorityReason, RequestStatus, ShortlistStatus
from .errors import BrokerageError
from .forms import (
    ReasonForm,
    SchoolSearchForm,
    SupportRequestForm,
    SupportRequestListFilterSet,
    date_parts,
    prepare_list_filter_form,
)
from .matching import match
from .models import SupportRequest
from .priority import suggested_priority_reasons
from .queries import requests_visible_to, requests_waiting_for
from .rules import commissioning_organisations_of
from .workload import workload

NAV = {"active_nav": "requests"}
# The request page lists the best candidates and the first of those excluded; the API has them all.
CANDIDATES_SHOWN = 20
EXCLUDED_SHOWN = 50


# --- lists -----------------------------------------------------------------------------------------


class RequestListView(LoginRequiredMixin, FilteredListMixin, GovukPaginationMixin, ListView):
    template_name = "brokerage/requests/request_list.html"
    context_object_name = "support_requests"
    paginate_by = 25
    extra_context = {**NAV, "tab": "all"}
    filterset_class = SupportRequestListFilterSet

    def visible_queryset(self) -> QuerySet[SupportRequest]:
        return requests_visible_to(self.request.user).order_by("-created_at", "-pk")

    def prepare_filter_form(self, form, visible) -> None:
        prepare_list_filter_form(form)

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            today=timezone.localdate(),
            can_raise=self.request.user.has_perm("brokerage.raise_request"),
            is_broker=self.request.user.has_perm("brokerage.view_broker_queue"),
            **kwargs,
        )


class BrokerQueueView(LoginRequiredMixin, GovukPaginationMixin, ListView):
    """Requests waiting for one of the user's broker organisations, oldest first."""

    template_name = "brokerage/requests/request_list.html"
    context_object_name = "support_requests"
    paginate_by = 25
    extra_context = {**NAV, "tab": "waiting"}

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm("brokerage.view_broker_queue"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[SupportRequest]:
        return requests_waiting_for(self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            today=timezone.localdate(),
            is_broker=True,
            can_raise=self.request.user.has_perm("brokerage.raise_request"),
            **kwargs,
        )


# --- raising a request ---------------------------------------------------------------------------------


class RaiseRequestMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm("brokerage.raise_request"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ChooseSchoolView(RaiseRequestMixin, View):
    """Step 1: the school, from those the user may commission for."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = SchoolSearchForm(request.GET or None)
        schools = services.commissionable_schools(request.user).select_related("local_authority")
        query = form.data.get("q", "").strip() if form.is_bound else ""
        if query:
            condition = Q(name__icontains=query)
            if query.isascii() and query.isdigit():
                condition |= Q(urn=int(query))
            schools = schools.filter(condition)
        return render(
            request,
            "brokerage/requests/choose_school.html",
            {
                "form": form,
                "schools": schools.order_by("name")[:50],
                "query": query,
                **NAV,
            },
        )


class RaiseRequestView(SubmitOnceMixin, RaiseRequestMixin, View):
    """Step 2: what the school needs, the kinds of leader, priority reasons, money and the broker."""

    template_name = "brokerage/requests/request_form.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Signed out and refused people get the mixin's answer (sign in, 403) before any 404.
        if request.user.has_perm("brokerage.raise_request"):
            self.school = get_object_or_404(services.commissionable_schools(request.user), pk=kwargs["urn"])
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None) -> SupportRequestForm:
        self.suggestions = suggested_priority_reasons(self.school, timezone.localdate())
        return SupportRequestForm(
            data,
            commissioners=commissioning_organisations_of(self.request.user),
            suggestions=self.suggestions,
        )

    def get(self, request: HttpRequest, urn: int) -> HttpResponse:
        return self.render_page(self.form())

    def post(self, request: HttpRequest, urn: int) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                support_request = services.raise_request(
                    actor=request.user,
                    school=self.school,
                    commissioner=data["commissioner"],
                    broker=data["broker"],
                    title=data["title"],
                    needs_description=data["needs_description"],
                    designation_types=list(data["designation_types"]),
                    needs=list(data["needs"]),
                    priority_reasons=data["priority_reasons"],
                    preferred_start_on=data["preferred_start_on"],
                    budget=data["budget"],
                    funded_by=data["funded_by"],
                    funder_name=data["funder_name"],
                )
            except BrokerageError as error:
                form.add_refusal(error)
            else:
                messages.success(request, f"Request raised. {support_request.broker} has been told.")
                return redirect("brokerage:request-detail", pk=support_request.pk)
        return self.render_page(form)

    def render_page(self, form: SupportRequestForm) -> HttpResponse:
        reasons = [
            {"option": option, "evidence": self.suggestions.get(option.data["value"], "")}
            for option in form["priority_reasons"]
        ]
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "school": self.school,
                "reasons": reasons,
                "start_parts": date_parts(form["preferred_start_on"]),
                **NAV,
            },
        )


# --- one request ------------------------------------------------------------------------------------


class RequestMixin(LoginRequiredMixin):
    """Loads the request from those the user may see (404) and checks ``permission`` on it (403)."""

    permission = "brokerage.view_request"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.support_request = get_object_or_404(
            requests_visible_to(request.user).select_related("raised_by"), pk=kwargs["pk"]
        )
        if not request.user.has_perm(self.permission, self.support_request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def back(self) -> HttpResponse:
        return redirect("brokerage:request-detail", pk=self.support_request.pk)


class RequestDetailView(RequestMixin, ContextMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "brokerage/requests/request_detail.html", self.page_context())

    def page_context(self, **extra) -> dict:
        support_request, user = self.support_request, self.request.user
        is_broker = user.has_perm("brokerage.broker_request", support_request)
        context = {
            "support_request": support_request,
            "priority_reasons": [
                PriorityReason(code).label
                for code in support_request.priority_reasons
                if code in PriorityReason.values
            ],
            "transitions": support_request.transitions.select_related("actor"),
            # The leaders proposed so far: deployments, which the workload port lists.
            "deployments": workload().for_request_page(support_request),
            "is_broker": is_broker,
            "can_withdraw": user.has_perm("brokerage.change_request", support_request)
            and RequestStatus.WITHDRAWN in services.ALLOWED_REQUEST_CHANGES[support_request.status],
            "brokering_open": support_request.status in WAITING_REQUEST_STATUSES,
            **NAV,
            **extra,
        }
        if is_broker:
            context.update(self.broker_context())
        return context

    def broker_context(self) -> dict:
        matching = match(self.support_request, today=timezone.localdate())
        shortlist = list(
            self.support_request.shortlist.select_related(
                "designation__holder", "designation__school", "designation__designation_type"
            )
        )
        listed = {entry.designation_id for entry in shortlist}
        # The shortlist follows the deployments: a leader whose proposal ended may be proposed again.
        proposed = {entry.designation_id for entry in shortlist if entry.status == ShortlistStatus.PROPOSED}
        return {
            "matching": matching,
            # Nobody puts themselves forward: the broker's own designations are not offered.
            "ranked": matching.ranked.without_holder(self.request.user.pk)[:CANDIDATES_SHOWN],
            "excluded": matching.excluded[:EXCLUDED_SHOWN],
            "shortlist": shortlist,
            "shortlisted_ids": listed,
            "proposed_ids": proposed,
            "can_close": RequestStatus.CLOSED
            in services.ALLOWED_REQUEST_CHANGES[self.support_request.status],
        }


class EndRequestView(SubmitOnceMixin, RequestMixin, View):
    """Withdraw (the commissioner) or close without support (the broker), after confirming why."""

    template_name = "brokerage/requests/request_end.html"
    kind = "withdraw"

    @property
    def permission(self) -> str:
        return "brokerage.change_request" if self.kind == "withdraw" else "brokerage.broker_request"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(ReasonForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ReasonForm(request.POST)
        if form.is_valid():
            action = services.withdraw if self.kind == "withdraw" else services.close
            try:
                action(self.support_request, actor=request.user, reason=form.cleaned_data["reason"])
            except BrokerageError as error:
                add_service_error(form, error)
            else:
                done = "withdrawn" if self.kind == "withdraw" else "closed without support"
                messages.success(request, f"The request has been {done}.")
                return self.back()
        return self.render_page(form)

    def render_page(self, form) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "support_request": self.support_request,
                "kind": self.kind,
                "proposed_leaders": [
                    entry.designation.holder
                    for entry in self.support_request.shortlist.filter(
                        status=ShortlistStatus.PROPOSED
                    ).select_related("designation__holder")
                ],
                **NAV,
            },
        )

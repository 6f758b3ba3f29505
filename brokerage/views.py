"""Pages for support requests (raising, the broker's queue, ranked candidates, shortlist and
proposal) and for local authority risk assessments. Each page checks the same permission the
service checks; a refusal the service still makes is shown as a form error."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView
from django.views.generic.base import ContextMixin

from deployments import services as deployment_services
from designations.models import Designation
from govuk.forms import add_service_error
from govuk.lists import FilteredListMixin
from govuk.pagination import GovukPaginationMixin
from schools.models import School
from submissions.views import SubmitOnceMixin

from . import services
from .choices import WAITING_REQUEST_STATUSES, PriorityReason, RequestStatus, ShortlistStatus
from .errors import BrokerageError
from .forms import (
    DeclineForm,
    ReasonForm,
    RiskAssessmentForm,
    SchoolSearchForm,
    ShortlistNoteForm,
    SupportRequestForm,
    SupportRequestListFilterSet,
    date_parts,
    prepare_list_filter_form,
)
from .matching import match
from .models import ShortlistEntry, SupportRequest
from .priority import suggested_priority_reasons
from .queries import at_risk_filter, requests_visible_to, requests_waiting_for, schools_with_latest_risk
from .rules import commissioning_organisations_of

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
        self.support_request = get_object_or_404(requests_visible_to(request.user), pk=kwargs["pk"])
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
            "deployments": support_request.deployments.select_related(
                "leader", "leader_school", "designation__designation_type"
            ),
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
            "ranked": [
                c for c in matching.ranked if c.designation.holder_id != self.request.user.pk
            ][:CANDIDATES_SHOWN],
            "excluded": matching.excluded[:EXCLUDED_SHOWN],
            "shortlist": shortlist,
            "shortlisted_ids": listed,
            "proposed_ids": proposed,
            "can_close": RequestStatus.CLOSED
            in services.ALLOWED_REQUEST_CHANGES[self.support_request.status],
        }


class BrokerActionView(SubmitOnceMixin, RequestMixin, View):
    """POST-only: add a candidate to the shortlist."""

    permission = "brokerage.broker_request"

    def post(self, request: HttpRequest, pk: int, designation_pk: int) -> HttpResponse:
        designation = get_object_or_404(
            Designation.objects.select_related("holder", "designation_type"), pk=designation_pk
        )
        try:
            services.shortlist(self.support_request, designation, actor=request.user)
        except BrokerageError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{designation.holder} added to the shortlist.")
        return self.back()


class ProposeView(SubmitOnceMixin, RequestMixin, View):
    """GET: confirm proposing a leader (what happens next, who is told). POST: propose them."""

    permission = "brokerage.broker_request"
    template_name = "brokerage/requests/propose_confirm.html"

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
            deployment = deployment_services.propose(self.support_request, designation, actor=request.user)
        except BrokerageError as error:
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


class ShortlistEntryMixin(RequestMixin):
    permission = "brokerage.broker_request"

    def get_entry(self) -> ShortlistEntry:
        return get_object_or_404(
            ShortlistEntry.objects.select_related("designation__holder", "designation__school", "request"),
            pk=self.kwargs["entry_pk"],
            request=self.support_request,
        )

    def refuse_if_closed(self) -> HttpResponse | None:
        if self.support_request.status not in WAITING_REQUEST_STATUSES:
            messages.error(
                self.request, f"This request is {self.support_request.get_status_display().lower()}."
            )
            return self.back()
        return None


class ShortlistEntryView(SubmitOnceMixin, ShortlistEntryMixin, View):
    """POST: mark a shortlisted leader as contacted."""

    def post(self, request: HttpRequest, pk: int, entry_pk: int, action: str) -> HttpResponse:
        entry = self.get_entry()
        if action != "contacted":
            raise Http404
        refused = self.refuse_if_closed()
        if refused:
            return refused
        services.mark_contacted(entry, actor=request.user, notes=request.POST.get("notes", "").strip())
        messages.success(request, f"{entry.designation.holder} marked as contacted.")
        return self.back()


class ShortlistEntryFormView(SubmitOnceMixin, ShortlistEntryMixin, View):
    """The broker's notes on an entry, or why the leader declined: a question page each."""

    kind = "notes"
    KINDS = {
        "notes": {
            "form": ShortlistNoteForm,
            "template": "brokerage/requests/shortlist_notes.html",
        },
        "declined": {
            "form": DeclineForm,
            "template": "brokerage/requests/shortlist_decline.html",
        },
    }

    def get(self, request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
        entry = self.get_entry()
        refused = self.refuse_if_closed()
        if refused:
            return refused
        initial = {"notes": entry.notes} if self.kind == "notes" else {"reason": entry.decline_reason}
        return self.render_page(entry, self.KINDS[self.kind]["form"](initial=initial))

    def post(self, request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
        entry = self.get_entry()
        refused = self.refuse_if_closed()
        if refused:
            return refused
        form = self.KINDS[self.kind]["form"](request.POST)
        if form.is_valid():
            try:
                if self.kind == "notes":
                    notes = form.cleaned_data["notes"]
                    services.update_shortlist_notes(entry, actor=request.user, notes=notes)
                    message = f"Notes on {entry.designation.holder} saved."
                else:
                    services.mark_declined(entry, actor=request.user, reason=form.cleaned_data["reason"])
                    message = f"{entry.designation.holder} marked as declined or unavailable."
            except BrokerageError as error:
                add_service_error(form, error)
            else:
                messages.success(request, message)
                return redirect(f"{reverse('brokerage:request-detail', args=[pk])}#shortlist")
        return self.render_page(entry, form)

    def render_page(self, entry: ShortlistEntry, form) -> HttpResponse:
        return render(
            self.request,
            self.KINDS[self.kind]["template"],
            {"support_request": self.support_request, "entry": entry, "form": form, **NAV},
        )


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


# --- risk assessments ------------------------------------------------------------------------------------


class RiskMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm("brokerage.assess_risk"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def authority_ids(self) -> list[int]:
        return sorted(
            {
                o.local_authority_id
                for o in self.request.user.organisations_with_role("la_officer")
                if o.local_authority_id
            }
        )


class RiskListView(RiskMixin, GovukPaginationMixin, ListView):
    template_name = "brokerage/risk/risk_list.html"
    context_object_name = "schools"
    paginate_by = 50
    extra_context = {"active_nav": "risk"}
    SHOWS = {
        "at-risk-unsupported": (
            "At risk without support",
            lambda qs: qs.filter(at_risk_filter(), has_support=False),
        ),
        "at-risk": ("At risk", lambda qs: qs.filter(at_risk_filter())),
        "not-assessed": ("Not assessed", lambda qs: qs.filter(risk_assessed_on__isnull=True)),
    }

    def get_queryset(self) -> QuerySet[School]:
        schools = schools_with_latest_risk(self.authority_ids())
        self.show = self.request.GET.get("show", "")
        if self.show in self.SHOWS:
            schools = self.SHOWS[self.show][1](schools)
        return schools

    def get_context_data(self, **kwargs) -> dict:
        shows = [{"value": "", "label": "All schools"}] + [
            {"value": key, "label": label} for key, (label, _) in self.SHOWS.items()
        ]
        return super().get_context_data(shows=shows, show=self.show, **kwargs)


class RiskCreateView(SubmitOnceMixin, RiskMixin, View):
    template_name = "brokerage/risk/risk_form.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.has_perm("brokerage.assess_risk"):
            self.school = get_object_or_404(School, pk=kwargs["urn"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, urn: int) -> HttpResponse:
        if self.school.local_authority_id not in self.authority_ids():
            raise PermissionDenied
        return self.render_page(RiskAssessmentForm())

    def post(self, request: HttpRequest, urn: int) -> HttpResponse:
        form = RiskAssessmentForm(request.POST)
        if form.is_valid():
            try:
                services.record_risk_assessment(
                    self.school, actor=request.user, notes=form.cleaned_data["notes"], **form.answers()
                )
            except BrokerageError as error:
                raise PermissionDenied(error.message) from error
            messages.success(request, f"Risk assessment of {self.school.name} recorded.")
            return redirect(f"{reverse('brokerage:risk-list')}?show=at-risk-unsupported")
        return self.render_page(form)

    def render_page(self, form) -> HttpResponse:
        history = self.school.risk_assessments.select_related("assessed_by")[:10]
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "school": self.school,
                "history": history,
                "active_nav": "risk",
            },
        )

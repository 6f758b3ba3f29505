"""Local authority risk assessments: the authority's schools by their latest assessment (with
those at risk and without support first to hand), and recording a new assessment of a school.
Only an LA officer (``brokerage.assess_risk``), for the schools of their own authorities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from govuk.pagination import GovukPaginationMixin
from schools.models import School
from submissions.views import SubmitOnceMixin

from . import services
from .errors import BrokerageError
from .forms import RiskAssessmentForm
from .queries import at_risk_filter, schools_with_latest_risk


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

"""The local authority dashboard and its deployments CSV. An LA officer sees their own
authority (choosing between them if they have several); a national administrator chooses any.
The figures are oversight.dashboard's; the schools at risk without support are brokerage's query."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from itertools import islice

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

import money
from brokerage.queries import schools_at_risk_without_support
from deployments.models import count_term_weeks
from deployments.queries import stall_thresholds
from funding import finance
from govuk.pagination import pagination_context
from schools.models import LocalAuthority
from spreadsheets import csv_response

from . import dashboard

NAV = {"active_nav": "dashboard"}
AT_RISK_PER_PAGE = 25
CSV_CHUNK = 2000  # rows read (and their agreed versions prefetched) at a time
CSV_HEADER = [
    "Supported school URN",
    "Supported school",
    "Leader",
    "Type",
    "State",
    "Starts on",
    "Ends on",
    "Days agreed",
    "Days used",
    "Next review",
    "Red objectives",
    "Amber objectives",
    "Green objectives",
    "Broker",
    "Commissioner",
    "Agreed total (£)",
    "Budget (£)",
    "Over budget by (£)",
]


class DashboardMixin(LoginRequiredMixin):
    """Resolves the authority from ?la= (an LA code) among those the user may open: 403 without
    the permission, 404 for an authority outside their reach."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm("oversight.view_dashboard"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def choose_authority(self) -> tuple[list[LocalAuthority], LocalAuthority | None]:
        authorities = dashboard.authorities_for(self.request.user)
        code = self.request.GET.get("la", "").strip()
        if code:
            chosen = next((la for la in authorities if la.code == code), None)
            if chosen is None:
                raise Http404("No such local authority on your dashboard")
            return authorities, chosen
        if len(authorities) == 1 or (authorities and not self.request.user.is_national_administrator):
            return authorities, authorities[0]
        return authorities, None


class DashboardView(DashboardMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        authorities, authority = self.choose_authority()
        context = {"authorities": authorities, "authority": authority, **NAV}
        if authority is not None:
            context.update(self.figures(request, authority))
        return render(request, "oversight/dashboard.html", context)

    def figures(self, request: HttpRequest, authority: LocalAuthority) -> dict:
        today = timezone.localdate()
        ids = [authority.pk]
        thresholds = stall_thresholds(today)
        figures = dashboard.deployment_figures(ids, today, thresholds)
        paginator = Paginator(dashboard.AtRisk(ids, today, thresholds, figures.at_risk), AT_RISK_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        at_risk = [{"deployment": d, "reasons": dashboard.risk_reasons(d)} for d in page.object_list]
        request_ages = dashboard.open_requests_by_age(ids, today)
        return {
            "today": today,
            "request_ages": request_ages,
            "open_requests": sum(bucket["count"] for bucket in request_ages),
            "deployment_figures": figures,
            "at_risk": at_risk,
            "at_risk_page": page,
            "pagination": pagination_context(request, page),
            "schools_at_risk": list(schools_at_risk_without_support(ids)[:50]),
            "coverage": dashboard.coverage(ids),
            "money": dashboard.money_this_year(ids, today),
            "financial_year": finance.financial_year_label(finance.financial_year_of(today)),
            "coverage_types": dashboard.COVERAGE_TYPES,
            "phase_columns": dashboard.PHASE_COLUMNS,
        }


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _amount(value) -> str:
    """Pounds and pence for a spreadsheet: 12015.00, without the pound sign."""
    return "" if value is None else str(money.round_money(value))


def in_chunks(deployments: Iterable, size: int = CSV_CHUNK) -> Iterator:
    """The deployments as read, with each chunk's agreed versions' term weeks counted from one
    calendar query (their days and costs are then free)."""
    iterator = iter(deployments)
    while chunk := list(islice(iterator, size)):
        count_term_weeks([agreement for d in chunk for agreement in d.agreed_versions])
        yield from chunk


def csv_rows(deployments: Iterable, user) -> Iterator[list]:
    """One row a deployment; the money columns are empty for those who may not see its money."""
    yield CSV_HEADER
    for d in in_chunks(deployments):
        costs = dashboard.export_costs(user, d)
        yield [
            d.supported_school.urn,
            d.supported_school.name,
            d.leader.full_name or d.leader.email,
            d.designation.designation_type.code,
            d.get_state_display(),
            _date(d.starts_on),
            _date(d.ends_on),
            d.days_agreed,
            d.days_used,
            _date(d.next_review_on),
            d.latest_red,
            d.latest_amber,
            d.latest_green,
            d.broker.name,
            d.commissioner.name,
            _amount(costs.total) if costs else "",
            _amount(costs.budget) if costs else "",
            _amount(costs.overrun) if costs else "",
        ]


class DeploymentsCsvView(DashboardMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        _, authority = self.choose_authority()
        if authority is None:
            raise Http404("Choose a local authority")
        deployments = dashboard.deployments_for_export(request.user, [authority.pk])
        filename = f"deployments-{authority.code}-{timezone.localdate():%Y-%m-%d}.csv"
        return csv_response(csv_rows(deployments.iterator(chunk_size=CSV_CHUNK), request.user), filename)

"""The local authority dashboard and its CSV export of deployments."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from deployments.choices import Rag
from deployments.queries import deployments_visible_to
from schools.models import LocalAuthority

from . import dashboard


class DashboardMixin(LoginRequiredMixin):
    """LA officers see their own authority; national administrators choose any (``?la=<code>``)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("brokerage.view_dashboard"):
            raise PermissionDenied
        self.authorities = self.authorities_for(request)
        return super().dispatch(request, *args, **kwargs)

    def authorities_for(self, request: HttpRequest) -> list[LocalAuthority]:
        own = sorted(
            {
                o.local_authority
                for o in request.user.organisations_with_role("la_officer")
                if o.local_authority
            },
            key=lambda la: la.name,
        )
        if request.user.is_national_administrator:
            chosen = LocalAuthority.objects.filter(code=request.GET.get("la", "")).first()
            if chosen:
                return [chosen]
            return own or list(LocalAuthority.objects.order_by("name")[:1])
        return own

    @property
    def authority_ids(self) -> list[int]:
        return [la.pk for la in self.authorities]


class DashboardView(DashboardMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        live = list(dashboard.live_deployments(self.authority_ids, today))
        at_risk = [(d, dashboard.risk_reasons(d)) for d in live]
        at_risk = [(d, reasons) for d, reasons in at_risk if reasons]
        ages = dashboard.open_requests_by_age(self.authority_ids, today)
        largest_age = max([1, *(bucket["count"] for bucket in ages)])
        context = {
            "active_nav": "dashboard",
            "authorities": self.authorities,
            "all_authorities": LocalAuthority.objects.order_by("name")
            if request.user.is_national_administrator
            else None,
            "ages": [{**bucket, "width": round(100 * bucket["count"] / largest_age)} for bucket in ages],
            "open_requests": sum(bucket["count"] for bucket in ages),
            "live_count": len(live),
            "at_risk": at_risk,
            "schools_at_risk": dashboard.at_risk_schools(self.authority_ids)[:25],
            "coverage": dashboard.coverage(self.authority_ids),
            "la_query": f"?la={self.authorities[0].code}"
            if request.user.is_national_administrator and self.authorities
            else "",
        }
        return render(request, "brokerage/dashboard/index.html", context)


class Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "Supported school URN",
    "Supported school",
    "Leader",
    "Type",
    "State",
    "Start",
    "End",
    "Days agreed",
    "Days used",
    "Next review",
    "Red objectives",
    "Amber objectives",
    "Green objectives",
    "Broker",
    "Commissioner",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class DeploymentsCsvView(DashboardMixin, View):
    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        writer = csv.writer(Echo())
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in self.rows()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="deployments.csv"'
        return response

    def deployments(self):
        return (
            deployments_visible_to(self.request.user)
            .filter(supported_school__local_authority_id__in=self.authority_ids)
            .annotate(days_used=Sum("time_entries__days"))
            .order_by("supported_school__name", "pk")
        )

    def rows(self) -> Iterator[list[str]]:
        yield CSV_HEADER
        deployments = list(self.deployments())
        ratings = self.latest_ratings([d.pk for d in deployments])
        for d in deployments:
            counts = ratings.get(d.pk, {})
            yield [
                safe_cell(v)
                for v in (
                    d.supported_school.urn,
                    d.supported_school.name,
                    d.leader,
                    d.designation.designation_type.code,
                    d.get_state_display(),
                    d.starts_on or "",
                    d.ends_on or "",
                    d.days_agreed,
                    d.days_used or 0,
                    d.next_review_on or "",
                    counts.get(Rag.RED, 0),
                    counts.get(Rag.AMBER, 0),
                    counts.get(Rag.GREEN, 0),
                    d.broker.name,
                    d.commissioner.name,
                )
            ]

    @staticmethod
    def latest_ratings(deployment_ids: list[int]) -> dict[int, dict[str, int]]:
        """RAG counts of each deployment's latest review, in two queries."""
        from deployments.models import ObjectiveProgress, ProgressReview

        latest: dict[int, int] = {}
        for review_id, deployment_id in (
            ProgressReview.objects.filter(deployment_id__in=deployment_ids)
            .order_by("deployment_id", "reviewed_on", "pk")
            .values_list("pk", "deployment_id")
        ):
            latest[deployment_id] = review_id
        counts: dict[int, dict[str, int]] = {}
        by_review = {review: deployment for deployment, review in latest.items()}
        rows = ObjectiveProgress.objects.filter(review_id__in=list(latest.values())).values(
            "review_id", "rag"
        )
        for row in rows.annotate(n=Count("pk")):
            counts.setdefault(by_review[row["review_id"]], {})[row["rag"]] = row["n"]
        return counts

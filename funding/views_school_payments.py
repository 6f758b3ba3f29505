"""A school's own payments: what its head or school business manager has been paid (claims, and
the national body's bursaries and grants), each with its remittance advice.

The money pages are the payers'; a school sees what it was paid here, and nothing of any other
school's (the list is only of the schools the person claims for)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin

from govuk.pagination import GovukPaginationMixin

from . import finance
from .models import Payment
from .rules import paid_school_ids


class SchoolPaymentsView(LoginRequiredMixin, PermissionRequiredMixin, GovukPaginationMixin, ListView):
    """Refused (403) to anyone who is not the head or business manager of a school."""

    permission_required = "funding.view_school_payments"
    template_name = "funding/finance/school_payments.html"
    context_object_name = "payments"
    paginate_by = 25
    extra_context = {"active_nav": "claims"}

    def get_queryset(self) -> QuerySet[Payment]:
        schools = paid_school_ids(self.request.user)
        return (
            finance.payments_visible_to(self.request.user)
            .filter(payee_school_id__in=schools)
            .select_related("claim__deployment__leader")
            .order_by("-paid_on", "-pk")
        )

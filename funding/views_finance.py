"""The commissioner's money pages: the year's money committed, claimed, approved and paid (per
deployment and per school), the claims and payments CSVs, the export of approved claims for the
finance system and the import of the payment file it sends back; and each payment's remittance
advice.

A commissioner or LA officer sees the organisations they commission for (choosing between them if
they have several); a national administrator chooses any organisation that has commissioned
support. Without the permission a page is refused (403); an organisation out of reach, or a
payment the person may not see, is not found (404)."""

from __future__ import annotations

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views import View

import money
from govuk.pagination import pagination_context
from spreadsheets import csv_response, filename_part
from submissions.views import SubmitOnceMixin

from . import finance
from .forms_finance import PaymentFileForm
from .models import Claim
from .services import mark_exported
from .services.payment_file import awaiting_payment, export_rows, import_payment_file

NAV = {"active_nav": "money"}
NATIONAL_PAYER = "The national body, for the Department for Education"  # a bursary's or grant's payer
PAYMENTS_PER_PAGE = 25
CSV_CHUNK = 2000
YEARS_BACK, YEARS_AHEAD = 5, 2  # the financial years offered, around the current one
CLAIMS_HEADER = [
    "Claim reference",
    "School URN",
    "School",
    "Deployment",
    "Period from",
    "Period to",
    "Days",
    "Amount",
    "State",
    "Submitted",
    "Approved",
    "Paid on",
    "Payment reference",
]
PAYMENTS_HEADER = ["Payment reference", "Payee URN", "Payee", "Amount", "Paid on", "For", "Method"]


def deployment_label(deployment) -> str:
    code = deployment.designation.designation_type.code
    return f"{deployment.supported_school.name}: {deployment.leader} ({code})"


class FinanceMixin(LoginRequiredMixin):
    """Resolves the organisation (``?org=``, its id) and the financial year (``?year=``, the year it
    starts; the current one by default)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm("funding.view_finance"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def choose(self) -> None:
        """Sets ``organisations``, ``organisation`` (None: not chosen yet) and ``year``."""
        params = self.request.GET if self.request.method == "GET" else self.request.POST
        self.organisations = finance.finance_organisations_for(self.request.user)
        chosen = params.get("org", "").strip()
        if chosen:
            self.organisation = next((o for o in self.organisations if str(o.pk) == chosen), None)
            if self.organisation is None:
                raise Http404("No such organisation among those whose money you see")
        elif len(self.organisations) == 1 or (
            self.organisations and not self.request.user.is_national_administrator
        ):
            self.organisation = self.organisations[0]
        else:
            self.organisation = None
        self.current_year = finance.financial_year_of(timezone.localdate())
        year = params.get("year", "").strip()
        self.year = int(year) if year.isdigit() else self.current_year
        if self.year not in self.years():
            raise Http404("No such financial year")

    def years(self) -> range:
        return range(self.current_year - YEARS_BACK, self.current_year + YEARS_AHEAD + 1)

    def require_organisation(self):
        self.choose()
        if self.organisation is None:
            raise Http404("Choose an organisation")
        return self.organisation

    def query(self) -> str:
        return f"org={self.organisation.pk}&year={self.year}"

    def filename(self, what: str) -> str:
        return f"{what}-{filename_part(self.organisation.name)}-{timezone.localdate():%Y-%m-%d}.csv"

    def finance_context(self, **kwargs) -> dict:
        return {
            "organisations": self.organisations,
            "organisation": self.organisation,
            "year": self.year,
            "year_label": finance.financial_year_label(self.year),
            "years": [(y, finance.financial_year_label(y)) for y in self.years()],
            "query": self.query() if self.organisation else "",
            **NAV,
            **kwargs,
        }


class MoneyView(FinanceMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        self.choose()
        context = self.finance_context()
        if self.organisation is not None:
            figures = finance.year_money([self.organisation.pk], self.year)
            start, end = finance.financial_year_bounds(self.year)
            payments = (
                finance.payments_of([self.organisation.pk], start, end)
                .select_related("payee_school", "claim")
                .order_by("-paid_on", "-pk")
            )
            page = Paginator(payments, PAYMENTS_PER_PAGE).get_page(request.GET.get("page"))
            context.update(
                figures=figures,
                payments=page.object_list,
                payments_page=page,
                pagination=pagination_context(request, page),
                awaiting_payment=awaiting_payment(self.organisation.pk).count(),
            )
        return render(request, "funding/finance/money.html", context)


# --- CSV files -------------------------------------------------------------------------------------


def claims_in_year(organisation_id: int, year: int):
    """The organisation's claims submitted in the year, in any state, with what their rows show."""
    start, end = finance.financial_year_bounds(year)
    return (
        Claim.objects.filter(
            commissioner_id=organisation_id, submitted_at__date__gte=start, submitted_at__date__lte=end
        )
        .select_related(
            "claiming_school",
            "deployment__supported_school",
            "deployment__leader",
            "deployment__designation__designation_type",
            "payment",
        )
        .annotate(approved_at=Max("approvals__approved_at"))
        .order_by("submitted_at", "pk")
    )


def _date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def claim_rows(claims):
    yield CLAIMS_HEADER
    for claim in claims:
        payment = getattr(claim, "payment", None)
        approved = claim.state in finance.APPROVED_STATES
        yield [
            claim.reference,
            claim.claiming_school.urn,
            claim.claiming_school.name,
            deployment_label(claim.deployment),
            claim.period_start,
            claim.period_end,
            claim.days,
            money.round_money(claim.total),
            claim.get_state_display(),
            _date(claim.submitted_at),
            _date(claim.approved_at) if approved else None,
            payment.paid_on if payment else None,
            payment.reference if payment else None,
        ]


def payment_rows(payments):
    yield PAYMENTS_HEADER
    for payment in payments:
        paid_for = payment.claim or payment.bursary
        yield [
            payment.reference,
            payment.payee_school.urn,
            payment.payee_school.name,
            money.round_money(payment.amount),
            payment.paid_on,
            paid_for.reference if paid_for else "",
            payment.get_method_display(),
        ]


class ClaimsCsvView(FinanceMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        organisation = self.require_organisation()
        claims = claims_in_year(organisation.pk, self.year).iterator(chunk_size=CSV_CHUNK)
        return csv_response(claim_rows(claims), self.filename(f"claims-{self.year}"))


class PaymentsCsvView(FinanceMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        organisation = self.require_organisation()
        start, end = finance.financial_year_bounds(self.year)
        payments = (
            finance.payments_of([organisation.pk], start, end)
            .select_related("payee_school", "claim", "bursary")
            .order_by("paid_on", "pk")
            .iterator(chunk_size=CSV_CHUNK)
        )
        return csv_response(payment_rows(payments), self.filename(f"payments-{self.year}"))


# --- the payment export and the payment file ------------------------------------------------------


class PaymentExportView(SubmitOnceMixin, FinanceMixin, View):
    """Approved claims not yet paid, as a file for the finance system: confirmed first, since the
    export is recorded in each claim's history."""

    template_name = "funding/finance/payment_export.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        organisation = self.require_organisation()
        claims = list(awaiting_payment(organisation.pk))
        total = money.total(claim.total for claim in claims)
        return render(request, self.template_name, self.finance_context(claims=claims, total=total))

    def post(self, request: HttpRequest) -> HttpResponse:
        organisation = self.require_organisation()
        claims = list(awaiting_payment(organisation.pk))
        mark_exported(claims, actor=request.user)
        return csv_response(export_rows(claims), self.filename("payment-export"))


class PaymentImportView(SubmitOnceMixin, FinanceMixin, View):
    """Upload the payment file: each row pays its claim, or says why it cannot."""

    template_name = "funding/finance/payment_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_organisation()
        return render(request, self.template_name, self.finance_context(form=PaymentFileForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        organisation = self.require_organisation()
        form = PaymentFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.finance_context(form=form))
        results = import_payment_file(
            form.cleaned_data["file"], organisation=organisation, actor=request.user
        )
        paid = [result for result in results if result.paid]
        return render(
            request,
            self.template_name,
            self.finance_context(
                form=PaymentFileForm(), results=results, paid=len(paid), refused=len(results) - len(paid)
            ),
        )


# --- remittance advice -----------------------------------------------------------------------------


class RemittanceView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        payment = get_object_or_404(finance.payments_visible_to(request.user), pk=pk)
        if not request.user.has_perm("funding.view_payment", payment):
            raise Http404("No such payment")
        school = payment.payee_school
        address = [
            part
            for part in (
                school.street,
                school.locality,
                school.address3,
                school.town,
                school.county,
                school.postcode,
            )
            if part.strip()
        ]
        context = {
            "payment": payment,
            "claim": payment.claim,
            "bursary": payment.bursary,
            "lines": list(payment.claim.lines.all()) if payment.claim_id else [],
            "address": address,
            "national_payer": NATIONAL_PAYER,
        }
        return render(request, "funding/finance/remittance.html", context)

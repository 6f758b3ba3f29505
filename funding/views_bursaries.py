"""Pages for national administrators: funding rates, the year's bursaries and grants, scheduling
them (the same service the yearly job runs), approving, cancelling and recording their payment.

Everyone else is refused (403); a bursary that does not exist is a 404. A refusal the service
still makes (the bursary was approved or paid a moment ago, it is for the administrator's own
school) is shown as a form error."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView

from govuk.forms import add_service_error
from govuk.lists import FilteredListMixin
from govuk.pagination import GovukPaginationMixin
from submissions.views import SubmitOnceMixin

from .choices import FundingKind
from .errors import FundingError
from .forms_bursaries import (
    BursaryFilterSet,
    CancelBursaryForm,
    ConfirmForm,
    FundingRateForm,
    PayBursaryForm,
    ScheduleForm,
    prepare_bursary_filter_form,
)
from .models import Bursary, FundingRate, Payment
from .services import bursaries as services
from .services.bursaries import financial_year_of, year_label

NAV = {"active_nav": "bursaries"}


class ManagesBursariesMixin(LoginRequiredMixin):
    """National administrators only (``funding.manage_bursaries``): 403 for anyone else."""

    extra_context = NAV

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("funding.manage_bursaries"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def bursaries_with_relations() -> QuerySet[Bursary]:
    return Bursary.objects.select_related(
        "school", "designation__designation_type", "designation__holder", "approved_by", "payment"
    )


# --- rates -----------------------------------------------------------------------------------------


class RateListView(ManagesBursariesMixin, GovukPaginationMixin, ListView):
    template_name = "funding/bursaries/rate_list.html"
    context_object_name = "rates"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[FundingRate]:
        return FundingRate.objects.select_related("designation_type").order_by("-year", "kind", "pk")


class RateFormMixin(SubmitOnceMixin, ManagesBursariesMixin):
    model = FundingRate
    form_class = FundingRateForm
    template_name = "funding/bursaries/rate_form.html"

    def form_valid(self, form: FundingRateForm) -> HttpResponse:
        rate = form.save()
        messages.success(
            self.request,
            f"The {rate.get_kind_display().lower()} for {rate.designation_type.code} in "
            f"{year_label(rate.year)} is £{rate.annual_amount:,.2f} a year.",
        )
        return redirect("bursaries:rate-list")


class RateCreateView(RateFormMixin, CreateView):
    pass


class RateUpdateView(RateFormMixin, UpdateView):
    def get_context_data(self, **kwargs) -> dict:
        scheduled = Bursary.objects.filter(
            year=self.object.year, designation__designation_type=self.object.designation_type_id
        ).exists()
        return super().get_context_data(already_scheduled=scheduled, **kwargs)


# --- the year's bursaries --------------------------------------------------------------------------


class BursaryListView(ManagesBursariesMixin, FilteredListMixin, GovukPaginationMixin, ListView):
    template_name = "funding/bursaries/bursary_list.html"
    context_object_name = "bursaries"
    paginate_by = 25
    filterset_class = BursaryFilterSet

    def visible_queryset(self) -> QuerySet[Bursary]:
        return bursaries_with_relations().order_by("-year", "school__name", "pk")

    def prepare_filter_form(self, form, visible) -> None:
        prepare_bursary_filter_form(form)

    def get_context_data(self, **kwargs) -> dict:
        this_year = financial_year_of(timezone.localdate())
        missing = services.kinds_without_rate(this_year)
        return super().get_context_data(
            this_year=this_year,
            this_year_label=year_label(this_year),
            kinds_without_rate=[FundingKind(kind).label for kind in missing],
            clear_url=reverse("bursaries:bursary-list"),
            **kwargs,
        )


class ScheduleView(SubmitOnceMixin, ManagesBursariesMixin, FormView):
    """Confirms, then schedules the year's bursaries: safe to run again, it adds only what is missing."""

    template_name = "funding/bursaries/schedule.html"
    form_class = ScheduleForm

    def get_initial(self) -> dict:
        return {"year": financial_year_of(timezone.localdate())}

    def get_context_data(self, **kwargs) -> dict:
        form = kwargs.get("form")
        year = financial_year_of(timezone.localdate())
        if form is not None and form.is_bound and form.is_valid():
            year = form.cleaned_data["year"]
        rates = FundingRate.objects.filter(year=year).select_related("designation_type").order_by("kind")
        missing = [FundingKind(kind).label for kind in services.kinds_without_rate(year)]
        return super().get_context_data(
            year=year, year_label=year_label(year), rates=rates, kinds_without_rate=missing, **kwargs
        )

    def form_valid(self, form: ScheduleForm) -> HttpResponse:
        year = form.cleaned_data["year"]
        result = services.schedule_bursaries(year)
        text = (
            f"{result.scheduled} new bursar{'y' if result.scheduled == 1 else 'ies'} scheduled for "
            f"{year_label(year)}; {result.already_scheduled} already scheduled."
        )
        if result.kinds_without_rate:
            missing = ", ".join(FundingKind(kind).label.lower() for kind in result.kinds_without_rate)
            text += f" No rate is set for the {missing}, so none was scheduled."
        messages.success(self.request, text)
        return redirect(f"{reverse('bursaries:bursary-list')}?year={year}")


# --- one bursary -----------------------------------------------------------------------------------


class BursaryMixin(ManagesBursariesMixin):
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and request.user.has_perm("funding.manage_bursaries"):
            self.bursary = get_object_or_404(bursaries_with_relations(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        bursary = self.bursary
        payment = Payment.objects.filter(bursary=bursary).select_related("recorded_by").first()
        refusal = services.own_bursary_refusal(self.request.user, bursary)
        return super().get_context_data(bursary=bursary, payment=payment, own_refusal=refusal, **kwargs)


class BursaryDetailView(BursaryMixin, TemplateView):
    template_name = "funding/bursaries/bursary_detail.html"


class BursaryActionView(SubmitOnceMixin, BursaryMixin, FormView):
    """A form on one bursary whose service refusals become form errors."""

    success_message = ""

    def form_valid(self, form) -> HttpResponse:
        try:
            self.perform(form)
        except FundingError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect("bursaries:bursary-detail", pk=self.bursary.pk)


class BursaryApproveView(BursaryActionView):
    template_name = "funding/bursaries/bursary_approve.html"
    form_class = ConfirmForm
    success_message = "The bursary is approved: the school has been told. Record its payment once it is paid."

    def perform(self, form) -> None:
        services.approve_bursary(self.bursary, actor=self.request.user)


class BursaryCancelView(BursaryActionView):
    template_name = "funding/bursaries/bursary_cancel.html"
    form_class = CancelBursaryForm
    success_message = "The bursary is cancelled: it will not be paid."

    def perform(self, form) -> None:
        services.cancel_bursary(self.bursary, actor=self.request.user, reason=form.cleaned_data["reason"])


class BursaryPayView(BursaryActionView):
    template_name = "funding/bursaries/bursary_pay.html"
    form_class = PayBursaryForm
    success_message = "The payment is recorded: the school has been told."

    def get_initial(self) -> dict:
        return {"paid_on": timezone.localdate()}

    def perform(self, form) -> None:
        services.pay_bursary(
            self.bursary,
            actor=self.request.user,
            paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["reference"],
        )

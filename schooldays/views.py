"""The term-date pages: school years, the national default, and each authority's own dates.

Everyone who may see them (national administrators and local authority officers) sees the national
default; an officer sees and changes their own authority's dates, a national administrator any
authority's and the national default.
"""

from __future__ import annotations

from collections.abc import Callable

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from bounds import long_date
from govuk.forms import add_service_error
from govuk.pagination import GovukPaginationMixin
from schools.models import LocalAuthority
from submissions.views import SubmitOnceMixin

from . import services
from .errors import SchoolDaysError
from .forms import SchoolYearForm, TermPeriodForm
from .models import SchoolYear, TermPeriod
from .queries import authorities_with_own_dates, authorities_with_own_flag, school_years
from .rules import officer_authority_ids

ACTIVE_NAV = {"active_nav": "term-dates"}


def calendar_url(school_year: SchoolYear, local_authority: LocalAuthority | None) -> str:
    """The page of one calendar: the year's page for the national default, else the authority's."""
    if local_authority is None:
        return reverse("schooldays:year", args=[school_year.starts_in])
    return reverse("schooldays:authority", args=[school_year.starts_in, local_authority.code])


class SchoolYearListView(LoginRequiredMixin, PermissionRequiredMixin, GovukPaginationMixin, ListView):
    permission_required = "schooldays.view_term_dates"
    template_name = "schooldays/year_list.html"
    context_object_name = "school_years"
    paginate_by = 25
    extra_context = ACTIVE_NAV

    def get_queryset(self) -> QuerySet[SchoolYear]:
        return school_years()

    def get_context_data(self, **kwargs) -> dict:
        may_add = rules.has_perm("schooldays.add_school_year", self.request.user)
        return super().get_context_data(may_add_year=may_add, **kwargs)


class SchoolYearCreateView(SubmitOnceMixin, LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """A national administrator adds the next school year; its page then takes its national term
    periods (and any authority's own)."""

    permission_required = "schooldays.add_school_year"
    template_name = "schooldays/year_form.html"
    extra_context = ACTIVE_NAV

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        latest = SchoolYear.objects.order_by("-starts_in").first()
        initial = {"starts_in": latest.starts_in + 1} if latest else {}
        return self.render_to_response(self.get_context_data(form=SchoolYearForm(initial=initial)))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = SchoolYearForm(request.POST)
        if form.is_valid():
            try:
                school_year = services.add_school_year(form.cleaned_data["starts_in"])
            except SchoolDaysError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    f"The {school_year.name} school year ({school_year.range_text}) has been added. "
                    "Add its national term periods below.",
                )
                return redirect("schooldays:year", school_year.starts_in)
        return self.render_to_response(self.get_context_data(form=form))


class SchoolYearMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """A page about one school year (by the year it starts in) and, with a ``code``, one authority."""

    extra_context = ACTIVE_NAV

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.school_year = get_object_or_404(SchoolYear, starts_in=kwargs["year"])
        code = kwargs.get("code")
        self.local_authority = get_object_or_404(LocalAuthority, code=code) if code else None
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self) -> LocalAuthority | None:
        return self.local_authority

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            school_year=self.school_year, local_authority=self.local_authority,
            calendar_url=calendar_url(self.school_year, self.local_authority), **kwargs
        )


class SchoolYearView(SchoolYearMixin, TemplateView):
    """The national default for the year, and the authorities the person looks after."""

    permission_required = "schooldays.view_term_dates"
    template_name = "schooldays/year_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["periods"] = list(TermPeriod.objects.of_calendar(self.school_year, None))
        # The rule itself, not user.has_perm: Django's model permissions would cost two queries.
        context["can_change_national"] = rules.has_perm("schooldays.change_term_dates", user, None)
        own = LocalAuthority.objects.filter(pk__in=officer_authority_ids(user))
        context["own_authorities"] = list(authorities_with_own_flag(self.school_year, own))
        if user.is_national_administrator:
            context["show_authorities"] = True
            context["overridden"] = list(authorities_with_own_dates(self.school_year))
            context["all_authorities"] = list(LocalAuthority.objects.order_by("name").only("code", "name"))
        return context


class ChooseAuthorityView(SchoolYearMixin, View):
    """The national administrator's "view an authority's term dates" chooser (a GET form)."""

    permission_required = "schooldays.change_term_dates"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        local_authority = LocalAuthority.objects.filter(code=request.GET.get("authority", "")).first()
        if local_authority is None:
            messages.error(request, "Select a local authority")
            return redirect("schooldays:year", self.school_year.starts_in)
        return redirect("schooldays:authority", self.school_year.starts_in, local_authority.code)


class AuthorityView(SchoolYearMixin, TemplateView):
    """One authority's term dates for the year: its own, or the national default it follows."""

    permission_required = "schooldays.change_term_dates"
    template_name = "schooldays/authority_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        own = list(TermPeriod.objects.of_calendar(self.school_year, self.local_authority))
        context["has_own"] = bool(own)
        context["periods"] = own or list(TermPeriod.objects.of_calendar(self.school_year, None))
        return context


class ConfirmationView(SubmitOnceMixin, SchoolYearMixin, TemplateView):
    """A page that asks before changing a whole calendar; its subclass's POST does it through
    ``done``, which shows the outcome on the authority's page."""

    permission_required = "schooldays.change_term_dates"

    def done(self, change: Callable[[], str]) -> HttpResponse:
        try:
            messages.success(self.request, change())
        except SchoolDaysError as error:
            messages.error(self.request, error.message)
        return HttpResponseRedirect(calendar_url(self.school_year, self.local_authority))


class OverrideView(ConfirmationView):
    template_name = "schooldays/override_confirm.html"

    def get_context_data(self, **kwargs) -> dict:
        national = TermPeriod.objects.of_calendar(self.school_year, None)
        return super().get_context_data(national_periods=national.count(), **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        school_year, local_authority = self.school_year, self.local_authority
        if not TermPeriod.objects.of_calendar(school_year, None).exists():
            # Nothing to copy: the authority's dates begin with the first period added.
            return redirect("schooldays:period-create", school_year.starts_in, local_authority.code)

        def copy() -> str:
            services.copy_national_default(school_year, local_authority)
            return (
                f"{local_authority.name} now has its own term dates for {school_year.name}, "
                "copied from the national default."
            )

        return self.done(copy)


class RevertView(ConfirmationView):
    template_name = "schooldays/revert_confirm.html"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        school_year, local_authority = self.school_year, self.local_authority

        def revert() -> str:
            services.back_to_national_default(school_year, local_authority)
            name, year = local_authority.name, school_year.name
            return f"{name} follows the national default term dates for {year} again."

        return self.done(revert)


class PeriodFormMixin:
    template_name = "schooldays/period_form.html"

    def render_form(self, form: TermPeriodForm) -> HttpResponse:
        return render(self.request, self.template_name, self.get_context_data(form=form))

    def save(self, form: TermPeriodForm, done: str) -> HttpResponse:
        if not form.is_valid():
            return self.render_form(form)
        try:
            period = services.save_period(form.instance)
        except SchoolDaysError as error:
            add_service_error(form, error)
            return self.render_form(form)
        messages.success(
            self.request,
            f"{period.name} ({long_date(period.starts_on)} to {long_date(period.ends_on)}) has been {done}.",
        )
        return HttpResponseRedirect(calendar_url(period.school_year, period.local_authority))


class PeriodCreateView(SubmitOnceMixin, PeriodFormMixin, SchoolYearMixin, TemplateView):
    """Add a period to the national default (no ``code``) or to an authority's own term dates."""

    permission_required = "schooldays.change_term_dates"

    def new_period(self) -> TermPeriod:
        return TermPeriod(school_year=self.school_year, local_authority=self.local_authority)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.render_form(TermPeriodForm(instance=self.new_period()))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.save(TermPeriodForm(request.POST, instance=self.new_period()), "added")


class PeriodMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """A page about one period, changed by whoever may change its calendar."""

    permission_required = "schooldays.change_term_period"
    extra_context = ACTIVE_NAV

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        periods = TermPeriod.objects.select_related("school_year", "local_authority")
        self.period = get_object_or_404(periods, pk=kwargs["pk"])
        self.period_name = self.period.name  # as saved: a form being corrected changes the instance
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self) -> TermPeriod:
        return self.period

    def get_context_data(self, **kwargs) -> dict:
        school_year, local_authority = self.period.school_year, self.period.local_authority
        return super().get_context_data(
            period=self.period, period_name=self.period_name, school_year=school_year,
            local_authority=local_authority, calendar_url=calendar_url(school_year, local_authority), **kwargs
        )


class PeriodUpdateView(SubmitOnceMixin, PeriodFormMixin, PeriodMixin, TemplateView):
    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.render_form(TermPeriodForm(instance=self.period))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.save(TermPeriodForm(request.POST, instance=self.period), "changed")


class PeriodDeleteView(SubmitOnceMixin, PeriodMixin, TemplateView):
    template_name = "schooldays/period_delete.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if self.period.local_authority_id:
            context["is_last"] = not TermPeriod.objects.of_calendar(
                self.period.school_year, self.period.local_authority_id
            ).exclude(pk=self.period.pk).exists()
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        period = self.period
        services.delete_period(period)
        messages.success(request, f"{period.name} has been deleted.")
        return HttpResponseRedirect(calendar_url(period.school_year, period.local_authority))

"""The work of a deployment: logging time, recording variations, progress reviews and the final
evaluation; and leaders' own periods of unavailability."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import FormView
from django.views.generic.base import ContextMixin

from govuk.forms import add_service_error
from refusals import Refusal
from submissions.views import SubmitOnceMixin

from . import services
from .choices import DeploymentState
from .errors import DeploymentError
from .forms import EvaluationForm, ReviewForm, TimeEntryForm, UnavailabilityForm, VariationForm
from .models import Unavailability
from .views import DeploymentMixin

# --- time, variations, reviews, evaluation -------------------------------------------------------


class DeploymentFormView(SubmitOnceMixin, DeploymentMixin, FormView):
    """A form on one deployment whose service refusals become form errors."""

    success_message = ""
    #: The refusals shown on the form: a view whose service also calls brokerage's widens it.
    refused_with: type[Refusal] = DeploymentError

    def form_valid(self, form) -> HttpResponse:
        try:
            self.perform(form)  # each view says what its form does
        except self.refused_with as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return self.after_success()

    def after_success(self) -> HttpResponse:
        return self.back_to_deployment()


class TimeLogView(DeploymentFormView):
    permission = "deployments.log_time"
    template_name = "deployments/time_log.html"
    form_class = TimeEntryForm
    success_message = "Your time has been logged."

    def get_initial(self) -> dict:
        return {"worked_on": timezone.localdate()}

    def get_context_data(self, **kwargs) -> dict:
        entries = list(self.deployment.time_entries.select_related("person"))
        used = sum((e.days for e in entries), Decimal(0))
        return super().get_context_data(
            entries=entries, days_used=used, days_allowed=services.days_allowed(self.deployment), **kwargs
        )

    def perform(self, form: TimeEntryForm) -> None:
        services.log_time(self.deployment, actor=self.request.user, **form.cleaned_data)

    def after_success(self) -> HttpResponse:
        return redirect("deployments:time-log", pk=self.deployment.pk)


class VariationCreateView(DeploymentFormView):
    permission = "deployments.record_variation"
    template_name = "deployments/variation_form.html"
    form_class = VariationForm
    success_message = "The variation is recorded: more time can be logged."

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            days_used=services.days_used(self.deployment),
            days_allowed=services.days_allowed(self.deployment),
            **kwargs,
        )

    def perform(self, form: VariationForm) -> None:
        services.record_variation(self.deployment, actor=self.request.user, **form.cleaned_data)


class ReviewCreateView(DeploymentFormView):
    permission = "deployments.review"
    template_name = "deployments/review_form.html"
    form_class = ReviewForm
    success_message = "The progress review is recorded."

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "objectives": services.current_objectives(self.deployment)}

    def get_initial(self) -> dict:
        return {"reviewed_on": timezone.localdate()}

    def perform(self, form: ReviewForm) -> None:
        services.record_review(
            self.deployment,
            actor=self.request.user,
            reviewed_on=form.cleaned_data["reviewed_on"],
            ratings=form.ratings(),
            summary=form.cleaned_data["summary"],
            next_review_on=form.cleaned_data["next_review_on"],
        )


class EvaluationCreateView(DeploymentFormView):
    permission = "deployments.review"
    template_name = "deployments/evaluation_form.html"
    form_class = EvaluationForm
    success_message = "The final evaluation is recorded: the deployment is completed."

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "objectives": services.current_objectives(self.deployment)}

    def get_initial(self) -> dict:
        return {"evaluated_on": timezone.localdate()}

    def get_context_data(self, **kwargs) -> dict:
        is_due = self.deployment.state == DeploymentState.AWAITING_FINAL_EVALUATION
        return super().get_context_data(is_due=is_due, **kwargs)

    def perform(self, form: EvaluationForm) -> None:
        services.record_final_evaluation(
            self.deployment,
            actor=self.request.user,
            impact=form.cleaned_data["impact"],
            capacity_built=form.cleaned_data["capacity_built"],
            evaluated_on=form.cleaned_data["evaluated_on"],
            outcomes=form.outcomes(),
        )


# --- leaders' unavailability ---------------------------------------------------------------------


class LeaderMixin(LoginRequiredMixin):
    """Pages for people who hold (or held) a designation: their own periods of unavailability."""

    extra_context = {"active_nav": "my-deployments"}

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("deployments.record_unavailability"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UnavailabilityView(SubmitOnceMixin, LeaderMixin, FormView):
    template_name = "deployments/unavailability.html"
    form_class = UnavailabilityForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "instance": Unavailability(leader=self.request.user)}

    def get_context_data(self, **kwargs) -> dict:
        periods = Unavailability.objects.filter(leader=self.request.user).order_by("-starts_on")
        return super().get_context_data(periods=periods, today=timezone.localdate(), **kwargs)

    def form_valid(self, form: UnavailabilityForm) -> HttpResponse:
        period = form.save()
        messages.success(
            self.request,
            f"You are recorded as unavailable from {period.starts_on:%-d %B %Y} "
            f"to {period.ends_on:%-d %B %Y}.",
        )
        return redirect("deployments:unavailability")


class UnavailabilityDeleteView(SubmitOnceMixin, LeaderMixin, ContextMixin, View):
    template_name = "deployments/unavailability_delete.html"

    def get_period(self) -> Unavailability:
        return get_object_or_404(Unavailability, pk=self.kwargs["period_pk"], leader=self.request.user)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return render(request, self.template_name, self.get_context_data(period=self.get_period()))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.get_period().delete()
        messages.success(request, "The period of unavailability has been removed.")
        return redirect("deployments:unavailability")

"""Pages for a designation's lifecycle: training, status changes, reviews and de-designation cases.

Every action is checked with the same permission the lifecycle service checks, so a refused page
answers 403 before the service is reached; a refusal the service still makes (the designation
changed meanwhile, an invalid status change) is shown as a form error."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView
from django.views.generic.base import ContextMixin

from govuk.pagination import GovukPaginationMixin

from . import queries
from .choices import (
    CURRENT_DESIGNATION_STATUSES,
    DesignationStatus,
    ReviewOutcome,
)
from .errors import DesignationError
from .forms_lifecycle import (
    CaseDecisionForm,
    RecordReviewForm,
    ScheduleReviewForm,
    StatusChangeForm,
    TrainingRecordForm,
)
from .models import DeDesignationCase, Designation, Review
from .queries import cases_for, reviews_due_for
from .rules import manager_refusal
from .services import lifecycle

# The status pages, by the action in their URL.
STATUS_ACTIONS: dict[str, dict] = {
    "suspend": {"to": DesignationStatus.SUSPENDED, "verb": "Suspend", "past": "suspended"},
    "reinstate": {
        "to": DesignationStatus.ACTIVE, "verb": "Reinstate", "past": "reinstated",
        "confirm": "Yes, reinstate this designation: the holder can be deployed again",
    },
    "de-designate": {"to": DesignationStatus.DE_DESIGNATED, "verb": "De-designate", "past": "de-designated"},
    "lapse": {"to": DesignationStatus.LAPSED, "verb": "Lapse", "past": "lapsed"},
}


def manage_links_for(user, designation: Designation) -> list[dict]:
    """The lifecycle pages this user may open for this designation, for the manage navigation."""
    links = []
    if user.has_perm("designations.record_training", designation):
        links.append(
            {"label": "Training", "url": reverse("designations-manage:training", args=[designation.pk])}
        )
    if user.has_perm("designations.manage_reviews", designation):
        links.append(
            {"label": "Reviews", "url": reverse("designations-manage:reviews", args=[designation.pk])}
        )
    for action, spec in STATUS_ACTIONS.items():
        allowed_from = lifecycle.ALLOWED_STATUS_CHANGES[designation.status]
        permission = lifecycle.PERMISSION_FOR_STATUS[spec["to"]]
        if spec["to"] in allowed_from and user.has_perm(permission, designation):
            links.append(
                {
                    "label": spec["verb"],
                    "url": reverse("designations-manage:status", args=[designation.pk, action]),
                }
            )
    return links


def _add_service_error(form: Form, error: DesignationError) -> None:
    form.add_error(None, error.message)


# --- one designation ---------------------------------------------------------------------------


class ManageDesignationMixin(LoginRequiredMixin):
    """Loads the designation in the URL and refuses (403) anyone without `permission` on it."""

    permission = ""
    extra_context = {"active_nav": "designations"}

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.designation = get_object_or_404(
            Designation.objects.select_related(
                "holder", "school", "designation_type", "designating_organisation"
            ),
            pk=kwargs["pk"],
        )
        if not request.user.has_perm(self.get_permission(), self.designation):
            raise PermissionDenied(manager_refusal(request.user, self.designation))
        return super().dispatch(request, *args, **kwargs)

    def get_permission(self) -> str:
        return self.permission

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            designation=self.designation,
            manage_links=manage_links_for(self.request.user, self.designation),
            **kwargs,
        )


class TrainingView(ManageDesignationMixin, ContextMixin, View):
    """The training a designation's type requires, which is recorded, and a form for each other."""

    permission = "designations.record_training"
    template_name = "designations/lifecycle/training.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.render_page()

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        _, outstanding = self.training()
        requirement_pk = self._posted_requirement_pk()
        form = TrainingRecordForm(
            request.POST, outstanding=outstanding, auto_id=self._auto_id(requirement_pk)
        )
        if form.is_valid():
            try:
                lifecycle.record_training(
                    self.designation,
                    requirement=form.cleaned_data["requirement"],
                    completed_on=form.cleaned_data["completed_on"],
                    actor=request.user,
                )
            except DesignationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, f"“{form.cleaned_data['requirement'].name}” recorded as completed.")
                return redirect("designations-manage:training", pk=self.designation.pk)
        return self.render_page(bound_form=form, bound_pk=requirement_pk)

    def training(self) -> tuple[list, list]:
        records = {
            record.requirement_id: record
            for record in self.designation.training_records.select_related("recorded_by")
        }
        requirements = list(self.designation.designation_type.training_requirements.order_by("order", "name"))
        done = [{"requirement": r, "record": records[r.pk]} for r in requirements if r.pk in records]
        outstanding = [r for r in requirements if r.pk not in records]
        return done, outstanding

    @staticmethod
    def _auto_id(requirement_pk: int | None) -> str:
        """Several forms share the page: ids carry the requirement so each label finds its input."""
        return f"training-{requirement_pk}-%s" if requirement_pk is not None else "training-%s"

    def _posted_requirement_pk(self) -> int | None:
        try:
            return int(self.request.POST.get("requirement", ""))
        except ValueError:
            return None

    def render_page(
        self, *, bound_form: TrainingRecordForm | None = None, bound_pk: int | None = None
    ) -> HttpResponse:
        done, outstanding = self.training()
        outstanding_pks = {requirement.pk for requirement in outstanding}
        forms = []
        for requirement in outstanding:
            if bound_form is not None and requirement.pk == bound_pk:
                forms.append({"requirement": requirement, "form": bound_form})
            else:
                form = TrainingRecordForm(
                    initial={"requirement": requirement.pk},
                    outstanding=outstanding,
                    auto_id=self._auto_id(requirement.pk),
                )
                forms.append({"requirement": requirement, "form": form})
        context = self.get_context_data(
            done=done,
            outstanding_forms=forms,
            is_current=self.designation.status in CURRENT_DESIGNATION_STATUSES,
            unmatched_form=bound_form if bound_form is not None and bound_pk not in outstanding_pks else None,
        )
        return render(self.request, self.template_name, context)


class StatusChangeView(ManageDesignationMixin, FormView):
    """Confirms a suspension, reinstatement, de-designation or lapse, with its reason."""

    template_name = "designations/lifecycle/status_change.html"
    form_class = StatusChangeForm

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.action = STATUS_ACTIONS.get(kwargs["action"])
        if self.action is None:
            raise Http404("No such status change.")
        return super().dispatch(request, *args, **kwargs)

    def get_permission(self) -> str:
        return lifecycle.PERMISSION_FOR_STATUS[self.action["to"]]

    def get_form_kwargs(self) -> dict:
        return {
            **super().get_form_kwargs(),
            "reason_required": self.action["to"] in lifecycle.REASON_REQUIRED,
            "action_label": self.action["past"],
            "confirm_label": self.action.get("confirm", ""),
        }

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            action=self.action,
            is_ending=self.action["to"] in lifecycle.ENDING_STATUSES,
            **kwargs,
        )

    def form_valid(self, form: StatusChangeForm) -> HttpResponse:
        try:
            lifecycle.change_status(
                self.designation,
                self.action["to"],
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except DesignationError as error:
            _add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The designation has been {self.action['past']}.")
        return redirect("designations:designation-detail", pk=self.designation.pk)


class ReviewListView(ManageDesignationMixin, FormView):
    """A designation's reviews, with a form to schedule another."""

    permission = "designations.manage_reviews"
    template_name = "designations/lifecycle/reviews.html"
    form_class = ScheduleReviewForm

    def get_context_data(self, **kwargs) -> dict:
        reviews = self.designation.reviews.select_related("recorded_by").order_by("-due_on", "-pk")
        return super().get_context_data(
            reviews=reviews,
            is_current=self.designation.status in CURRENT_DESIGNATION_STATUSES,
            today=timezone.localdate(),
            **kwargs,
        )

    def form_valid(self, form: ScheduleReviewForm) -> HttpResponse:
        try:
            review = lifecycle.schedule_review(
                self.designation, due_on=form.cleaned_data["due_on"], actor=self.request.user
            )
        except DesignationError as error:
            _add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"A review is scheduled for {review.due_on:%-d %B %Y}.")
        return redirect("designations-manage:reviews", pk=self.designation.pk)


class RecordReviewView(ManageDesignationMixin, FormView):
    """Records the outcome of one review still to do."""

    permission = "designations.manage_reviews"
    template_name = "designations/lifecycle/review_record.html"
    form_class = RecordReviewForm

    def review_to_record(self, *, refuse_recorded: bool) -> Review:
        review = get_object_or_404(self.designation.reviews, pk=self.kwargs["review_pk"])
        if refuse_recorded and review.completed_on is not None:
            raise Http404("This review is already recorded.")
        review.designation = self.designation
        return review

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.review = self.review_to_record(refuse_recorded=True)
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Someone may have recorded it since the form was opened: the service's message says so.
        self.review = self.review_to_record(refuse_recorded=False)
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict:
        return {"completed_on": timezone.localdate()}

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(review=self.review, **kwargs)

    def form_valid(self, form: RecordReviewForm) -> HttpResponse:
        try:
            lifecycle.record_review(
                self.review,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                completed_on=form.cleaned_data["completed_on"],
                actor=self.request.user,
            )
        except DesignationError as error:
            _add_service_error(form, error)
            return self.form_invalid(form)
        message = "The review is recorded."
        if self.review.outcome == ReviewOutcome.CONCERNS:
            message += " A de-designation case is open for a decision."
        messages.success(self.request, message)
        return redirect("designations-manage:reviews", pk=self.designation.pk)


# --- lists across designations -----------------------------------------------------------------


class ManagerListMixin(LoginRequiredMixin, GovukPaginationMixin):
    """A list for people who manage designations: national administrators and teaching-school leads."""

    paginate_by = 25

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm("designations.manage_lifecycle"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CaseListView(ManagerListMixin, ListView):
    template_name = "designations/lifecycle/case_list.html"
    context_object_name = "cases"
    extra_context = {"active_nav": "cases"}

    def get_queryset(self) -> QuerySet[DeDesignationCase]:
        return cases_for(self.request.user)


class ReviewsDueListView(ManagerListMixin, ListView):
    template_name = "designations/lifecycle/reviews_due.html"
    context_object_name = "reviews"
    extra_context = {"active_nav": "reviews-due"}

    def get_queryset(self) -> QuerySet[Review]:
        return reviews_due_for(self.request.user, timezone.localdate())

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            today=timezone.localdate(), within_days=queries.REVIEWS_DUE_WITHIN_DAYS, **kwargs
        )


class CaseDecideView(LoginRequiredMixin, FormView):
    """Decides an open de-designation case: keep the designation, or de-designate."""

    template_name = "designations/lifecycle/case_decide.html"
    form_class = CaseDecisionForm
    extra_context = {"active_nav": "cases"}

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.case = get_object_or_404(
            DeDesignationCase.objects.select_related(*queries.LIFECYCLE_LIST_RELATIONS, "opened_by"),
            pk=kwargs["case_pk"],
        )
        if not request.user.has_perm("designations.change_designation_status", self.case.designation):
            raise PermissionDenied(manager_refusal(request.user, self.case.designation))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(case=self.case, designation=self.case.designation, **kwargs)

    def form_valid(self, form: CaseDecisionForm) -> HttpResponse:
        try:
            lifecycle.decide_case(
                self.case,
                de_designate=form.de_designates,
                notes=form.cleaned_data["notes"],
                actor=self.request.user,
            )
        except DesignationError as error:
            _add_service_error(form, error)
            return self.form_invalid(form)
        outcome = "de-designated" if form.de_designates else "kept"
        messages.success(self.request, f"Case decided: the designation is {outcome}.")
        return redirect("designations-manage:case-list")

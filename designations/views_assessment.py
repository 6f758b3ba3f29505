"""Pages for assessing applications: the assessor's queue, one application with its criteria to
judge, the decision (approving and designating confirmed on their own page first) and the training
recorded before a designation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import services
from .choices import ApplicationState, CriterionCheck
from .errors import DesignationError
from .forms_applications import (
    CONFIRMED_DECISIONS,
    DECISIONS,
    QUEUE_STATES,
    AssessmentForm,
    DecisionForm,
    QueueFilterForm,
    TrainingForm,
)
from .models import Application, CriterionResult
from .views_applications import ANSWERABLE, application_for, assessable_by, is_assessor


@login_required
def assess_queue(request: HttpRequest) -> HttpResponse:
    if not is_assessor(request.user):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    applications = assessable_by(request.user).filter(state__in=QUEUE_STATES).order_by("submitted_at", "pk")
    if form.is_valid():
        if form.cleaned_data["state"]:
            applications = applications.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["designation_type"]:
            applications = applications.filter(designation_type=form.cleaned_data["designation_type"])
    context = {"applications": applications, "form": form, "active_nav": "assess"}
    return render(request, "designations/applications/assess_queue.html", context)


def _assess_context(request: HttpRequest, application: Application, **forms) -> dict:
    designation = getattr(application, "designation", None)
    judging = application.state in services.JUDGED_STATES
    results = list(
        application.criterion_results.prefetch_related("evidence_files").select_related("assessed_by")
    )
    errors, posted = forms.get("assessment_errors", {}), forms.get("assessment_data", {})
    for result in results:
        # What each judgement form shows: what was just posted (with its error), else what is saved.
        shown = posted.get(result.pk, {"outcome": result.assessor_outcome, "note": result.assessor_note})
        result.form_outcome, result.form_note = shown["outcome"], shown["note"]
        result.form_error = errors.get(result.pk, "")
    return {
        "application": application,
        "criterion_results": results,
        "assessable": {result.pk for result in results if judging and _assessable(result)},
        "evidence_files": application.evidence_files.all(),
        "referee_requests": application.referee_requests.select_related("local_authority"),
        "transitions": application.transitions.select_related("actor"),
        "decisions": _decisions(application),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "assessment_errors": forms.get("assessment_errors", {}),
        "designation": designation,
        "training_form": forms.get("training_form") or _training_form(designation),
        "active_nav": "assess",
    }


def _assessable(result: CriterionResult) -> bool:
    return result.kind in {*ANSWERABLE, CriterionCheck.REFEREE}


def _decisions(application: Application) -> list[tuple[str, str]]:
    allowed = services.ALLOWED_TRANSITIONS.get(application.state, set())
    return [(state, label) for state, label in DECISIONS.items() if state in allowed]


def _training_form(designation, data=None) -> TrainingForm | None:
    if designation is None or designation.is_trained:
        return None
    return TrainingForm(data, designation_type=designation.designation_type)


def _assessed_application(request: HttpRequest, pk: int) -> Application:
    return application_for(request.user, pk, "designations.assess_application")


@login_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    application = _assessed_application(request, pk)
    return render(request, "designations/applications/assess.html", _assess_context(request, application))


@login_required
@require_POST
def assess_criterion(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    application = _assessed_application(request, pk)
    result = get_object_or_404(application.criterion_results, pk=result_pk)
    form = AssessmentForm(request.POST)
    error = None if form.is_valid() else next(iter(form.errors.values()))[0]
    if error is None:
        try:
            services.record_assessment(
                result,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DesignationError as refused:
            error = refused.message
    if error:
        data = {"outcome": request.POST.get("outcome", ""), "note": request.POST.get("note", "")}
        context = _assess_context(
            request, application, assessment_errors={result.pk: error}, assessment_data={result.pk: data}
        )
        return render(request, "designations/applications/assess.html", context, status=400)
    messages.success(request, f"Your judgement of “{result.label}” is recorded.")
    return redirect(reverse("applications:assess", kwargs={"pk": application.pk}) + f"#criterion-{result.pk}")


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _assessed_application(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        to_state = form.cleaned_data["to_state"]
        if _needs_confirmation(application, to_state, form):
            context = {
                "application": application,
                "to_state": to_state,
                "label": DECISIONS[to_state],
                "consequence": CONFIRMED_DECISIONS[to_state],
                "reason": form.cleaned_data["reason"],
                "active_nav": "assess",
            }
            return render(request, "designations/applications/decide_confirm.html", context)
        try:
            services.transition(application, to_state, actor=request.user, reason=form.cleaned_data["reason"])
        except DesignationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The application is now: {ApplicationState(to_state).label.lower()}.")
            return redirect("applications:assess", pk=application.pk)
    context = _assess_context(request, application, decision_form=form)
    return render(request, "designations/applications/assess.html", context, status=400)


def _needs_confirmation(application: Application, to_state: str, form: DecisionForm) -> bool:
    """Approving and designating are confirmed on their own page first, unless the decision is
    refused anyway (an approval with criteria not yet met: the refusal is shown at once)."""
    if to_state not in CONFIRMED_DECISIONS or form.cleaned_data["confirmed"]:
        return False
    if to_state in services.ALLOWED_TRANSITIONS.get(application.state, set()):
        if to_state == ApplicationState.APPROVED_PENDING_TRAINING:
            return all(result.final_outcome == "met" for result in application.criterion_results.all())
        return True
    return False


@login_required
@require_POST
def record_training(request: HttpRequest, pk: int) -> HttpResponse:
    application = _assessed_application(request, pk)
    designation = getattr(application, "designation", None)
    if designation is None:
        raise Http404("This application has no designation yet.")
    form = _training_form(designation, request.POST)
    if form is None:
        messages.success(request, "All the required training is already recorded.")
        return redirect("applications:assess", pk=application.pk)
    if form.is_valid():
        try:
            services.record_training(designation, actor=request.user, **form.cleaned_data)
        except DesignationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Training recorded: {form.cleaned_data['requirement']}.")
            return redirect("applications:assess", pk=application.pk)
    context = _assess_context(request, application, training_form=form)
    return render(request, "designations/applications/assess.html", context, status=400)

"""Pages for the application journey: open rounds and eligibility, the applicant's task list,
check your answers, withdrawal, evidence downloads, the referee's response and assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.choices import Role
from accounts.links import stash_token, stashed_token

from . import services
from .choices import ApplicationState, BrokeringRule, CriterionCheck, HolderKind
from .errors import DesignationError
from .forms_applications import (
    CONFIRMED_DECISIONS,
    DECISIONS,
    QUEUE_STATES,
    AssessmentForm,
    ChooseSchoolForm,
    DecisionForm,
    DeclarationForm,
    EvidenceForm,
    QueueFilterForm,
    RefereeForm,
    RefereeResponseForm,
    SpecialismsForm,
    StatementForm,
    TrainingForm,
    WithdrawForm,
)
from .models import Application, ApplicationRound, CriterionResult, EvidenceFile
from .queries import applications_assessable_by, exclude_own_applications, open_rounds_for, schools_of
from .rules import assessor_refusal
from .services.applications import INVALID_LINK

ANSWERABLE = (CriterionCheck.EVIDENCE, CriterionCheck.DECLARATION)
SECTIONS = {
    "school": "Your school and role",
    "specialisms": "Specialisms",
    "statement": "Your statement",
    "referee": "Referee",
}
NAV = {"active_nav": "applications"}


def _posted(request: HttpRequest):
    """The submitted data, so a form posted empty is still bound and shows its errors."""
    return request.POST if request.method == "POST" else None


# --- Looking up what a user may see --------------------------------------------------------------


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related(
        "applicant", "round__teaching_school", "designation_type", "school"
    )


def application_for(user, pk: int, permission: str = "designations.view_application") -> Application:
    """The application, or 404 when the user may not see it; 403 when they see it but may not act
    (saying why when it is their own case)."""
    application = get_object_or_404(_applications(), pk=pk)
    if not user.has_perm("designations.view_application", application):
        raise Http404("No such application.")
    if not user.has_perm(permission, application):
        if permission == "designations.assess_application":
            raise PermissionDenied(assessor_refusal(user, application))
        raise PermissionDenied
    return application


def is_assessor(user) -> bool:
    return user.is_national_administrator or bool(user.organisations_with_role(Role.TEACHING_SCHOOL_LEAD))


def assessable_by(user) -> QuerySet[Application]:
    """The applications the user assesses: those they oversee, less their own cases."""
    return exclude_own_applications(user, applications_assessable_by(user, _applications()))


def _open_round(user, pk: int) -> ApplicationRound:
    return get_object_or_404(
        open_rounds_for(user, timezone.localdate()).select_related("designation_type"), pk=pk
    )


def _answerable_results(application: Application) -> list[CriterionResult]:
    return list(application.criterion_results.filter(kind__in=ANSWERABLE).prefetch_related("evidence_files"))


# --- Rounds and eligibility ----------------------------------------------------------------------


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = open_rounds_for(request.user, timezone.localdate()).select_related("designation_type")
    return render(request, "designations/applications/round_list.html", {"rounds": rounds, **NAV})


@login_required
def eligibility_preview(request: HttpRequest, round_pk: int) -> HttpResponse:
    application_round = _open_round(request.user, round_pk)
    today = timezone.localdate()
    previews = [
        (school, services.preview(request.user, school, application_round.designation_type, today=today))
        for school in schools_of(request.user, today)
    ]
    context = {"application_round": application_round, "previews": previews, **NAV}
    return render(request, "designations/applications/eligibility_preview.html", context)


@login_required
def start(request: HttpRequest, round_pk: int) -> HttpResponse:
    application_round = _open_round(request.user, round_pk)
    schools = schools_of(request.user, timezone.localdate())
    initial = {"school": schools[0].pk} if len(schools) == 1 else {}
    form = ChooseSchoolForm(_posted(request), schools=schools, initial=initial)
    if request.method == "POST":
        return _start_with(request, application_round, form)
    context = {
        "application_round": application_round,
        "form": form,
        "single_school": len(schools) == 1,
        **NAV,
    }
    return render(request, "designations/applications/start.html", context)


def _start_with(
    request: HttpRequest, application_round: ApplicationRound, form: ChooseSchoolForm
) -> HttpResponse:
    if form.is_valid():
        try:
            application = services.start_application(
                applicant=request.user, round=application_round, school=form.cleaned_data["school"]
            )
        except DesignationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"Your {application_round.designation_type.name} application is started."
            )
            return redirect("applications:task-list", pk=application.pk)
    context = {"application_round": application_round, "form": form, "single_school": False, **NAV}
    return render(request, "designations/applications/start.html", context)


# --- The applicant's application -----------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    applications = _applications().filter(applicant=request.user).order_by("-created_at")
    return render(
        request, "designations/applications/application_list.html", {"applications": applications, **NAV}
    )


def _section_status(application: Application, results: list[CriterionResult]) -> dict[str, bool]:
    return {
        "school": True,
        "specialisms": application.specialisms.exists(),
        "statement": bool(application.statement.strip()),
        "referee": bool(application.referee_email),
        "evidence": all(result.applicant_response or result.evidence_files.all() for result in results),
    }


@login_required
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    results = _answerable_results(application)
    context = {
        "application": application,
        "answerable": results,
        "completed": _section_status(application, results),
        "criterion_results": application.criterion_results.all(),
        "can_change": request.user.has_perm("designations.change_application", application),
        "can_withdraw": request.user.has_perm("designations.withdraw_application", application),
        "needs_specialisms": _needs_specialisms(application),
        **NAV,
    }
    return render(request, "designations/applications/task_list.html", context)


def _needs_specialisms(application: Application) -> bool:
    """Leaders deployed to support other schools offer specialisms; schools and governors do not."""
    designation_type = application.designation_type
    return designation_type.holder_kind == HolderKind.PERSON and designation_type.brokering_rule in {
        BrokeringRule.TEACHING_SCHOOL_POOL,
        BrokeringRule.LOCAL_BROKERS,
    }


def _section_form(application: Application, section: str, data=None):
    if section == "school":
        schools = schools_of(application.applicant, timezone.localdate())
        return ChooseSchoolForm(data, schools=schools, initial={"school": application.school_id})
    if section == "specialisms":
        return SpecialismsForm(data, initial={"specialisms": list(application.specialisms.all())})
    if section == "statement":
        return StatementForm(data, initial={"statement": application.statement})
    initial = {name: getattr(application, name) for name in RefereeForm.base_fields}
    referee_criteria = application.criterion_results.filter(kind=CriterionCheck.REFEREE)
    return RefereeForm(
        data,
        initial=initial,
        expectations=[result.label for result in referee_criteria],
        needs_local_authority=services.needs_local_authority_referee(application),
    )


@login_required
def section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in SECTIONS:
        raise Http404("No such section.")
    application = application_for(request.user, pk, "designations.change_application")
    form = _section_form(application, section, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft(application, actor=request.user, **form.cleaned_data)
        except DesignationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"{SECTIONS[section]}: saved. You can come back to your application later."
            )
            return redirect("applications:task-list", pk=application.pk)
    context = {
        "application": application,
        "form": form,
        "section": section,
        "title": SECTIONS[section],
        **NAV,
    }
    return render(request, "designations/applications/section.html", context)


@login_required
def criterion_response(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    application = application_for(request.user, pk, "designations.change_application")
    result = get_object_or_404(application.criterion_results.filter(kind__in=ANSWERABLE), pk=result_pk)
    form = _response_form(result, request)
    if request.method == "POST" and form.is_valid() and _save_response(request, application, result, form):
        messages.success(request, f"Your answer to “{result.label}” is saved.")
        return redirect("applications:task-list", pk=application.pk)
    context = {"application": application, "result": result, "form": form, **NAV}
    return render(request, "designations/applications/criterion_response.html", context)


def _response_form(result: CriterionResult, request: HttpRequest):
    data = _posted(request)
    if result.kind == CriterionCheck.DECLARATION:
        return DeclarationForm(data, initial={"confirm": bool(result.applicant_response)})
    files = request.FILES if request.method == "POST" else None
    has_files = result.evidence_files.exists()
    return EvidenceForm(data, files, initial={"response": result.applicant_response}, has_files=has_files)


def _save_response(request: HttpRequest, application: Application, result: CriterionResult, form) -> bool:
    try:
        if result.kind == CriterionCheck.DECLARATION:
            services.record_response(result, response=f"Confirmed: {result.label}", actor=request.user)
            return True
        uploaded = form.cleaned_data.get("file")
        if uploaded:
            services.attach_evidence(
                application, uploaded_file=uploaded, actor=request.user, criterion_result=result
            )
        response = form.cleaned_data.get("response", "")
        if response.strip() or not uploaded:
            services.record_response(result, response=response, actor=request.user)
    except DesignationError as error:
        field = "file" if result.kind == CriterionCheck.EVIDENCE and form.cleaned_data.get("file") else None
        form.add_error(field, error.message)
        return False
    return True


@login_required
def check_answers(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk)
    errors: list[str] = []
    if request.method == "POST":
        if not request.user.has_perm("designations.submit_application", application):
            raise PermissionDenied
        try:
            services.submit(application, actor=request.user)
        except DesignationError as error:
            errors.append(error.message)
        else:
            messages.success(
                request, "Your application has been submitted. We have emailed you a confirmation."
            )
            return redirect("applications:task-list", pk=application.pk)
    context = {
        "application": application,
        "answerable": _answerable_results(application),
        "criterion_results": application.criterion_results.all(),
        "can_submit": request.user.has_perm("designations.submit_application", application),
        "submit_errors": errors,
        **NAV,
    }
    return render(request, "designations/applications/check_answers.html", context)


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request.user, pk, "designations.withdraw_application")
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(application, actor=request.user, reason=form.cleaned_data["reason"])
        except DesignationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The application has been withdrawn.")
            return redirect("applications:task-list", pk=application.pk)
    return render(
        request, "designations/applications/withdraw.html", {"application": application, "form": form, **NAV}
    )


@login_required
def evidence_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    application = get_object_or_404(_applications(), pk=pk)
    if not request.user.has_perm("designations.view_evidence", application):
        raise Http404("No such file.")
    evidence = get_object_or_404(EvidenceFile, pk=file_pk, application=application)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is no longer stored.") from error
    return FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )


# --- The referee ---------------------------------------------------------------------------------


def referee_link(request: HttpRequest, token: str) -> HttpResponse:
    return stash_token(request, "referee", token, "applications:referee-response")


def referee_response(request: HttpRequest) -> HttpResponse:
    try:
        referee_request = services.referee_request_from_token(stashed_token(request, "referee"))
    except DesignationError as error:
        status = 404 if error.message == INVALID_LINK else 410
        return render(
            request, "designations/referee/link_unusable.html", {"message": error.message}, status=status
        )
    form = RefereeResponseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_reference(referee_request, **form.cleaned_data)
        except DesignationError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "designations/referee/thanks.html", {"referee_request": referee_request})
    context = {"referee_request": referee_request, "application": referee_request.application, "form": form}
    return render(request, "designations/referee/response.html", context)


# --- Assessment ----------------------------------------------------------------------------------


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

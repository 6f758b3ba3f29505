"""Pages for the application journey: open rounds and eligibility, the applicant's task list,
check your answers, withdrawal, evidence downloads and the referee's response; and the lookups the
assessor's pages (``views_assessment``) share with them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.choices import Role
from accounts.links import stash_token, stashed_token

from . import services
from .choices import BrokeringRule, CriterionCheck, HolderKind
from .errors import DesignationError
from .forms_applications import (
    ChooseSchoolForm,
    DeclarationForm,
    EvidenceForm,
    RefereeForm,
    RefereeResponseForm,
    SpecialismsForm,
    StatementForm,
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

"""Applications: starting and editing a draft, the state machine (the one door for every state
change), assessors' judgements, referee requests and evidence files."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import get_valid_filename

from accounts.models import User
from apiformat.timestamps import touch
from schools.models import School

from .. import emails
from ..choices import (
    AUTOMATIC_CHECKS,
    CURRENT_DESIGNATION_STATUSES,
    LIVE_APPLICATION_STATES,
    UNDECIDED_APPLICATION_STATES,
    ApplicationState,
    CriterionCheck,
    CriterionOutcome,
    HolderKind,
    RefereeRecommendation,
)
from ..errors import DesignationError, InvalidTransition, NotIndependent, validated
from ..models import (
    Application,
    ApplicationRound,
    ApplicationTransition,
    CriterionResult,
    Designation,
    EvidenceFile,
    RefereeRequest,
    Specialism,
)
from ..rules import assessor_refusal, own_school_ids
from ..validators import validate_evidence_file
from . import eligibility
from .lifecycle import designate

__all__ = [
    "ALLOWED_TRANSITIONS",
    "attach_evidence",
    "check_referee",
    "needs_local_authority_referee",
    "record_assessment",
    "record_reference",
    "record_response",
    "referee_link",
    "referee_request_from_token",
    "send_referee_request",
    "start_application",
    "submit",
    "transition",
    "update_draft",
    "withdraw",
]

State = ApplicationState

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    State.DRAFT: {State.SUBMITTED, State.WITHDRAWN},
    State.SUBMITTED: {State.AWAITING_REFEREE, State.UNDER_ASSESSMENT, State.WITHDRAWN},
    State.AWAITING_REFEREE: {State.UNDER_ASSESSMENT, State.WITHDRAWN},
    State.UNDER_ASSESSMENT: {State.APPROVED_PENDING_TRAINING, State.REJECTED, State.WITHDRAWN},
    State.APPROVED_PENDING_TRAINING: {State.DESIGNATED, State.WITHDRAWN},
    State.DESIGNATED: set(),
    State.REJECTED: set(),
    State.WITHDRAWN: set(),
}

# The permission an actor needs to move an application into each state.
PERMISSION_BY_TARGET = {
    State.SUBMITTED: "designations.submit_application",
    State.WITHDRAWN: "designations.withdraw_application",
}
ASSESS_PERMISSION = "designations.assess_application"
CHANGE_PERMISSION = "designations.change_application"
DECIDED_STATES = {State.APPROVED_PENDING_TRAINING, State.REJECTED}
# Criteria are judged while the application is with the assessors, and no longer once it is decided.
JUDGED_STATES = {State.SUBMITTED, State.AWAITING_REFEREE, State.UNDER_ASSESSMENT}
ASSESSOR_NOTE_MAX_LENGTH = 2000
REFEREE_FIELDS = {
    "referee_name", "referee_email", "referee_role", "referee_organisation", "referee_local_authority"
}
DRAFT_FIELDS = {"statement", "school", "specialisms", *REFEREE_FIELDS}

REFEREE_SALT = "designations.referee"
INVALID_LINK = "This reference link is not valid. Check you copied the whole link."


# --- Starting and editing ------------------------------------------------------------------------


def start_application(
    *, applicant, round: ApplicationRound, school: School, today: datetime.date | None = None
) -> Application:
    """Start a draft application, then judge it.

    Refused when the round is not open today, the applicant already has a live application in
    the round or a current designation of the type, or the school is outside the round's area.
    """
    today = today or timezone.localdate()
    _check_round_open(round, today)
    if not round.designation_type.is_active:
        raise DesignationError(f"{round.designation_type.name} is no longer open to applications.")
    _check_school_in_round_area(round, school)
    _check_no_live_application(applicant, round)
    _check_no_current_designation(applicant, school, round)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                applicant=applicant, round=round, designation_type=round.designation_type, school=school
            )
    except IntegrityError as error:  # a second request raced past the check above
        raise DesignationError(_live_application_message(round)) from error
    eligibility.evaluate(application, today=today)
    return application


def update_draft(application: Application, *, actor, **fields: Any) -> Application:
    """Change the draft's answers (statement, referee, school, specialisms), then re-judge it."""
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise DesignationError(f"These answers cannot be changed: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = _locked(application)
        _require(actor, CHANGE_PERMISSION, locked, "Only the applicant can change a draft.")
        specialisms = fields.pop("specialisms", None)
        if "school" in fields and fields["school"] != locked.school:
            _check_school_in_round_area(locked.round, fields["school"])
        if fields.get("referee_email"):
            _check_email(fields["referee_email"])
        for name, value in fields.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        if REFEREE_FIELDS & set(fields) or "school" in fields:
            check_referee(locked)
        if fields:
            validated(locked, fields=fields)
            locked.save(update_fields=list(fields))
        if specialisms is not None:
            locked.specialisms.set(_specialisms(specialisms))
            touch(Application.objects.filter(pk=locked.pk))  # the API shows its specialisms
        eligibility.evaluate(locked)
    return locked


def record_response(result: CriterionResult, *, response: str, actor) -> CriterionResult:
    """The applicant's description of their evidence, or their declaration, for one criterion."""
    if result.kind not in {CriterionCheck.EVIDENCE, CriterionCheck.DECLARATION}:
        raise DesignationError("Only evidence and declaration criteria take an answer from the applicant.")
    with transaction.atomic():
        application = _locked(result.application)
        _require(actor, CHANGE_PERMISSION, application, "Only the applicant can change a draft.")
        _save_result_field(result, "applicant_response", response.strip())
        eligibility.evaluate(application)
    result.refresh_from_db()
    return result


# --- The state machine ---------------------------------------------------------------------------


def submit(application: Application, *, actor) -> Application:
    """Submit a draft.

    Side effects, in order: the submission is recorded; a referee is asked (→ awaiting referee)
    when one is named, otherwise the application goes to assessment; on commit, the applicant is
    emailed, and the referee too.
    """
    with transaction.atomic():
        submitted = transition(application, State.SUBMITTED, actor=actor)
        if submitted.referee_email:
            send_referee_request(submitted)
            awaiting = _move(
                submitted, State.AWAITING_REFEREE, actor=actor, reason="Referee asked to respond."
            )
            eligibility.evaluate(awaiting)
            return awaiting
        return _move(submitted, State.UNDER_ASSESSMENT, actor=actor, reason="No referee to wait for.")


def withdraw(application: Application, *, actor, reason: str = "") -> Application:
    return transition(application, State.WITHDRAWN, actor=actor, reason=reason)


def transition(application: Application, to_state: str, *, actor, reason: str = "") -> Application:
    """Move an application to another state: the one door for every state change.

    Checks that the move is allowed from the current state and that the actor may make it, then,
    under a row lock, applies it, records who/when/why and schedules emails for after commit.
    Moving to designated creates the designation (lifecycle.designate).
    """
    with transaction.atomic():
        locked = _locked(application)
        _check_allowed(locked.state, to_state)
        permission = PERMISSION_BY_TARGET.get(to_state, ASSESS_PERMISSION)
        if permission == ASSESS_PERMISSION:
            _require_independent(actor, locked)
        _require(actor, permission, locked, _refusal_message(to_state))
        moved = _move(locked, to_state, actor=actor, reason=reason)
    application.refresh_from_db()
    return moved


def record_assessment(result: CriterionResult, *, outcome: str, note: str = "", actor) -> CriterionResult:
    """An assessor's judgement of one evidence, declaration or referee criterion, with the written
    note that says why (required); who judged it and when are recorded with it."""
    if outcome not in {CriterionOutcome.MET, CriterionOutcome.NOT_MET}:
        raise DesignationError("Choose whether the criterion is met or not met.")
    if result.kind in AUTOMATIC_CHECKS:
        raise DesignationError(
            "This criterion is judged automatically from known facts: correct the facts instead."
        )
    with transaction.atomic():
        application = _locked(result.application)
        _require_independent(actor, application)
        _require(actor, ASSESS_PERMISSION, application, "You cannot assess this application.")
        if application.state not in JUDGED_STATES:
            raise InvalidTransition(
                f"An application that is {application.get_state_display().lower()} cannot be assessed."
            )
        note = _assessor_note(note)
        _save_result_fields(
            result,
            assessor_outcome=outcome,
            assessor_note=note,
            assessed_by=actor,
            assessed_at=timezone.now(),
        )
    result.refresh_from_db()
    return result


def _assessor_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise DesignationError("Write a note saying why the criterion is met or not met.")
    if len(note) > ASSESSOR_NOTE_MAX_LENGTH:
        raise DesignationError(f"The note must be {ASSESSOR_NOTE_MAX_LENGTH:,} characters or fewer.")
    return note


def _save_result_field(result: CriterionResult, name: str, value: str) -> None:
    _save_result_fields(result, **{name: value})


def _save_result_fields(result: CriterionResult, **values: Any) -> None:
    """Save fields of a result through the model, so its history records the change."""
    fresh = CriterionResult.objects.get(pk=result.pk)
    for name, value in values.items():
        setattr(fresh, name, value)
    fresh.save(update_fields=list(values))
    touch(Application.objects.filter(pk=fresh.application_id))  # the API shows its results


def _move(locked: Application, to_state: str, *, actor, reason: str) -> Application:
    """Apply an allowed move to a locked application (no permission check: callers do it)."""
    _check_allowed(locked.state, to_state)
    from_state = locked.state
    today = timezone.localdate()
    before_move = GUARDS.get(to_state)
    if before_move:
        before_move(locked, today=today, reason=reason)
    if to_state == State.DESIGNATED:
        designate(locked, actor=actor)
    locked.state = to_state
    changed = ["state"]
    if to_state == State.SUBMITTED:
        locked.submitted_at = timezone.now()
        changed.append("submitted_at")
    if to_state in DECIDED_STATES:
        locked.decided_at, locked.decision_reason = timezone.now(), reason.strip()
        changed += ["decided_at", "decision_reason"]
    validated(locked, fields=changed)
    locked.save(update_fields=changed)
    ApplicationTransition.objects.create(
        application=locked, from_state=from_state, to_state=to_state, actor=actor, reason=reason.strip()
    )
    _schedule_emails(locked, to_state)
    return locked


def _guard_submission(application: Application, *, today: datetime.date, reason: str) -> None:
    _check_round_open(application.round, today)
    eligibility.evaluate(application, today=today)
    missing = _missing_answers(application)
    if missing:
        raise DesignationError("Before you submit: " + "; ".join(missing) + ".")
    check_referee(application)


def _guard_approval(application: Application, *, today: datetime.date, reason: str) -> None:
    results = eligibility.evaluate(application, today=today)
    unmet = [result.label for result in results if result.final_outcome != CriterionOutcome.MET]
    if unmet:
        raise DesignationError(
            "An application can be approved only when every criterion is met. Not yet met: "
            + "; ".join(unmet)
            + "."
        )


def _guard_rejection(application: Application, *, today: datetime.date, reason: str) -> None:
    if not reason.strip():
        raise DesignationError("Give the reason for rejecting the application: the applicant is told it.")


GUARDS: dict[str, Callable[..., None]] = {
    State.SUBMITTED: _guard_submission,
    State.APPROVED_PENDING_TRAINING: _guard_approval,
    State.REJECTED: _guard_rejection,
}


def _missing_answers(application: Application) -> list[str]:
    missing = []
    results = application.criterion_results.prefetch_related("evidence_files")
    for result in results:
        answered = result.applicant_response.strip() or result.evidence_files.all()
        if result.kind == CriterionCheck.DECLARATION and not answered:
            missing.append(f"confirm “{result.label}”")
        elif result.kind == CriterionCheck.EVIDENCE and not answered:
            missing.append(f"give your evidence for “{result.label}”")
        elif result.kind == CriterionCheck.REFEREE and not _referee_named(application):
            missing.append("name your referee and give their email address")
    return missing


def _schedule_emails(application: Application, to_state: str) -> None:
    if to_state == State.SUBMITTED:
        transaction.on_commit(lambda: emails.application_submitted(_fresh(application)))
    elif to_state in DECIDED_STATES:
        transaction.on_commit(lambda: emails.application_decided(_fresh(application)))


def _fresh(application: Application) -> Application:
    return Application.objects.select_related("applicant", "round", "designation_type", "school").get(
        pk=application.pk
    )


# --- Referees ------------------------------------------------------------------------------------


def needs_local_authority_referee(application: Application) -> bool:
    """One of the application's referee criteria asks for a local authority referee (LLEs)."""
    return application.criterion_results.filter(
        kind=CriterionCheck.REFEREE, parameters__local_authority_referee=True
    ).exists()


def check_referee(application: Application) -> None:
    """The named referee is independent of the applicant: another person (not their email, not
    their account), not at the applicant's school, and, where the type asks for a local authority
    referee, working for a named local authority. Nothing to check until an email is given."""
    email = (application.referee_email or "").strip()
    if not email:
        return
    applicant = application.applicant
    account = User.objects.filter(email__iexact=email).first()
    if email.casefold() == (applicant.email or "").casefold() or (account and account.pk == applicant.pk):
        raise DesignationError("You cannot be your own referee: name another person who knows your work.")
    school = application.school
    if _works_at(account, school) or _is_school_name(application.referee_organisation, school):
        raise DesignationError(
            f"Your referee must not work at your school, {school.name}: name someone from outside it."
        )
    if _school_domain(school) and email.rsplit("@", 1)[-1].casefold() == _school_domain(school):
        raise DesignationError(
            f"Your referee's email address is at your school, {school.name}: name someone from outside it."
        )
    if application.referee_local_authority_id is None and needs_local_authority_referee(application):
        raise DesignationError(
            f"A {application.designation_type.name.lower()} needs a local authority referee: "
            "choose the local authority your referee works for."
        )


def _works_at(account, school: School) -> bool:
    return account is not None and school.pk in own_school_ids(account)


def _is_school_name(organisation: str, school: School) -> bool:
    return " ".join((organisation or "").split()).casefold() == " ".join(school.name.split()).casefold()


def _school_domain(school: School) -> str:
    """The school's web address as an email domain (www.oak.sch.uk → oak.sch.uk), or ""."""
    host = (school.website or "").strip().casefold()
    host = host.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    host = host.removeprefix("www.")
    return host if "." in host else ""


def send_referee_request(application: Application) -> RefereeRequest:
    """Ask the application's referee to respond; the email with the link goes on commit. The request
    keeps who was asked (name, email, role, organisation, authority) for the assessor."""
    if not (application.referee_name and application.referee_email):
        raise DesignationError("Name a referee and give their email address first.")
    check_referee(application)
    now = timezone.now()
    authority = application.referee_local_authority
    request = RefereeRequest.objects.create(
        application=application,
        name=application.referee_name,
        email=application.referee_email,
        role=application.referee_role,
        organisation=application.referee_organisation or (authority.name if authority else ""),
        local_authority=authority,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=_referee_link_days()),
    )
    link = referee_link(request)
    transaction.on_commit(lambda: emails.referee_request(request, link=link))
    return request


def referee_token(request: RefereeRequest) -> str:
    return signing.TimestampSigner(salt=REFEREE_SALT).sign(str(request.pk))


def referee_link(request: RefereeRequest) -> str:
    """The absolute address of the referee's response page for this request."""
    token = referee_token(request)
    try:
        path = reverse("applications:referee-link", kwargs={"token": token})
    except NoReverseMatch:
        path = f"/applications/reference/{token}/"
    return emails.site_url() + path


def referee_request_from_token(token: str, *, max_age: datetime.timedelta | None = None) -> RefereeRequest:
    """The request a referee's link points at, if the link is genuine, unexpired and unused."""
    max_age = max_age if max_age is not None else datetime.timedelta(days=_referee_link_days())
    signer = signing.TimestampSigner(salt=REFEREE_SALT)
    try:
        request_id = signer.unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise DesignationError(
            "This reference link has expired. Ask the applicant to contact the assessors for a new one."
        ) from error
    except signing.BadSignature as error:
        raise DesignationError(INVALID_LINK) from error
    request = RefereeRequest.objects.select_related("application__applicant", "application__school").filter(
        pk=request_id
    ).first()
    if request is None:
        raise DesignationError(INVALID_LINK)
    _check_request_usable(request)
    return request


def record_reference(request: RefereeRequest, *, recommendation: str, evidence: str) -> RefereeRequest:
    """Record the referee's response (once), re-judge the application and move it to assessment."""
    if recommendation not in RefereeRecommendation.values:
        raise DesignationError("Say whether you support the application.")
    if not evidence.strip():
        raise DesignationError("Give your evidence of the applicant's impact.")
    with transaction.atomic():
        locked = RefereeRequest.objects.select_for_update().get(pk=request.pk)
        _check_request_usable(locked)
        locked.recommendation, locked.evidence = recommendation, evidence.strip()
        locked.responded_at = timezone.now()
        validated(locked, fields=["recommendation", "evidence"])
        locked.save(update_fields=["recommendation", "evidence", "responded_at"])
        application = _locked(locked.application)
        eligibility.evaluate(application)
        if application.state == State.AWAITING_REFEREE:
            reason = f"Reference received from {locked.name}."
            _move(application, State.UNDER_ASSESSMENT, actor=None, reason=reason)
    return locked


def _check_request_usable(request: RefereeRequest) -> None:
    if request.responded_at:
        raise DesignationError("This reference has already been given. Each link can be used once.")
    if request.expires_at <= timezone.now():
        raise DesignationError(
            "This reference link has expired. Ask the applicant to contact the assessors for a new one."
        )
    if request.application.state not in UNDECIDED_APPLICATION_STATES:
        raise DesignationError(
            f"This application is {request.application.get_state_display().lower()}: "
            "a reference is no longer needed."
        )


def _referee_link_days() -> int:
    return settings.REFEREE_LINK_DAYS


# --- Evidence files ------------------------------------------------------------------------------


def attach_evidence(
    application: Application,
    *,
    uploaded_file: UploadedFile,
    actor,
    criterion_result: CriterionResult | None = None,
) -> EvidenceFile:
    """Store an evidence file for the draft (through the default storage, never public)."""
    if criterion_result is not None and criterion_result.application_id != application.pk:
        raise DesignationError("That criterion belongs to another application.")
    try:
        content_type = validate_evidence_file(uploaded_file)
    except ValidationError as error:
        raise DesignationError(error.messages[0]) from error
    with transaction.atomic():
        locked = _locked(application)
        _require(actor, CHANGE_PERMISSION, locked, "Only the applicant can add evidence to a draft.")
        original_name = (uploaded_file.name or "evidence").rsplit("/", 1)[-1][:255]
        evidence = EvidenceFile(
            application=locked,
            criterion_result=criterion_result,
            original_name=original_name,
            content_type=content_type,
            size=uploaded_file.size,
            uploaded_by=actor,
        )
        evidence.file.save(get_valid_filename(original_name) or "evidence", uploaded_file, save=False)
        evidence.save()
        eligibility.evaluate(locked)
    return evidence


# --- Checks --------------------------------------------------------------------------------------


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "round", "designation_type", "school")
        .get(pk=application.pk)
    )


def _require_independent(actor, application: Application) -> None:
    refusal = assessor_refusal(actor, application)
    if refusal:
        raise NotIndependent(refusal)


def _require(actor, permission: str, application: Application, message: str) -> None:
    if actor is None or not actor.has_perm(permission, application):
        raise DesignationError(message)


def _refusal_message(to_state: str) -> str:
    if to_state == State.SUBMITTED:
        return "Only the applicant can submit their application."
    if to_state == State.WITHDRAWN:
        return "You cannot withdraw this application."
    return "You cannot assess or decide this application."


def _check_allowed(from_state: str, to_state: str) -> None:
    if to_state not in ALLOWED_TRANSITIONS.get(from_state, set()):
        raise InvalidTransition(
            f"An application that is {State(from_state).label.lower()} cannot be moved to "
            f"“{State(to_state).label.lower()}”."
            if to_state in State.values
            else f"“{to_state}” is not an application state."
        )


def _check_round_open(round: ApplicationRound, today: datetime.date) -> None:
    if today < round.opens_on:
        raise DesignationError(f"{round.name} opens for applications on {_date(round.opens_on)}.")
    if today > round.last_day:
        raise DesignationError(f"{round.name} closed for applications on {_date(round.last_day)}.")


def _check_school_in_round_area(round: ApplicationRound, school: School) -> None:
    if round.local_authority_id and school.local_authority_id != round.local_authority_id:
        raise DesignationError(
            f"{round.name} is only for schools in {round.local_authority.name}; {school.name} is not."
        )
    if round.region:
        region = school.region or (school.local_authority.region if school.local_authority else "")
        if region != round.region:
            raise DesignationError(
                f"{round.name} is only for schools in {round.region}; {school.name} is not."
            )


def _check_no_live_application(applicant, round: ApplicationRound) -> None:
    live = Application.objects.filter(state__in=sorted(LIVE_APPLICATION_STATES))
    if live.filter(applicant=applicant, round=round).exists():
        raise DesignationError(_live_application_message(round))


def _live_application_message(round: ApplicationRound) -> str:
    return (
        f"You already have an application in {round.name}. "
        "Continue that application, or withdraw it before starting another."
    )


def _check_no_current_designation(applicant, school: School, round: ApplicationRound) -> None:
    designation_type = round.designation_type
    current = Designation.objects.filter(
        designation_type=designation_type, status__in=sorted(CURRENT_DESIGNATION_STATUSES)
    )
    if designation_type.holder_kind == HolderKind.SCHOOL:
        if current.filter(school=school).exists():
            raise DesignationError(f"{school.name} is already a {designation_type.name.lower()}.")
    elif current.filter(holder=applicant).exists():
        raise DesignationError(
            f"You are already a {designation_type.name.lower()}: you cannot apply again while that "
            "designation is current."
        )


def _referee_named(application: Application) -> bool:
    return bool(application.referee_name and application.referee_email)


def _check_email(address: str) -> None:
    try:
        validate_email(address)
    except ValidationError as error:
        raise DesignationError(
            "Enter the referee's email address in the correct format, like name@example.org."
        ) from error


def _specialisms(values) -> list[Specialism]:
    specialisms = list(values)
    ids = [s.pk if isinstance(s, Specialism) else s for s in specialisms]
    found = list(Specialism.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DesignationError("Choose specialisms from the list.")
    return found


def _date(day: datetime.date) -> str:
    return format_date(day, "j F Y")

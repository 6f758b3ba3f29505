"""A designation's life after approval: designation, training, status changes, national support
schools, reviews and de-designation cases. Every status change goes through `change_status`."""

from __future__ import annotations

import calendar
import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.choices import OrganisationKind
from accounts.models import Organisation
from accounts.services import ask_to_set_password
from changefeed import services as changefeed
from changefeed.choices import EventType
from schools.models import School

from .. import emails
from ..choices import (
    CURRENT_DESIGNATION_STATUSES,
    ApplicationState,
    CaseReason,
    CaseStatus,
    DesignatingBody,
    DesignationStatus,
    HolderKind,
    ReviewOutcome,
)
from ..errors import DesignationError, InvalidTransition, NotIndependent, validated
from ..models import (
    Application,
    DeDesignationCase,
    Designation,
    DesignationStatusChange,
    NationalSupportSchool,
    OfstedRule,
    Review,
    TrainingRecord,
    TrainingRequirement,
)
from ..rules import manager_refusal

Status = DesignationStatus

ALLOWED_STATUS_CHANGES: dict[str, set[str]] = {
    Status.ACTIVE: {Status.SUSPENDED, Status.LAPSED, Status.DE_DESIGNATED},
    Status.SUSPENDED: {Status.ACTIVE, Status.LAPSED, Status.DE_DESIGNATED},
    Status.LAPSED: set(),
    Status.DE_DESIGNATED: set(),
}
ENDING_STATUSES = {Status.LAPSED, Status.DE_DESIGNATED}
REASON_REQUIRED = {Status.SUSPENDED, Status.DE_DESIGNATED, Status.LAPSED}
# Lapsing is the national body's call; the other changes a designating teaching school may make too.
PERMISSION_FOR_STATUS = {
    Status.ACTIVE: "designations.change_designation_status",
    Status.SUSPENDED: "designations.change_designation_status",
    Status.DE_DESIGNATED: "designations.change_designation_status",
    Status.LAPSED: "designations.lapse_designation",
}
STATUS_VERBS = {
    Status.ACTIVE: "reinstated",
    Status.SUSPENDED: "suspended",
    Status.LAPSED: "lapsed",
    Status.DE_DESIGNATED: "de-designated",
}
DESIGNATABLE_APPLICATION_STATES = {ApplicationState.APPROVED_PENDING_TRAINING, ApplicationState.DESIGNATED}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _a_status(designation: Designation) -> str:
    """ "An active", "A suspended": the status with its article, to start a message."""
    label = designation.get_status_display().lower()
    return f"{'An' if label[0] in 'aeiou' else 'A'} {label}"


def _require_permission(actor, permission: str, designation: Designation, action: str) -> None:
    refusal = manager_refusal(actor, designation)
    if refusal:
        raise NotIndependent(refusal)
    if actor is None or not actor.has_perm(permission, designation):
        raise DesignationError(f"You are not allowed to {action} this designation.")


# --- designation -------------------------------------------------------------------------------


def designating_organisation_for(application: Application) -> Organisation:
    """The national body, or the teaching school whose round the applicant applied through."""
    if application.designation_type.designating_body == DesignatingBody.TEACHING_SCHOOL:
        if application.round.teaching_school_id is None:
            raise DesignationError(
                f"The round “{application.round}” names no teaching school to designate through."
            )
        return application.round.teaching_school
    national_body = (
        Organisation.objects.filter(kind=OrganisationKind.NATIONAL_BODY, is_active=True)
        .order_by("pk")
        .first()
    )
    if national_body is None:
        raise DesignationError("There is no active national body organisation to designate through.")
    return national_body


def designate(application: Application, *, actor, on: datetime.date | None = None) -> Designation:
    """Makes the designation an approved application asked for.

    Side effects, in order: the Designation (trained at once when its type needs no training)
    with the application's specialisms, its first Review, a NationalSupportSchool period when
    the type makes one, and, after commit, an email to the holder. The application's own state
    is the application state machine's business, not this function's.
    """
    on = on or timezone.localdate()
    designation_type = application.designation_type
    if application.state not in DESIGNATABLE_APPLICATION_STATES:
        raise InvalidTransition(
            f"Only an approved application can lead to a designation; this one is "
            f"{application.get_state_display().lower()}."
        )
    if Designation.objects.filter(application=application).exists():
        raise DesignationError("This application has already led to a designation.")
    holder = None if designation_type.holder_kind == HolderKind.SCHOOL else application.applicant
    _refuse_second_current_designation(designation_type, holder, application.school)
    next_review_on = add_months(on, designation_type.review_interval_months)
    with transaction.atomic():
        try:
            with transaction.atomic():
                designation = Designation.objects.create(
                    holder=holder,
                    school=application.school,
                    designation_type=designation_type,
                    application=application,
                    designating_organisation=designating_organisation_for(application),
                    designated_on=on,
                    term_ends_on=add_months(on, designation_type.term_months)
                    if designation_type.term_months
                    else None,
                    next_review_on=next_review_on,
                    training_completed_on=None if designation_type.training_requirements.exists() else on,
                )
        except IntegrityError as error:
            raise DesignationError(
                f"{holder} already holds a current {designation_type.code} designation."
            ) from error
        designation.specialisms.set(application.specialisms.all())
        Review.objects.create(designation=designation, due_on=next_review_on)
        if designation_type.makes_national_support_school:
            NationalSupportSchool.objects.create(
                school=designation.school, designation=designation, started_on=on
            )
        changefeed.record(
            EventType.DESIGNATION_CREATED, designation,
            {"status": designation.status, "designation_type": designation_type.code, "designated_on": on},
        )
        transaction.on_commit(lambda: emails.designation_made(designation))
        if holder is not None:
            # An account made for the leader (not by them) has no password yet: let them choose one.
            ask_to_set_password(
                holder, reason=f"You have been designated as a {designation_type.name.lower()}."
            )
    return designation


def _refuse_second_current_designation(designation_type, holder, school) -> None:
    current = Designation.objects.filter(
        designation_type=designation_type, status__in=CURRENT_DESIGNATION_STATUSES
    )
    if holder is not None and current.filter(holder=holder).exists():
        raise DesignationError(f"{holder} already holds a current {designation_type.code} designation.")
    if holder is None and current.filter(holder__isnull=True, school=school).exists():
        raise DesignationError(f"{school.name} already holds a current {designation_type.code} designation.")


def latest_inspection_meets(rule: OfstedRule, school: School) -> bool | None:
    """Whether the school's latest inspection (`school.latest_inspection`) meets the rule; None
    when it says nothing about it: no inspection, or a framework the rule has no graded clause
    for (an ungraded inspection leaves the last grade standing).

    Unlike the eligibility engine's `ofsted_rule_met`, which looks up the latest inspection per
    framework (queries per school) and treats "no inspection" as not met, this reads only what
    the daily check prefetches (`rule.clauses`, the inspection's judgements), so a batch costs a
    fixed number of queries, and a missing inspection is not a fall below the requirement.
    """
    inspection = school.latest_inspection
    if inspection is None:
        return None
    grades = [
        (inspection.grade_for(clause.area), clause.acceptable_grades)
        for clause in rule.clauses.all()
        if clause.framework == inspection.framework
    ]
    judged = [(grade, acceptable) for grade, acceptable in grades if grade is not None]
    if not judged:
        return None
    return all(grade in acceptable for grade, acceptable in judged)


def deployable(queryset: QuerySet[Designation]) -> QuerySet[Designation]:
    """Only designations that may be deployed: active, with every required training recorded."""
    return queryset.filter(status=Status.ACTIVE, training_completed_on__isnull=False)


# --- training ----------------------------------------------------------------------------------


def record_training(
    designation: Designation, *, requirement: TrainingRequirement, completed_on: datetime.date, actor
) -> TrainingRecord:
    """Records one completed training.

    Side effects: the TrainingRecord; when it was the last one the type requires, the
    designation's training_completed_on becomes the latest completion date.
    """
    _require_permission(actor, "designations.record_training", designation, "record training for")
    if designation.status not in CURRENT_DESIGNATION_STATUSES:
        raise DesignationError(f"{_a_status(designation)} designation takes no training records.")
    if requirement.designation_type_id != designation.designation_type_id:
        raise DesignationError(
            f"“{requirement}” is not training the {designation.designation_type.code} designation needs."
        )
    if completed_on > timezone.localdate():
        raise DesignationError("The completion date cannot be in the future.")
    with transaction.atomic():
        locked = Designation.objects.select_for_update().get(pk=designation.pk)
        if TrainingRecord.objects.filter(designation=locked, requirement=requirement).exists():
            raise DesignationError(f"“{requirement}” is already recorded for this designation.")
        record = TrainingRecord(
            designation=locked, requirement=requirement, completed_on=completed_on, recorded_by=actor
        )
        validated(record, fields=["completed_on"])
        record.save()
        required = set(locked.designation_type.training_requirements.values_list("pk", flat=True))
        records = list(locked.training_records.all())
        if required <= {r.requirement_id for r in records} and locked.training_completed_on is None:
            locked.training_completed_on = max(r.completed_on for r in records)
            locked.save(update_fields=["training_completed_on"])
            designation.training_completed_on = locked.training_completed_on
    return record


# --- status changes ----------------------------------------------------------------------------


def change_status(designation: Designation, to_status: str, *, actor, reason: str = "") -> Designation:
    """The one door for a designation's status.

    Side effects, in order: the designation saved (with ended_on and end_reason when it ends),
    a DesignationStatusChange, the national support school period closed when it ends, and,
    after commit, an email to the holder.
    """
    reason = (reason or "").strip()
    if to_status not in ALLOWED_STATUS_CHANGES:
        raise InvalidTransition(f"“{to_status}” is not a designation status.")
    to_label = STATUS_VERBS[to_status]
    _require_permission(actor, PERMISSION_FOR_STATUS[to_status], designation, _infinitive(to_status))
    if to_status in REASON_REQUIRED and not reason:
        raise DesignationError(f"Give a reason why the designation is {to_label}.")
    today = timezone.localdate()
    with transaction.atomic():
        locked = Designation.objects.select_for_update().get(pk=designation.pk)
        from_status = locked.status
        if to_status not in ALLOWED_STATUS_CHANGES[from_status]:
            raise InvalidTransition(f"{_a_status(locked)} designation cannot be {to_label}.")
        locked.status = to_status
        changed = ["status"]
        if to_status in ENDING_STATUSES:
            locked.ended_on, locked.end_reason = today, reason or Status(to_status).label
            changed += ["ended_on", "end_reason"]
        validated(locked, fields=changed)
        locked.save(update_fields=changed)
        DesignationStatusChange.objects.create(
            designation=locked, from_status=from_status, to_status=to_status, actor=actor, reason=reason
        )
        if to_status in ENDING_STATUSES:
            _end_national_support_school(locked, today)
        changefeed.record(
            EventType.DESIGNATION_STATE_CHANGED, locked,
            {"from_status": from_status, "to_status": to_status, "ended_on": locked.ended_on},
        )
        transaction.on_commit(lambda: emails.designation_status_changed(locked, from_status, reason))
    for field in changed:
        setattr(designation, field, getattr(locked, field))
    return designation


def _infinitive(to_status: str) -> str:
    return {Status.ACTIVE: "reinstate", Status.SUSPENDED: "suspend", Status.LAPSED: "lapse"}.get(
        to_status, "de-designate"
    )


def _end_national_support_school(designation: Designation, today: datetime.date) -> None:
    for period in NationalSupportSchool.objects.filter(designation=designation, ended_on__isnull=True):
        period.ended_on = today
        period.save(update_fields=["ended_on"])


def suspend(designation: Designation, *, actor, reason: str) -> Designation:
    return change_status(designation, Status.SUSPENDED, actor=actor, reason=reason)


def reinstate(designation: Designation, *, actor, reason: str = "") -> Designation:
    return change_status(designation, Status.ACTIVE, actor=actor, reason=reason)


def de_designate(designation: Designation, *, actor, reason: str) -> Designation:
    return change_status(designation, Status.DE_DESIGNATED, actor=actor, reason=reason)


def lapse(designation: Designation, *, actor, reason: str = "") -> Designation:
    return change_status(designation, Status.LAPSED, actor=actor, reason=reason)


# --- reviews -----------------------------------------------------------------------------------


def _refresh_next_review_on(designation: Designation) -> None:
    upcoming = designation.reviews.filter(completed_on__isnull=True).order_by("due_on").first()
    designation.next_review_on = upcoming.due_on if upcoming else None
    designation.save(update_fields=["next_review_on"])


def schedule_review(designation: Designation, *, due_on: datetime.date, actor) -> Review:
    """Schedules a review; the designation's next_review_on becomes the earliest one still to do."""
    _require_permission(actor, "designations.manage_reviews", designation, "schedule a review of")
    if designation.status not in CURRENT_DESIGNATION_STATUSES:
        raise DesignationError(f"{_a_status(designation)} designation is not reviewed.")
    if due_on < timezone.localdate():
        raise DesignationError("A review cannot be scheduled in the past.")
    with transaction.atomic():
        locked = Designation.objects.select_for_update().get(pk=designation.pk)
        if locked.reviews.filter(completed_on__isnull=True, due_on=due_on).exists():
            raise DesignationError(f"A review is already scheduled for {due_on:%-d %B %Y}.")
        review = validated(Review(designation=locked, due_on=due_on), fields=["due_on"])
        review.save()
        _refresh_next_review_on(locked)
    designation.next_review_on = locked.next_review_on
    return review


def record_review(
    review: Review, *, outcome: str, notes: str, actor, completed_on: datetime.date | None = None
) -> Review:
    """Records a review's outcome.

    Side effects, in order: the review completed; the next review scheduled
    (+review_interval_months from completion) unless another is already waiting; the
    designation's next_review_on updated; with concerns, a QUALITY_CONCERN case opened.
    """
    designation = review.designation
    _require_permission(actor, "designations.manage_reviews", designation, "record a review of")
    if outcome not in ReviewOutcome.values:
        raise DesignationError(f"“{outcome}” is not a review outcome.")
    notes = (notes or "").strip()
    if outcome == ReviewOutcome.CONCERNS and not notes:
        raise DesignationError("Describe the concerns the review found.")
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise DesignationError("A review cannot be recorded as completed in the future.")
    with transaction.atomic():
        locked = (
            Review.objects.select_for_update()
            .select_related("designation__designation_type")
            .get(pk=review.pk)
        )
        if locked.completed_on is not None:
            raise InvalidTransition(f"This review was already recorded on {locked.completed_on:%-d %B %Y}.")
        locked.completed_on, locked.outcome, locked.notes, locked.recorded_by = (
            completed_on,
            outcome,
            notes,
            actor,
        )
        validated(locked, fields=["completed_on", "outcome", "notes"])
        locked.save(update_fields=["completed_on", "outcome", "notes", "recorded_by"])
        designation = locked.designation
        still_current = designation.status in CURRENT_DESIGNATION_STATUSES
        if still_current and not designation.reviews.filter(completed_on__isnull=True).exists():
            interval = designation.designation_type.review_interval_months
            Review.objects.create(designation=designation, due_on=add_months(completed_on, interval))
        _refresh_next_review_on(designation)
        if outcome == ReviewOutcome.CONCERNS and still_current:
            open_case(designation, reason=CaseReason.QUALITY_CONCERN, detail=notes, actor=actor)
    for field in ("completed_on", "outcome", "notes", "recorded_by"):
        setattr(review, field, getattr(locked, field))
    return review


# --- de-designation cases ----------------------------------------------------------------------


def open_case(designation: Designation, *, reason: str, detail: str, actor=None) -> DeDesignationCase | None:
    """Opens a de-designation case for a person to decide; None when one for that reason is open.

    Idempotent under races: the partial unique constraint on open cases decides, and the loser
    gets None. Side effect after commit: an email to the designating body.
    """
    if actor is not None:
        _require_permission(actor, "designations.manage_reviews", designation, "open a case about")
    if reason not in CaseReason.values:
        raise DesignationError(f"“{reason}” is not a reason for a de-designation case.")
    if designation.status not in CURRENT_DESIGNATION_STATUSES:
        return None
    try:
        with transaction.atomic():
            case, created = DeDesignationCase.objects.get_or_create(
                designation=designation,
                reason=reason,
                status=CaseStatus.OPEN,
                defaults={"detail": detail, "opened_by": actor},
            )
    except IntegrityError:
        return None
    if not created:
        return None
    transaction.on_commit(lambda: emails.case_opened(case))
    return case


def decide_case(case: DeDesignationCase, *, de_designate: bool, notes: str, actor) -> DeDesignationCase:
    """Decides an open case: the designation is kept, or de-designated through `change_status`.

    Side effects, in order: the designation de-designated (when so decided), the case closed with
    who, when and why, and after commit an email to the holder and the designating body.
    """
    notes = (notes or "").strip()
    _require_permission(
        actor, "designations.change_designation_status", case.designation, "decide a case about"
    )
    if not notes:
        raise DesignationError("Give the reasons for the decision.")
    with transaction.atomic():
        locked = DeDesignationCase.objects.select_for_update().select_related("designation").get(pk=case.pk)
        if locked.status != CaseStatus.OPEN:
            raise InvalidTransition(f"This case was already decided: {locked.get_status_display().lower()}.")
        if de_designate:
            change_status(
                locked.designation,
                Status.DE_DESIGNATED,
                actor=actor,
                reason=f"{locked.get_reason_display()}: {notes}",
            )
        locked.status = CaseStatus.DE_DESIGNATED if de_designate else CaseStatus.KEPT
        locked.decided_at, locked.decided_by, locked.decision_notes = timezone.now(), actor, notes
        validated(locked, fields=["decision_notes"])
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_notes"])
        transaction.on_commit(lambda: emails.case_decided(locked))
    for field in ("status", "decided_at", "decided_by", "decision_notes"):
        setattr(case, field, getattr(locked, field))
    return case

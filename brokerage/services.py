"""Raising and handling support requests, risk assessments and the broker's shortlist.

Every change checks the actor's permission here, whichever page or endpoint asked for it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.choices import OrganisationKind
from accounts.principals import acting_person, is_api_client
from changefeed import services as changefeed
from changefeed.choices import EventType
from designations.models import Designation, DesignationType, Specialism
from schools.choices import OPEN_STATUSES
from schools.models import School
from schools.queries import school_scope_filter

from .choices import WAITING_REQUEST_STATUSES, PriorityReason, RequestStatus, ShortlistStatus
from .errors import BrokerageError, DuplicateRequest, InvalidTransition, validated
from .models import AlliancePartner, RequestTransition, RiskAssessment, ShortlistEntry, SupportRequest
from .rules import (
    COMMISSIONING_KINDS,
    commissioning_organisations_of,
    may_broker_designation,
    may_broker_type,
    own_brokering_refusal,
)
from .signals import request_ending

Status = RequestStatus

ALLOWED_REQUEST_CHANGES: dict[str, set[str]] = {
    Status.OPEN: {Status.SHORTLISTING, Status.PROPOSED, Status.WITHDRAWN, Status.CLOSED},
    Status.SHORTLISTING: {Status.PROPOSED, Status.WITHDRAWN, Status.CLOSED},
    Status.PROPOSED: {Status.SHORTLISTING, Status.AGREED, Status.WITHDRAWN, Status.CLOSED},
    Status.AGREED: {Status.CLOSED},
    Status.WITHDRAWN: set(),
    Status.CLOSED: set(),
}


# --- who may commission what ---------------------------------------------------------------------


def may_commission_for(organisation, school: School) -> bool:
    """A local authority for its schools, a trust or diocese for theirs, a school for itself, a
    teaching school for itself and its alliance, the national body for any school."""
    if organisation.kind == OrganisationKind.NATIONAL_BODY:
        return True
    if (
        organisation.kind == OrganisationKind.TEACHING_SCHOOL
        and AlliancePartner.objects.filter(teaching_school=organisation, school=school).exists()
    ):
        return True
    scope = school_scope_filter([organisation])
    return scope is None or School.objects.filter(scope, pk=school.pk).exists()


def commissionable_schools(user):
    """Open schools this user may raise a request for, through any of their organisations."""
    from django.db.models import Q

    scope = Q(pk__in=[])
    for organisation in commissioning_organisations_of(user):
        if organisation.kind == OrganisationKind.NATIONAL_BODY:
            return School.objects.filter(status__in=sorted(OPEN_STATUSES))
        organisation_scope = school_scope_filter([organisation])
        scope |= organisation_scope if organisation_scope is not None else Q()
        if organisation.kind == OrganisationKind.TEACHING_SCHOOL:
            scope |= Q(alliances__teaching_school=organisation)
    return School.objects.filter(scope, status__in=sorted(OPEN_STATUSES)).distinct()


# --- raising a request ---------------------------------------------------------------------------


def type_fit_errors(designation_types, needs, priority_reasons) -> list[str]:
    """Why any of these types does not fit a request with these needs and priority reasons."""
    errors = []
    need_ids = {n.pk for n in needs}
    for designation_type in designation_types:
        if (
            not designation_type.is_active
            or designation_type.holder_kind != "person"
            or (designation_type.brokering_rule == "not_brokered")
        ):
            errors.append(f"{designation_type.name}s are not deployed through brokerage.")
            continue
        if designation_type.requires_priority_reason and not priority_reasons:
            errors.append(
                f"{designation_type.name}s support schools that are a priority for support: "
                "give at least one priority reason."
            )
        fits = {n.pk: n.name for n in designation_type.fits_needs.all()}
        if fits and not need_ids & set(fits):
            errors.append(
                f"{designation_type.name}s support {', '.join(sorted(fits.values())).lower()}: "
                "add that to the needs or choose another type."
            )
    return errors


def _may_act_for(actor, commissioner) -> bool:
    if is_api_client(actor):
        return actor.organisation.pk == commissioner.pk and commissioner.kind in COMMISSIONING_KINDS
    return commissioner in commissioning_organisations_of(actor)


def _validate_request(*, school, commissioner, broker, designation_types, needs, priority_reasons, actor):
    if not _may_act_for(actor, commissioner):
        raise BrokerageError("You cannot raise requests for this organisation.", field="commissioner")
    if not may_commission_for(commissioner, school):
        raise BrokerageError(f"{commissioner} cannot commission support for {school.name}.", field="school")
    if school.status not in OPEN_STATUSES:
        raise BrokerageError(f"{school.name} is closed.", field="school")
    if not designation_types:
        raise BrokerageError("Choose at least one kind of system leader.", field="designation_types")
    unknown = set(priority_reasons) - set(PriorityReason.values)
    if unknown:
        raise BrokerageError(
            f"Unknown priority reason: {', '.join(sorted(unknown))}.", field="priority_reasons"
        )
    fit_errors = type_fit_errors(designation_types, needs, priority_reasons)
    if fit_errors:
        raise BrokerageError(" ".join(fit_errors), field="designation_types")
    refused = [t.code for t in designation_types if not may_broker_type(broker, t)]
    if refused:
        raise BrokerageError(
            f"{broker} cannot broker {', '.join(refused)} deployments: choose a broker the rules allow.",
            field="broker",
        )


@transaction.atomic
def raise_request(
    *,
    actor,
    school: School,
    commissioner,
    broker,
    title: str,
    needs_description: str,
    designation_types: list[DesignationType],
    needs: list[Specialism] = (),
    priority_reasons: list[str] = (),
    preferred_start_on: datetime.date | None = None,
    budget: Decimal | None = None,
    funded_by: str = "commissioner",
    funder_name: str = "",
) -> SupportRequest:
    """Raise a support request (a person with a commissioner role, or a commissioner's API token)."""
    designation_types, needs = list(designation_types), list(needs)
    _validate_request(
        school=school,
        commissioner=commissioner,
        broker=broker,
        designation_types=designation_types,
        needs=needs,
        priority_reasons=list(priority_reasons),
        actor=actor,
    )
    _refuse_duplicate(school, designation_types)
    request = SupportRequest(
        school=school,
        commissioner=commissioner,
        broker=broker,
        raised_by=acting_person(actor),
        title=title,
        needs_description=needs_description,
        priority_reasons=sorted(set(priority_reasons)),
        preferred_start_on=preferred_start_on,
        budget=budget,
        funded_by=funded_by,
        funder_name=funder_name,
    )
    validated(request, fields=["title", "needs_description", "preferred_start_on", "budget", "funder_name"])
    request.save()
    request.designation_types.set(designation_types)
    request.needs.set(needs)
    changefeed.record(
        EventType.SUPPORT_REQUEST_CREATED, request,
        {"status": request.status, "created_at": request.created_at},
    )
    from . import emails

    transaction.on_commit(lambda: emails.request_raised(request))
    return request


def _refuse_duplicate(school: School, designation_types: list[DesignationType]) -> None:
    """Refuse a second waiting request for the same school and type (a double submission, or two
    commissioners unaware of each other). The school's row is locked first, so two raised at the
    same moment are checked one after the other and the second is refused too."""
    School.objects.select_for_update().filter(pk=school.pk).first()
    existing = (
        SupportRequest.objects.filter(
            school=school, status__in=sorted(WAITING_REQUEST_STATUSES),
            designation_types__in=designation_types,
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        types = ", ".join(sorted(t.code for t in designation_types))
        raise DuplicateRequest(
            f"{school.name} already has a waiting support request for {types} (request {existing.pk}, "
            f"“{existing.title}”): add to that request or withdraw it first.",
            existing_id=existing.pk, field="designation_types",
        )


def change_status(request: SupportRequest, to_status: str, *, actor, reason: str = "") -> SupportRequest:
    """The one door for a request's status; recorded with who and when, under the request's lock.

    Withdrawing or closing sends ``signals.request_ending`` under the same lock, so the apps above
    end what hangs on the request (its live proposals) in the same transaction, or refuse."""
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if to_status not in ALLOWED_REQUEST_CHANGES[request.status]:
            raise InvalidTransition(
                f"This request is {request.get_status_display().lower()}: it cannot be moved to "
                f"“{Status(to_status).label.lower()}”."
            )
        transition = RequestTransition.objects.create(
            request=request,
            from_status=request.status,
            to_status=to_status,
            actor=acting_person(actor),
            reason=reason,
        )
        request.status, request.status_reason = to_status, reason
        validated(request, fields=["status_reason"], rename={"status_reason": "reason"})
        request.save(update_fields=["status", "status_reason", "updated_at"])
        if to_status in {Status.WITHDRAWN, Status.CLOSED}:
            request_ending.send(sender=SupportRequest, request=request, actor=actor, reason=reason)
        changefeed.record(
            EventType.SUPPORT_REQUEST_STATE_CHANGED, request,
            {"from_status": transition.from_status, "to_status": to_status, "changed_at": transition.at},
        )
    return request


def withdraw(request: SupportRequest, *, actor, reason: str) -> SupportRequest:
    if not actor.has_perm("brokerage.change_request", request):
        raise BrokerageError("Only the commissioner can withdraw this request.")
    if not reason.strip():
        raise BrokerageError("Say why the request is withdrawn.", field="reason")
    return change_status(request, Status.WITHDRAWN, actor=actor, reason=reason)


def close(request: SupportRequest, *, actor, reason: str) -> SupportRequest:
    if not actor.has_perm("brokerage.broker_request", request):
        raise BrokerageError("Only the broker can close this request.")
    if not reason.strip():
        raise BrokerageError("Say why the request is closed without support.", field="reason")
    return change_status(request, Status.CLOSED, actor=actor, reason=reason)


# --- the broker's shortlist -----------------------------------------------------------------------


def require_independent_broker(
    actor, request: SupportRequest, designation: Designation | None = None
) -> None:
    """Nobody brokers support for their own school or puts themselves forward."""
    refusal = own_brokering_refusal(actor, request.school_id, designation.holder if designation else None)
    if refusal:
        raise BrokerageError(refusal)


def _require_broker(actor, request: SupportRequest) -> None:
    require_independent_broker(actor, request)
    if not actor.has_perm("brokerage.broker_request", request):
        raise BrokerageError("Only the request's broker can do this.")


def _require_brokerable(request: SupportRequest, designation: Designation) -> None:
    if not may_broker_designation(request.broker, designation):
        raise BrokerageError(
            f"{request.broker} cannot broker this {designation.designation_type.code}: "
            + (
                "they are not in its pool."
                if designation.designation_type.brokering_rule == "teaching_school_pool"
                else "the brokering rules do not allow it."
            )
        )
    if not request.designation_types.filter(pk=designation.designation_type_id).exists():
        raise BrokerageError(f"The request does not ask for a {designation.designation_type.name}.")


def shortlist(request: SupportRequest, designation: Designation, *, actor, notes: str = "") -> ShortlistEntry:
    require_independent_broker(actor, request, designation)
    _require_broker(actor, request)
    _require_brokerable(request, designation)
    with transaction.atomic():
        # Locked and read again, so a withdrawal or closure at the same moment is seen.
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in {Status.OPEN, Status.SHORTLISTING, Status.PROPOSED}:
            raise InvalidTransition(f"This request is {locked.get_status_display().lower()}.")
        try:
            with transaction.atomic():
                entry = validated(
                    ShortlistEntry(request=request, designation=designation, added_by=actor, notes=notes),
                    fields=["notes"],
                )
                entry.save()
        except IntegrityError as error:
            raise BrokerageError(f"{designation.holder} is already on the shortlist.") from error
        if locked.status == Status.OPEN:
            change_status(request, Status.SHORTLISTING, actor=actor)
    return entry


def _save_entry(entry: ShortlistEntry, fields: list[str]) -> ShortlistEntry:
    validated(entry, fields=["notes", "decline_reason"], rename={"decline_reason": "reason"})
    entry.save(update_fields=fields)
    return entry


def _require_open_shortlist(entry: ShortlistEntry) -> None:
    if entry.request.status not in {Status.OPEN, Status.SHORTLISTING, Status.PROPOSED}:
        raise InvalidTransition(f"This request is {entry.request.get_status_display().lower()}.")


def mark_contacted(entry: ShortlistEntry, *, actor, notes: str = "") -> ShortlistEntry:
    _require_broker(actor, entry.request)
    entry.status, entry.contacted_at = ShortlistStatus.CONTACTED, timezone.now()
    if notes:
        entry.notes = notes
    return _save_entry(entry, ["status", "contacted_at", "notes"])


def mark_declined(entry: ShortlistEntry, *, actor, reason: str, notes: str = "") -> ShortlistEntry:
    """The leader said no (or cannot do it): recorded with why, for the broker's eyes only."""
    _require_broker(actor, entry.request)
    _require_open_shortlist(entry)
    if entry.status == ShortlistStatus.PROPOSED:
        raise InvalidTransition(f"{entry.designation.holder} has been proposed: end the deployment instead.")
    if not reason.strip():
        raise BrokerageError("Enter why they declined or are unavailable.", field="reason")
    entry.status, entry.declined_at, entry.decline_reason = (
        ShortlistStatus.DECLINED,
        timezone.now(),
        reason.strip(),
    )
    if notes:
        entry.notes = notes
    return _save_entry(entry, ["status", "declined_at", "decline_reason", "notes"])


def update_shortlist_notes(entry: ShortlistEntry, *, actor, notes: str) -> ShortlistEntry:
    """The broker's working notes on a leader they are considering (replaces the notes)."""
    _require_broker(actor, entry.request)
    _require_open_shortlist(entry)
    entry.notes = notes.strip()
    return _save_entry(entry, ["notes"])


# --- risk assessments ----------------------------------------------------------------------------


def record_risk_assessment(
    school: School,
    *,
    actor,
    likely_good_outcomes: bool,
    effective_leadership: bool,
    good_next_inspection: bool,
    notes: str = "",
    assessed_on: datetime.date | None = None,
) -> RiskAssessment:
    """A local authority officer assesses one of their own schools."""
    authorities = {
        o.local_authority_id
        for o in actor.organisations_with_role("la_officer")
        if o.kind == OrganisationKind.LOCAL_AUTHORITY
    }
    if school.local_authority_id not in authorities:
        raise BrokerageError("You can only assess schools in your own local authority.")
    assessment = RiskAssessment(
        school=school,
        assessed_by=actor,
        assessed_on=assessed_on or timezone.localdate(),
        likely_good_outcomes=likely_good_outcomes,
        effective_leadership=effective_leadership,
        good_next_inspection=good_next_inspection,
        notes=notes,
    )
    validated(assessment, fields=["assessed_on", "notes"])
    assessment.save()
    return assessment

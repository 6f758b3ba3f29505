"""Proposing a leader and the three-party brokerage agreement.

The broker proposes a leader (a deployment in state "proposed") and drafts the agreement. Sent
for agreement, it is agreed by the supported school, the leader's school and the commissioner;
when the last of them agrees, the leader's time is committed (checked against their capacity
under a lock on the leader's row) and the deployment is agreed, or active if it has started. A
change after agreement is a new version, agreed again by all three.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from brokerage import matching
from brokerage import services as brokerage_services
from brokerage.choices import RequestStatus, ShortlistStatus
from brokerage.models import ShortlistEntry, SupportRequest
from brokerage.rules import may_broker_designation
from changefeed import services as changefeed
from changefeed.choices import EventType
from designations.models import Designation
from designations.validators import validate_evidence_file

from ..choices import (
    LIVE_STATES,
    AgreementStatus,
    DeploymentState,
    Party,
    RateBasis,
    RecordedSignoffStatus,
    TimeBasis,
)
from ..errors import DeploymentError, InvalidTransition, validated
from ..models import (
    Agreement,
    AgreementCostLine,
    AgreementStaff,
    Deployment,
    Objective,
    RecordedSignoff,
    Signoff,
)
from ..rules import parties_of, recordable_parties, refusal_for
from . import capacity
from .transitions import transition

State = DeploymentState


@dataclass
class ObjectiveData:
    description: str
    success_measure: str
    target_on: datetime.date
    carried_from_id: int | None = None


@dataclass
class StaffData:
    name: str
    role: str
    user_id: int | None = None
    days: Decimal | None = None


@dataclass
class CostLineData:
    """Backfill, supply cover or another cost, at its own day rate."""

    kind: str
    days: Decimal
    day_rate: Decimal
    description: str = ""


# --- proposing a leader --------------------------------------------------------------------------


def propose(
    request: SupportRequest, designation: Designation, *, actor, today: datetime.date | None = None
) -> Deployment:
    """The broker puts a leader forward: refused if the broker may not broker them, the matching
    excludes them (suspended, untrained, conflict of interest, no time) or they are already proposed.

    Refused with deployments' errors, or brokerage's when the broker may not broker the request
    (the independence check): the page shows either refusal the same way.

    Side effects, in order: the deployment (proposed), their shortlist entry marked proposed, the
    request moved to proposed, and after commit an email telling the leader."""
    today = today or timezone.localdate()
    brokerage_services.require_independent_broker(actor, request, designation)
    if not actor.has_perm("brokerage.broker_request", request):
        raise DeploymentError("Only the request's broker can propose a leader.")
    if not may_broker_designation(request.broker, designation):
        raise DeploymentError(
            f"{request.broker} cannot broker this {designation.designation_type.code}."
        )
    if request.status not in {RequestStatus.OPEN, RequestStatus.SHORTLISTING, RequestStatus.PROPOSED}:
        raise InvalidTransition(f"This request is {request.get_status_display().lower()}.")
    found = next((c for c in _matching(request, today) if c.designation.pk == designation.pk), None)
    if found is None:
        raise DeploymentError(f"{designation.holder} is not a candidate for this request.")
    if found.exclusions:
        raise DeploymentError(" ".join(found.exclusions))
    with transaction.atomic():
        # Locked so that a second press of "Propose" (or a second broker, or a withdrawal) waits,
        # then sees what the other did.
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in {RequestStatus.OPEN, RequestStatus.SHORTLISTING, RequestStatus.PROPOSED}:
            raise InvalidTransition(
                f"This request is {locked.get_status_display().lower()}."
            )
        request.status = locked.status
        already = Deployment.objects.filter(
            support_request=request, leader=designation.holder, state__in=sorted(LIVE_STATES)
        )
        if already.exists():
            raise InvalidTransition(
                f"{designation.holder} has already been proposed for this request."
            )
        try:
            with transaction.atomic():
                deployment = Deployment.objects.create(
                    support_request=request,
                    designation=designation,
                    leader=designation.holder,
                    leader_school=designation.school,
                    supported_school=request.school,
                    commissioner=request.commissioner,
                    broker=request.broker,
                    created_by=actor,
                )
        except IntegrityError as error:
            # The database's one-live-proposal rule, should anything get past the lock.
            raise InvalidTransition(
                f"{designation.holder} has already been proposed for this request."
            ) from error
        entry, _ = ShortlistEntry.objects.get_or_create(
            request=request, designation=designation, defaults={"added_by": actor}
        )
        entry.status = ShortlistStatus.PROPOSED
        entry.save(update_fields=["status"])
        if request.status != RequestStatus.PROPOSED:
            brokerage_services.change_status(request, RequestStatus.PROPOSED, actor=actor)
        changefeed.record(
            EventType.DEPLOYMENT_CREATED, deployment,
            {"state": deployment.state, "support_request_id": request.pk,
             "created_at": deployment.created_at},
        )
        from .. import emails

        transaction.on_commit(lambda: emails.leader_proposed(deployment))
    return deployment


def _matching(request: SupportRequest, today: datetime.date):
    result = matching.match(request, today=today)
    return [*result.ranked, *result.excluded]


# --- drafting ------------------------------------------------------------------------------------


def payee_schools(deployment: Deployment) -> list:
    """Schools the money may go to: the leader's school, or its national support school."""
    schools = [deployment.leader_school]
    for period in deployment.designation.support_school_periods.filter(ended_on__isnull=True).select_related(
        "school"
    ):
        if period.school_id != deployment.leader_school_id:
            schools.append(period.school)
    return schools


def _validate_terms(deployment: Deployment, terms: dict, objectives: list[ObjectiveData]) -> None:
    if terms["ends_on"] < terms["starts_on"]:
        raise DeploymentError("The end date must be on or after the start date.", field="ends_on")
    if terms["time_basis"] == TimeBasis.DAYS_PER_WEEK:
        if not terms.get("days_per_week"):
            raise DeploymentError("Enter the days a week.", field="days_per_week")
        if terms["days_per_week"] > 5:
            raise DeploymentError("Days a week must be 5 or fewer.", field="days_per_week")
    elif not terms.get("total_days"):
        raise DeploymentError("Enter the total days.", field="total_days")
    if terms["rate_basis"] == RateBasis.DAY_RATE and terms.get("day_rate") is None:
        raise DeploymentError("Enter the day rate.", field="day_rate")
    if terms["rate_basis"] == RateBasis.TOTAL and terms.get("total_amount") is None:
        raise DeploymentError("Enter the total amount.", field="total_amount")
    payee = terms.get("payee_school")
    if payee is None or payee.pk not in {s.pk for s in payee_schools(deployment)}:
        raise DeploymentError(
            "Money is paid to the leader's school (or its national support school), never to a person.",
            field="payee_school",
        )
    if not objectives:
        raise DeploymentError("Add at least one objective.", field="objectives")
    for number, objective in enumerate(objectives, start=1):
        if not (objective.description.strip() and objective.success_measure.strip() and objective.target_on):
            raise DeploymentError(
                f"Objective {number} needs a description, a success measure and a target date.",
                field="objectives",
            )


def _require_broker(actor, deployment: Deployment) -> None:
    if not actor.has_perm("deployments.manage_deployment", deployment):
        raise DeploymentError(
            refusal_for(actor, deployment, "Only the deployment's broker can change its agreement.")
        )


def _locked(agreement: Agreement) -> Agreement:
    """The version, locked and read again. Every change of a version's status (edit, send, agree,
    ask for changes) takes this lock first and re-checks the status under it, so of two at once the
    second sees what the first did and is refused."""
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def open_agreement(deployment: Deployment) -> Agreement | None:
    return deployment.agreements.filter(
        status__in=[AgreementStatus.DRAFT, AgreementStatus.AWAITING_AGREEMENT]
    ).first()


def current_agreement(deployment: Deployment) -> Agreement | None:
    return deployment.agreements.filter(status=AgreementStatus.AGREED).order_by("-version").first()


@transaction.atomic
def save_draft(
    deployment: Deployment,
    *,
    actor,
    terms: dict,
    objectives: list[ObjectiveData],
    staff: list[StaffData] = (),
    cost_lines: list[CostLineData] = (),
    drafted_on: datetime.date | None = None,
) -> Agreement:
    """Create or replace the draft agreement (the next version when one is already agreed), with
    its objectives, staff and cost lines (backfill, supply cover or other, each at its own rate).

    The start may not be before ``drafted_on`` (today unless given: the demo drafts its history).

    ``terms``: expected_impact, support_approach, school_participants, time_basis, days_per_week,
    total_days, starts_on, ends_on, rate_basis, day_rate, total_amount, payer, payee_school,
    backfill_note.
    """
    _require_broker(actor, deployment)
    if deployment.state in {State.COMPLETED, State.ENDED_EARLY, State.AWAITING_FINAL_EVALUATION}:
        raise InvalidTransition(f"This deployment is {deployment.get_state_display().lower()}.")
    _validate_terms(deployment, terms, objectives)
    draft = open_agreement(deployment)
    if draft is not None:
        draft = _locked(draft)
    if draft is not None and draft.status == AgreementStatus.AWAITING_AGREEMENT:
        raise InvalidTransition("This version is with the parties: ask for changes before editing it.")
    if draft is None:
        latest = deployment.agreements.order_by("-version").first()
        draft = Agreement(deployment=deployment, version=(latest.version + 1) if latest else 1)
    for name, value in terms.items():
        setattr(draft, name, value)
    draft.drafted_by, draft.drafted_on = actor, drafted_on
    validated(draft, fields=[*terms, "deployment"])
    new_objectives = [
        Objective(
            agreement=draft,
            order=number,
            description=o.description,
            success_measure=o.success_measure,
            target_on=o.target_on,
            carried_from_id=o.carried_from_id,
        )
        for number, o in enumerate(objectives, start=1)
    ]
    new_staff = [
        AgreementStaff(agreement=draft, name=s.name, role=s.role, user_id=s.user_id, days=s.days)
        for s in staff
    ]
    new_costs = [
        AgreementCostLine(
            agreement=draft, order=number, kind=c.kind, days=c.days, day_rate=c.day_rate,
            description=(c.description or "").strip(),
        )
        for number, c in enumerate(cost_lines, start=1)
    ]
    # Objectives are due while the support lasts; staff days and costs are within their ranges.
    for number, objective in enumerate(new_objectives, start=1):
        fields = ["description", "success_measure", "target_on"]
        _validated_row(objective, fields, "objectives", "Objective", number)
    for number, member in enumerate(new_staff, start=1):
        _validated_row(member, ["name", "role", "days"], "staff", "Staff member", number)
    for number, cost in enumerate(new_costs, start=1):
        _validated_row(cost, ["kind", "description", "days", "day_rate"], "cost_lines", "Cost", number)
    with transaction.atomic():
        draft.save()
        draft.objectives.all().delete()
        for objective in new_objectives:
            objective.agreement = draft
        Objective.objects.bulk_create(new_objectives)
        draft.staff.all().delete()
        for member in new_staff:
            member.agreement = draft
        AgreementStaff.objects.bulk_create(new_staff)
        draft.cost_lines.all().delete()
        for cost in new_costs:
            cost.agreement = draft
        AgreementCostLine.objects.bulk_create(new_costs)
    return draft


def _validated_row(row, fields: list[str], group: str, name: str, number: int) -> None:
    """One objective, staff or cost row checked by its model; the refusal names the row."""
    try:
        validated(row, fields=fields)
    except DeploymentError as error:
        raise DeploymentError(f"{name} {number}: {error.message}", field=group) from error


def start_new_version(deployment: Deployment, *, actor) -> Agreement:
    """Copy the agreed version, with its objectives, staff and cost lines, into a new draft to change it."""
    _require_broker(actor, deployment)
    with transaction.atomic():
        # The agreed version, locked, so a second press (or a second broker) waits, then sees the draft.
        agreed = current_agreement(deployment)
        if agreed is not None:
            agreed = _locked(agreed)
        if open_agreement(deployment) is not None:
            raise InvalidTransition("A new version is already being drafted.")
        if agreed is None or agreed.status != AgreementStatus.AGREED:
            raise InvalidTransition("Nothing has been agreed yet: change the draft instead.")
        objectives, staff = list(agreed.objectives.all()), list(agreed.staff.all())
        costs = list(agreed.cost_lines.all())
        agreed.pk, agreed.id = None, None
        agreed._state.adding = True
        agreed.version += 1
        agreed.status, agreed.agreed_at, agreed.drafted_by = AgreementStatus.DRAFT, None, actor
        agreed.save()
        Objective.objects.bulk_create(
            Objective(
                agreement=agreed,
                order=o.order,
                description=o.description,
                success_measure=o.success_measure,
                target_on=o.target_on,
                carried_from=o,
            )
            for o in objectives
        )
        AgreementStaff.objects.bulk_create(
            AgreementStaff(agreement=agreed, name=s.name, role=s.role, user_id=s.user_id, days=s.days)
            for s in staff
        )
        AgreementCostLine.objects.bulk_create(
            AgreementCostLine(
                agreement=agreed, order=c.order, kind=c.kind, description=c.description, days=c.days,
                day_rate=c.day_rate,
            )
            for c in costs
        )
    return agreed


def send_for_agreement(agreement: Agreement, *, actor) -> Agreement:
    """The broker sends the draft to the three parties. Refused now if the leader lacks the time."""
    _require_broker(actor, agreement.deployment)
    with transaction.atomic():
        locked = _locked(agreement)
        if locked.status != AgreementStatus.DRAFT:
            raise InvalidTransition("Only a draft can be sent for agreement: this version has been sent.")
        deployment = agreement.deployment
        capacity.check_capacity(
            deployment.leader,
            starts_on=locked.starts_on,
            ends_on=locked.ends_on,
            days_per_week=locked.committed_days_per_week,
            local_authority_id=deployment.supported_school.local_authority_id,
            exclude=deployment,
        )
        locked.status, locked.sent_at = AgreementStatus.AWAITING_AGREEMENT, timezone.now()
        locked.save(update_fields=["status", "sent_at"])
        agreement.status, agreement.sent_at = locked.status, locked.sent_at
        from .. import emails

        transaction.on_commit(lambda: emails.agreement_sent(locked))
    return agreement


def request_changes(agreement: Agreement, *, actor, reason: str) -> Agreement:
    """A party (or the broker) sends the version back to draft; any agreement given so far lapses."""
    deployment = agreement.deployment
    if not (parties_of(actor, deployment) or actor.has_perm("deployments.manage_deployment", deployment)):
        raise DeploymentError("Only the parties or the broker can ask for changes.")
    if not reason.strip():
        raise DeploymentError("Say what needs to change.", field="reason")
    with transaction.atomic():
        locked = _locked(agreement)
        if locked.status != AgreementStatus.AWAITING_AGREEMENT:
            raise InvalidTransition(
                "This version is no longer waiting for agreement: "
                f"it is {locked.get_status_display().lower()}."
            )
        locked.signoffs.all().delete()
        locked.status = AgreementStatus.DRAFT
        locked.save(update_fields=["status"])
        agreement.status = locked.status
        from .. import emails

        transaction.on_commit(lambda: emails.changes_requested(locked, actor, reason))
    return agreement


def agree(
    agreement: Agreement,
    *,
    actor,
    party: str,
    today: datetime.date | None = None,
    recorded: RecordedSignoff | None = None,
    accept_overrun: bool = False,
) -> Agreement:
    """One party agrees. When all three have, the leader's time is committed (under a row lock on
    the leader, so two brokers cannot both take their last day) and the deployment starts.

    A version whose total is over the request's budget is agreed for the commissioner only with
    ``accept_overrun`` (refused on that field otherwise, so no page or client can skip it); the
    signoff records who accepted how much, and when.

    ``recorded``: the party agreed outside the service and ``actor`` (the broker or a national
    administrator) confirms the record of it; the record becomes the party's signoff. The same
    rules apply: one signoff per party, only while the version waits for agreement, and the
    commissioner's record must say it accepted the overrun (``RecordedSignoff.overrun_accepted``)."""
    today = today or timezone.localdate()
    deployment = agreement.deployment
    if party not in Party.values:
        raise DeploymentError("Choose who you are agreeing for.", field="party")
    if recorded is not None:
        _require_may_record(actor, deployment, party)
    elif party not in parties_of(actor, deployment):
        raise DeploymentError(f"You cannot agree for {Party(party).label.lower()}.", field="party")
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=deployment.leader_id)
        agreement = _locked(agreement)
        if agreement.status != AgreementStatus.AWAITING_AGREEMENT:
            raise InvalidTransition(
                "This version is no longer waiting for agreement: "
                f"it is {agreement.get_status_display().lower()}."
            )
        if agreement.signoffs.filter(party=party).exists():
            raise InvalidTransition(f"{Party(party).label} has already agreed this version.")
        # A record speaks for the party: the overrun it says they accepted, if any.
        accepted = recorded.overrun_accepted if recorded is not None else accept_overrun
        overrun = _accepted_overrun(agreement, party, accepted)
        agreed_parties = {*agreement.signoffs.values_list("party", flat=True), party}
        if agreed_parties == set(Party.values):
            _commit(agreement, today)
        signoff = Signoff.objects.create(
            agreement=agreement,
            party=party,
            agreed_by=actor,
            overrun_accepted=overrun,
            overrun_accepted_by=actor if overrun is not None else None,
            overrun_accepted_at=timezone.now() if overrun is not None else None,
        )
        if recorded is not None:
            _confirm_record(recorded, signoff, agreement)
    from .. import emails

    if agreement.status == AgreementStatus.AGREED:
        transaction.on_commit(lambda: emails.agreement_agreed(agreement))
    return agreement


def _accepted_overrun(agreement: Agreement, party: str, accepted: bool | Decimal | None) -> Decimal | None:
    """The overrun the commissioner accepts in agreeing (None within the budget, or for the other
    parties). Refused unless accepted: ``True``, or for a record the amount it says was accepted,
    which must cover the overrun now."""
    if party != Party.COMMISSIONER:
        return None
    summary = agreement.cost_summary()
    overrun = summary.overrun
    if overrun is None:
        return None
    if accepted is True or (isinstance(accepted, Decimal) and accepted >= overrun):
        return overrun
    raise DeploymentError(summary.acceptance_refusal, field="accept_overrun")


# --- agreements given outside the service ---------------------------------------------------------


def _require_may_record(actor, deployment: Deployment, party: str) -> None:
    if not actor.has_perm("deployments.record_outside_agreement", deployment):
        raise DeploymentError(
            "Only the deployment's broker or a national administrator can record an agreement given "
            "outside the service, and never for a deployment they work on."
        )
    if party not in recordable_parties(actor, deployment):
        raise DeploymentError(
            f"You act for {Party(party).label.lower()}: agree for it yourself instead.", field="party"
        )


def _validated(record: RecordedSignoff) -> None:
    try:
        record.full_clean(exclude=["agreement", "recorded_by", "signoff", "copy"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DeploymentError(messages[0], field=field) from error


def record_outside_agreement(
    agreement: Agreement,
    *,
    actor,
    party: str,
    agreed_by_name: str,
    agreed_by_role: str,
    agreed_on: datetime.date,
    method: str,
    copy: UploadedFile | None = None,
    accept_overrun: bool = False,
) -> RecordedSignoff:
    """Step one: what a party agreed outside the service, kept pending (it does not count yet).

    Refused unless the version waits for agreement, the party has not agreed it, the actor may
    record for that party, the date is neither in the future nor before the version was sent, any
    copy is a file of an allowed kind (checked as evidence files are), and, for the commissioner of
    a version over its budget, the record says it accepted the overrun (``accept_overrun``), as it
    must in the service. Side effects: the pending record (with its history) and the copy in
    private storage."""
    deployment = agreement.deployment
    if party not in Party.values:
        raise DeploymentError("Choose the party that agreed.", field="party")
    _require_may_record(actor, deployment, party)
    if agreement.status != AgreementStatus.AWAITING_AGREEMENT:
        raise InvalidTransition("This version is not waiting for agreement: send it to the parties first.")
    if agreement.signoffs.filter(party=party).exists():
        raise InvalidTransition(f"{Party(party).label} has already agreed this version.")
    record = RecordedSignoff(
        agreement=agreement,
        party=party,
        agreed_by_name=agreed_by_name.strip(),
        agreed_by_role=agreed_by_role.strip(),
        agreed_on=agreed_on,
        method=method,
        recorded_by=actor,
        overrun_accepted=_accepted_overrun(agreement, party, accept_overrun),
    )
    _validated(record)
    content_type = ""
    if copy is not None:
        try:
            content_type = validate_evidence_file(copy)
        except ValidationError as error:
            raise DeploymentError(error.messages[0], field="copy") from error
    with transaction.atomic():
        if copy is not None:
            original_name = (copy.name or "agreement").rsplit("/", 1)[-1][:255]
            record.copy_name, record.copy_content_type, record.copy_size = (
                original_name,
                content_type,
                copy.size,
            )
            record.copy.save(get_valid_filename(original_name) or "agreement", copy, save=False)
        record.save()
    return record


def confirm_recorded_signoff(
    record: RecordedSignoff, *, actor, today: datetime.date | None = None
) -> Agreement:
    """Step two: the recorder confirms, and the record counts as the party's signoff, through
    ``agree`` (so the last of the three commits the leader's time and starts the deployment)."""
    if record.recorded_by_id != actor.pk:
        raise DeploymentError("Only the person who recorded this agreement can confirm it.")
    if record.status != RecordedSignoffStatus.PENDING:
        raise InvalidTransition("This record has already been confirmed or cancelled.")
    record.agreement.refresh_from_db()
    _validated(record)
    return agree(record.agreement, actor=actor, party=record.party, today=today, recorded=record)


def _confirm_record(record: RecordedSignoff, signoff: Signoff, agreement: Agreement) -> None:
    locked = RecordedSignoff.objects.select_for_update().get(pk=record.pk)
    if locked.status != RecordedSignoffStatus.PENDING or locked.agreement_id != agreement.pk:
        raise InvalidTransition("This record has already been confirmed or cancelled.")
    locked.status, locked.confirmed_at, locked.signoff = (
        RecordedSignoffStatus.CONFIRMED,
        timezone.now(),
        signoff,
    )
    locked.save(update_fields=["status", "confirmed_at", "signoff"])
    record.refresh_from_db()


def cancel_recorded_signoff(record: RecordedSignoff, *, actor) -> RecordedSignoff:
    """The recorder thinks better of it before confirming: the record stays, cancelled; its copy goes."""
    if record.recorded_by_id != actor.pk:
        raise DeploymentError("Only the person who recorded this agreement can cancel it.")
    with transaction.atomic():
        locked = RecordedSignoff.objects.select_for_update().get(pk=record.pk)
        if locked.status != RecordedSignoffStatus.PENDING:
            raise InvalidTransition("This record has already been confirmed or cancelled.")
        locked.status = RecordedSignoffStatus.CANCELLED
        if locked.copy:
            locked.copy.delete(save=False)
        locked.save()
    return locked


def _commit(agreement: Agreement, today: datetime.date) -> None:
    deployment = Deployment.objects.select_for_update().get(pk=agreement.deployment_id)
    capacity.check_capacity(
        deployment.leader,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        days_per_week=agreement.committed_days_per_week,
        local_authority_id=agreement.deployment.supported_school.local_authority_id,
        exclude=deployment,
    )
    deployment.agreements.filter(status=AgreementStatus.AGREED).update(status=AgreementStatus.SUPERSEDED)
    agreement.status, agreement.agreed_at = AgreementStatus.AGREED, timezone.now()
    agreement.save(update_fields=["status", "agreed_at"])
    deployment.starts_on, deployment.ends_on = agreement.starts_on, agreement.ends_on
    deployment.days_per_week = agreement.committed_days_per_week
    deployment.days_agreed = agreement.agreed_days
    if deployment.next_review_on is None:
        deployment.next_review_on = min(agreement.starts_on + datetime.timedelta(weeks=6), agreement.ends_on)
    deployment.save(update_fields=["starts_on", "ends_on", "days_per_week", "days_agreed", "next_review_on"])
    changefeed.record(
        EventType.AGREEMENT_VERSION_AGREED, deployment,
        {"version": agreement.version, "agreed_at": agreement.agreed_at, "starts_on": agreement.starts_on,
         "ends_on": agreement.ends_on, "agreed_days": agreement.agreed_days},
    )
    if deployment.state == State.PROPOSED:
        transition(deployment, State.AGREED, check_permission=False)
        request = deployment.support_request
        if request.status == RequestStatus.PROPOSED:
            brokerage_services.change_status(request, RequestStatus.AGREED, actor=None)
    if deployment.state == State.AGREED and agreement.starts_on <= today:
        transition(deployment, State.ACTIVE, check_permission=False)


def start_if_due(deployment: Deployment, today: datetime.date) -> bool:
    """Agreed deployments become active on their start date (the daily job calls this)."""
    if deployment.state == State.AGREED and deployment.starts_on and deployment.starts_on <= today:
        transition(deployment, State.ACTIVE, check_permission=False)
        return True
    return False

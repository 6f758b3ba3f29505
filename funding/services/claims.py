"""A claim's life: the claiming school claims the time logged in a period at the agreed rates (and
backfill or supply cover with evidence); the commissioner approves (twice, by two people, above
the second-approval amount), asks for information or rejects; an approved claim is paid once.

Every change locks its row (the deployment when claiming, the claim when deciding or paying), so
two people, or one double click, cannot claim the same time twice or pay a claim twice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

import money
from accounts.principals import acting_person, is_api_client
from bounds import number_text
from changefeed import services as changefeed
from changefeed.choices import EventType
from deployments.choices import RateBasis
from deployments.models import Agreement, AgreementCostLine, Deployment, TimeEntry
from deployments.services import current_agreement, days_allowed
from designations.validators import validate_evidence_file

from ..choices import (
    LIVE_CLAIM_STATES,
    ClaimAction,
    ClaimLineKind,
    ClaimState,
    PaymentMethod,
)
from ..errors import FundingError, InvalidTransition, NotPermitted, validated
from ..models import Claim, ClaimApproval, ClaimedTime, ClaimEvent, ClaimLine, Payment
from ..rules import decide_refusal

#: States from which each action may be taken.
DECIDABLE = {ClaimState.SUBMITTED, ClaimState.AWAITING_SECOND_APPROVAL}
WITHDRAWABLE = {ClaimState.SUBMITTED, ClaimState.INFORMATION_REQUESTED}


def second_approval_above() -> Decimal:
    """Claims of more than this need a second approver (``CLAIM_SECOND_APPROVAL_ABOVE``)."""
    return money.round_money(str(getattr(settings, "CLAIM_SECOND_APPROVAL_ABOVE", "10000")))


@dataclass(frozen=True)
class CostClaim:
    """Days of one of the agreement's cost lines claimed, with the evidence of the cost."""

    cost_line_id: int
    days: Decimal
    evidence: UploadedFile | None = None


@dataclass
class LineDraft:
    kind: str
    description: str
    amount: Decimal
    days: Decimal | None = None
    day_rate: Decimal | None = None
    cost_line: AgreementCostLine | None = None
    evidence: UploadedFile | None = None


@dataclass
class ClaimDraft:
    """What a claim for a period would hold, before it is made."""

    agreement: Agreement
    period_start: datetime.date
    period_end: datetime.date
    entries: list[TimeEntry] = field(default_factory=list)
    lines: list[LineDraft] = field(default_factory=list)

    @property
    def days(self) -> Decimal:
        return sum((entry.days for entry in self.entries), Decimal(0))

    @property
    def total(self) -> Decimal:
        return money.total(line.amount for line in self.lines)


# --- what may be claimed --------------------------------------------------------------------------


def unclaimed_time(deployment: Deployment, start: datetime.date, end: datetime.date):
    """Time logged on the deployment from ``start`` to ``end`` that no live claim covers."""
    return (
        TimeEntry.objects.filter(deployment=deployment, worked_on__gte=start, worked_on__lte=end)
        .exclude(claimed_by__isnull=False)
        .order_by("worked_on", "pk")
    )


def days_claimed(deployment: Deployment) -> Decimal:
    """Days of the deployment's live claims."""
    total = Claim.objects.filter(deployment=deployment, state__in=LIVE_CLAIM_STATES).aggregate(t=Sum("days"))
    return total["t"] or Decimal(0)


def _claimed_cost_days(deployment: Deployment, cost_line: AgreementCostLine) -> Decimal:
    """Days of this cost already claimed. A new agreement version copies its cost lines, so a cost is
    recognised across versions by its kind and description."""
    total = ClaimLine.objects.filter(
        claim__deployment=deployment,
        claim__state__in=LIVE_CLAIM_STATES,
        cost_line__kind=cost_line.kind,
        cost_line__description=cost_line.description,
    ).aggregate(t=Sum("days"))
    return total["t"] or Decimal(0)


def _fixed_sum_claimed(deployment: Deployment) -> Decimal:
    total = ClaimLine.objects.filter(
        claim__deployment=deployment, claim__state__in=LIVE_CLAIM_STATES, kind=ClaimLineKind.FIXED_SUM
    ).aggregate(t=Sum("amount"))
    return total["t"] or Decimal(0)


def _leader_line(deployment: Deployment, agreement: Agreement, days: Decimal) -> LineDraft | None:
    if days <= 0:
        return None
    if agreement.rate_basis == RateBasis.TOTAL:
        whole = money.round_money(agreement.total_amount or 0)
        agreed = agreement.agreed_days or Decimal(1)
        share = money.round_money(whole * days / agreed)
        share = min(share, whole - _fixed_sum_claimed(deployment))
        if share <= 0:
            return None
        return LineDraft(
            ClaimLineKind.FIXED_SUM, f"{number_text(days)} of {number_text(agreed)} days", share, days=days
        )
    rate = money.round_money(agreement.day_rate or 0)
    return LineDraft(
        ClaimLineKind.LEADER_DAYS, "Days delivered", money.round_money(days * rate), days=days, day_rate=rate
    )


def _cost_line_draft(deployment: Deployment, agreement: Agreement, cost: CostClaim) -> LineDraft:
    line = agreement.cost_lines.filter(pk=cost.cost_line_id).first()
    if line is None:
        raise FundingError("Choose a cost the agreement reimburses.", field="costs")
    label = line.description or line.get_kind_display()
    # The range and step of the days (never negative, which would take money off the claim).
    validated(ClaimLine(days=cost.days), fields=["days"], rename={"days": f"cost_{line.pk}"})
    left = line.days - _claimed_cost_days(deployment, line)
    if cost.days > left:
        raise FundingError(
            f"{label}: the agreement reimburses {number_text(line.days)} days and "
            f"{number_text(line.days - left)} are already claimed, "
            f"so you can claim {number_text(max(left, 0))} more.",
            field=f"cost_{line.pk}",
        )
    if cost.evidence is None:
        raise FundingError(
            f"{label}: upload the invoice or timesheet for this cost.", field=f"cost_{line.pk}_evidence"
        )
    return LineDraft(
        line.kind,
        label,
        money.round_money(cost.days * line.day_rate),
        days=cost.days,
        day_rate=line.day_rate,
        cost_line=line,
        evidence=cost.evidence,
    )


def draft_claim(
    deployment: Deployment,
    *,
    period_start: datetime.date,
    period_end: datetime.date,
    costs: list[CostClaim] = (),
    today: datetime.date | None = None,
) -> ClaimDraft:
    """The claim for a period, derived from the time logged and the agreed rates; refused with the
    reason when it cannot be made."""
    today = today or timezone.localdate()
    agreement = current_agreement(deployment)
    if agreement is None:
        raise FundingError("There is no agreed agreement to claim against.")
    if period_end < period_start:
        raise FundingError("The end of the period must be on or after its start.", field="period_end")
    if period_end > today:
        raise FundingError(
            "The period cannot end in the future: claim for days already delivered.", field="period_end"
        )
    validated(Claim(period_start=period_start, period_end=period_end), fields=["period_start", "period_end"])
    draft = ClaimDraft(
        agreement,
        period_start,
        period_end,
        entries=list(unclaimed_time(deployment, period_start, period_end)),
    )
    allowed, claimed = days_allowed(deployment), days_claimed(deployment)
    if claimed + draft.days > allowed:
        raise FundingError(
            f"This claim would take the days claimed to {number_text(claimed + draft.days)}, more than the "
            f"{number_text(allowed)} agreed (with variations).",
            field="period_end",
        )
    leader = _leader_line(deployment, agreement, draft.days)
    draft.lines = [leader] if leader else []
    draft.lines += [_cost_line_draft(deployment, agreement, cost) for cost in costs if cost.days]
    if not draft.lines:
        raise FundingError(
            "There is no unclaimed time logged in this period, and no cost claimed.", field="period_start"
        )
    return draft


# --- making and deciding a claim ------------------------------------------------------------------


def _api_organisation(actor):
    """The organisation a partner system's token acts for; None for a person or the service."""
    return actor.organisation if is_api_client(actor) else None


def _record(claim: Claim, action: str, *, actor, from_state: str = "", note: str = "") -> None:
    """A history event; a token's change is recorded without a person, with its organisation."""
    ClaimEvent.objects.create(
        claim=claim,
        action=action,
        from_state=from_state,
        to_state=claim.state,
        actor=acting_person(actor),
        api_organisation=_api_organisation(actor),
        note=note,
    )
    if action == ClaimAction.SUBMITTED:
        changefeed.record(
            EventType.CLAIM_CREATED, claim,
            {"state": claim.state, "deployment_id": claim.deployment_id, "period_start": claim.period_start,
             "period_end": claim.period_end},
        )
    elif from_state and from_state != claim.state:
        changefeed.record(
            EventType.CLAIM_STATE_CHANGED, claim,
            {"from_state": from_state, "to_state": claim.state, "deployment_id": claim.deployment_id},
        )


def _save_evidence(line: ClaimLine, evidence: UploadedFile, *, field: str = "") -> None:
    """Checks and stores a line's evidence; a bad file is refused on ``field`` (by default the
    claim form's evidence box of the line's cost)."""
    from django.core.exceptions import ValidationError

    try:
        content_type = validate_evidence_file(evidence)
    except ValidationError as invalid:
        raise FundingError(
            invalid.messages[0], field=field or f"cost_{line.cost_line_id}_evidence"
        ) from invalid
    line.evidence.save(evidence.name, evidence, save=False)
    line.evidence_name = evidence.name[:255]
    line.evidence_content_type = content_type
    line.evidence_size = evidence.size


def submit_claim(
    deployment: Deployment,
    *,
    actor,
    period_start: datetime.date,
    period_end: datetime.date,
    costs: list[CostClaim] = (),
    note: str = "",
    today: datetime.date | None = None,
) -> Claim:
    """The claiming school claims a period. The deployment is locked while the time is counted, so two
    claims at once cannot take the same time or go past the days agreed."""
    if not actor.has_perm("funding.claim", deployment):
        raise NotPermitted(
            "Only the head or school business manager of the school the agreement pays can claim."
        )
    with transaction.atomic():
        locked = Deployment.objects.select_for_update().get(pk=deployment.pk)
        draft = draft_claim(
            locked, period_start=period_start, period_end=period_end, costs=costs, today=today
        )
        claim = Claim(
            reference="pending",
            deployment=locked,
            agreement=draft.agreement,
            claiming_school_id=draft.agreement.payee_school_id,
            commissioner_id=locked.commissioner_id,
            period_start=period_start,
            period_end=period_end,
            days=draft.days,
            total=draft.total,
            note=note,
            submitted_by=acting_person(actor),
        )
        validated(claim, fields=["period_start", "period_end", "note"])
        claim.save()
        claim.reference = f"CL-{claim.pk:06d}"
        claim.save(update_fields=["reference"])
        for order, line in enumerate(draft.lines):
            row = ClaimLine(
                claim=claim,
                order=order,
                kind=line.kind,
                description=line.description[:200],
                cost_line=line.cost_line,
                days=line.days,
                day_rate=line.day_rate,
                amount=line.amount,
            )
            if line.evidence is not None:
                _save_evidence(row, line.evidence)
            row.save()
        try:
            ClaimedTime.objects.bulk_create(
                [ClaimedTime(claim=claim, time_entry=entry, days=entry.days) for entry in draft.entries]
            )
        except IntegrityError as race:  # pragma: no cover - the deployment lock prevents it
            raise FundingError(
                "Some of this time was claimed a moment ago: check the claims and try again."
            ) from race
        _record(claim, ClaimAction.SUBMITTED, actor=actor, note=note)
    _notify("claim_submitted", claim)
    return claim


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().select_related("deployment").get(pk=claim.pk)


def _move(claim: Claim, to_state: str, action: str, *, actor, note: str = "") -> Claim:
    previous = claim.state
    claim.state = to_state
    claim.state_changed_at = timezone.now()
    claim.save(update_fields=["state", "state_changed_at"])
    _record(claim, action, actor=actor, from_state=previous, note=note)
    return claim


def _refuse_unless(claim: Claim, allowed: set[str], doing: str) -> None:
    if claim.state not in allowed:
        raise InvalidTransition(
            f"This claim is {claim.get_state_display().lower()}, so it cannot be {doing}."
        )


def _require_decider(actor, claim: Claim) -> None:
    why = decide_refusal(actor, claim)
    if why:
        raise NotPermitted(why)


def approve(claim: Claim, *, actor) -> Claim:
    """Approve. Above the second-approval amount the first approval waits for a second person's, and
    only people approve: a partner system's token is no person, and whoever runs it could approve
    again in the service, so it approves only claims up to the amount."""
    with transaction.atomic():
        claim = _locked(claim)
        _require_decider(actor, claim)
        _refuse_unless(claim, DECIDABLE, "approved")
        needs_two = claim.total > second_approval_above()
        organisation = _api_organisation(actor)
        if organisation and needs_two:
            raise NotPermitted(
                f"Claims of more than {money.format_pounds(second_approval_above())} need the approval "
                "of two people: approve this one in the service."
            )
        mine = Q(api_organisation=organisation) if organisation else Q(approver=actor)
        if claim.approvals.filter(mine).exists():
            raise FundingError("You have already approved this claim: a second person must approve it.")
        ClaimApproval.objects.create(
            claim=claim, approver=acting_person(actor), api_organisation=organisation
        )
        if needs_two and claim.state == ClaimState.SUBMITTED:
            _move(claim, ClaimState.AWAITING_SECOND_APPROVAL, ClaimAction.FIRST_APPROVAL, actor=actor)
            _notify("claim_needs_second_approval", claim, actor)
        else:
            _move(claim, ClaimState.APPROVED, ClaimAction.APPROVED, actor=actor)
            _notify("claim_approved", claim)
    return claim


def request_information(claim: Claim, *, actor, note: str) -> Claim:
    """Ask the claiming school for more information; approvals so far are set aside."""
    if not note.strip():
        raise FundingError("Say what information you need.", field="note")
    with transaction.atomic():
        claim = _locked(claim)
        _require_decider(actor, claim)
        _refuse_unless(claim, DECIDABLE, "sent back for information")
        claim.approvals.all().delete()
        _move(
            claim, ClaimState.INFORMATION_REQUESTED, ClaimAction.INFORMATION_REQUESTED, actor=actor, note=note
        )
        _notify("claim_information_requested", claim, note)
    return claim


def give_information(
    claim: Claim, *, actor, note: str, evidence: dict[int, UploadedFile] | None = None
) -> Claim:
    """The claiming school answers and the claim goes back to the commissioner. ``evidence`` maps a
    line's id to a replacement file."""
    if not actor.has_perm("funding.answer_claim", claim):
        raise NotPermitted("Only the claiming school's head or school business manager can answer.")
    if not note.strip():
        raise FundingError("Give the information the commissioner asked for.", field="note")
    with transaction.atomic():
        claim = _locked(claim)
        _refuse_unless(claim, {ClaimState.INFORMATION_REQUESTED}, "resubmitted")
        for line in claim.lines.filter(pk__in=list((evidence or {}).keys())):
            _save_evidence(line, evidence[line.pk], field=f"line_{line.pk}_evidence")
            line.save()
        _move(claim, ClaimState.SUBMITTED, ClaimAction.INFORMATION_GIVEN, actor=actor, note=note)
    _notify("claim_submitted", claim)
    return claim


def reject(claim: Claim, *, actor, reason: str) -> Claim:
    """Reject with a reason. The claim's time is let go, so it can be claimed again."""
    if not reason.strip():
        raise FundingError("Give the reason for rejecting the claim.", field="reason")
    with transaction.atomic():
        claim = _locked(claim)
        _require_decider(actor, claim)
        _refuse_unless(claim, DECIDABLE | {ClaimState.INFORMATION_REQUESTED}, "rejected")
        claim.claimed_time.all().delete()
        _move(claim, ClaimState.REJECTED, ClaimAction.REJECTED, actor=actor, note=reason)
        _notify("claim_rejected", claim, reason)
    return claim


def withdraw(claim: Claim, *, actor, note: str = "") -> Claim:
    if not actor.has_perm("funding.withdraw_claim", claim):
        raise NotPermitted("Only the claiming school's head or school business manager can withdraw it.")
    with transaction.atomic():
        claim = _locked(claim)
        _refuse_unless(claim, WITHDRAWABLE, "withdrawn")
        claim.claimed_time.all().delete()
        _move(claim, ClaimState.WITHDRAWN, ClaimAction.WITHDRAWN, actor=actor, note=note)
    return claim


def mark_exported(claims: list[Claim], *, actor) -> int:
    """Record that approved claims went to the finance system in an export file."""
    now, count = timezone.now(), 0
    with transaction.atomic():
        for claim in Claim.objects.select_for_update().filter(
            pk__in=[c.pk for c in claims], state=ClaimState.APPROVED
        ):
            claim.exported_at = now
            claim.save(update_fields=["exported_at"])
            _record(claim, ClaimAction.EXPORTED, actor=actor, from_state=claim.state)
            count += 1
    return count


def pay(
    claim: Claim,
    *,
    actor,
    paid_on: datetime.date,
    reference: str,
    method: str = PaymentMethod.RECORDED,
) -> Payment:
    """Record the payment of an approved claim, to the claiming school, once."""
    if not actor.has_perm("funding.pay_claim", claim):
        raise NotPermitted(decide_refusal(actor, claim) or "Only the commissioner can record this payment.")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.state == ClaimState.PAID:
            paid = Payment.objects.filter(claim=claim).first()
            raise InvalidTransition(
                f"This claim was already paid on {paid.paid_on:%-d %B %Y} (reference {paid.reference})."
                if paid
                else "This claim was already paid."
            )
        _refuse_unless(claim, {ClaimState.APPROVED}, "paid")
        payment = Payment(
            claim=claim,
            payee_school_id=claim.claiming_school_id,
            amount=claim.total,
            paid_on=paid_on,
            reference=reference.strip(),
            method=method,
            recorded_by=acting_person(actor),
        )
        if not payment.reference:
            raise FundingError("Enter the payment reference.", field="reference")
        validated(payment, fields=["paid_on", "reference", "amount", "payee_school"])
        payment.save()
        _move(claim, ClaimState.PAID, ClaimAction.PAID, actor=actor, note=f"Reference {payment.reference}")
        _notify("claim_paid", claim, payment)
    return payment


def claims_visible_to(user):
    """The claims a person may see (mirrors ``funding.view_claim``)."""
    from accounts.rules import is_national_administrator
    from brokerage.rules import COMMISSIONER_ROLES, broker_organisations_of

    from ..rules import SCHOOL_KINDS, SCHOOL_VIEW_ROLES

    claims = Claim.objects.select_related("deployment", "claiming_school", "commissioner")
    if not getattr(user, "is_authenticated", False):
        return claims.none()
    if is_api_client(user):  # mirrors ``funding.rules.api_sees_claim``
        organisation = user.organisation
        scope = Q(commissioner=organisation)
        if organisation.kind in SCHOOL_KINDS and organisation.school_id:
            scope |= Q(claiming_school_id=organisation.school_id)
        return claims.filter(scope)
    if is_national_administrator(user):
        return claims
    memberships = list(getattr(user, "active_memberships", []))
    commissioners = [m.organisation_id for m in memberships if m.role in COMMISSIONER_ROLES]
    schools = [
        m.organisation.school_id
        for m in memberships
        if m.role in SCHOOL_VIEW_ROLES and m.organisation.kind in SCHOOL_KINDS and m.organisation.school_id
    ]
    brokers = [o.pk for o in broker_organisations_of(user)]
    # Every condition follows a many-to-one link, so no claim repeats: no DISTINCT needed.
    return claims.filter(
        Q(commissioner_id__in=commissioners)
        | Q(claiming_school_id__in=schools)
        | Q(deployment__leader_school_id__in=schools)
        | Q(deployment__supported_school_id__in=schools)
        | Q(deployment__broker_id__in=brokers)
    )


def _notify(kind: str, claim: Claim, *args) -> None:
    """Email the people who must act next, after the change commits (``funding.emails``)."""
    from .. import emails

    send = getattr(emails, kind, None)
    if send is not None:
        transaction.on_commit(lambda: send(claim, *args))

"""Quality assurance of paid claims: a national administrator draws a share of the claims paid in a
period (random, but reproducible from the seed), the claiming school is asked for evidence, the
outcome is recorded; a failed sample opens a clawback that a second administrator approves before
the school is asked to repay, and that is marked complete once it has.

Every change locks its row, so two administrators (or a double click) cannot decide twice."""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

import money
from designations.validators import validate_evidence_file

from ..choices import ClaimState, ClawbackState, SampleState
from ..errors import FundingError, InvalidTransition, validated
from ..models import Claim, Clawback, Sample, SampleDraw
from ..rules import claims_for_school, own_claim_refusal
from ..validators import SAMPLE_RATE, SAMPLE_SEED

# --- drawing -------------------------------------------------------------------------------------


def sample_size(rate: int, eligible: int) -> int:
    """``rate`` percent of ``eligible``, rounded up: at least one claim when there is any."""
    return min(eligible, math.ceil(rate * eligible / 100)) if eligible else 0


def choose_claims(eligible_ids: list[int], rate: int, seed: int) -> list[int]:
    """The claims drawn: the same ids, rate and seed always choose the same claims."""
    ordered = sorted(eligible_ids)
    return random.Random(seed).sample(ordered, sample_size(rate, len(ordered)))


def eligible_claims(paid_from: datetime.date, paid_to: datetime.date):
    """Paid claims whose payment is dated in the period and that were never sampled, by id."""
    return Claim.objects.filter(
        state=ClaimState.PAID,
        payment__paid_on__gte=paid_from,
        payment__paid_on__lte=paid_to,
        sample__isnull=True,
    ).order_by("pk")


def _check_draw(rate, seed, paid_from, paid_to) -> None:
    for value, check, name in ((rate, SAMPLE_RATE, "rate"), (seed, SAMPLE_SEED, "seed")):
        try:
            check(value)
        except ValidationError as invalid:
            raise FundingError(invalid.messages[0], field=name) from invalid
    if paid_to < paid_from:
        raise FundingError("The end of the period must be on or after its start.", field="paid_to")


def _require_assurer(actor) -> None:
    if not actor.has_perm("funding.assure_claims"):
        raise FundingError("Only a national administrator can assure claims.")


def draw_sample(
    *, actor, rate: int, seed: int, paid_from: datetime.date, paid_to: datetime.date
) -> SampleDraw:
    """Draw ``rate`` percent of the eligible claims with ``seed``. Side effects, in order: the draw
    and its samples saved; each sampled claim's school emailed to give its evidence."""
    _require_assurer(actor)
    _check_draw(rate, seed, paid_from, paid_to)
    with transaction.atomic():
        # Locked so that a second draw at the same moment waits, then finds them sampled.
        eligible = list(
            eligible_claims(paid_from, paid_to).select_for_update(of=("self",)).values_list("pk", flat=True)
        )
        if not eligible:
            raise FundingError(
                "No paid claims in this period are waiting to be sampled: choose another period.",
                field="paid_from",
            )
        draw = SampleDraw.objects.create(
            rate=rate, seed=seed, paid_from=paid_from, paid_to=paid_to, eligible=len(eligible), drawn_by=actor
        )
        try:
            with transaction.atomic():
                samples = Sample.objects.bulk_create(
                    [Sample(draw=draw, claim_id=pk) for pk in sorted(choose_claims(eligible, rate, seed))]
                )
        except IntegrityError as race:
            raise FundingError(
                "Another administrator sampled some of these claims a moment ago: draw again."
            ) from race
        for sample in samples:
            _notify("sample_evidence_requested", sample.pk)
    return draw


# --- the school's evidence -----------------------------------------------------------------------


def _locked_sample(sample: Sample) -> Sample:
    return (
        Sample.objects.select_for_update(of=("self",))
        .select_related("claim", "claim__deployment")
        .get(pk=sample.pk)
    )


def _refuse_unless(obj, allowed: set[str], what: str, doing: str) -> None:
    if obj.state not in allowed:
        raise InvalidTransition(f"This {what} is {obj.get_state_display().lower()}, so it cannot be {doing}.")


def give_sample_evidence(sample: Sample, *, actor, file: UploadedFile, note: str = "") -> Sample:
    """The claiming school's head or business manager gives the evidence asked for (again, to
    replace it, until the outcome is recorded)."""
    with transaction.atomic():
        sample = _locked_sample(sample)
        if not claims_for_school(actor, sample.claim.claiming_school_id):
            raise FundingError(
                "Only the claiming school's head or school business manager can give evidence."
            )
        _refuse_unless(
            sample,
            {SampleState.EVIDENCE_REQUESTED, SampleState.EVIDENCE_RECEIVED},
            "sample",
            "given evidence",
        )
        if file is None:
            raise FundingError("Select the file of evidence.", field="file")
        try:
            content_type = validate_evidence_file(file)
        except ValidationError as invalid:
            raise FundingError(invalid.messages[0], field="file") from invalid
        sample.school_note = note.strip()
        validated(sample, fields=["school_note"], rename={"school_note": "note"})
        sample.evidence.save(file.name, file, save=False)
        sample.evidence_name = file.name[:255]
        sample.evidence_content_type, sample.evidence_size = content_type, file.size
        sample.state = SampleState.EVIDENCE_RECEIVED
        sample.evidence_given_by, sample.evidence_given_at = actor, timezone.now()
        sample.save()
    return sample


# --- the outcome and the clawback ----------------------------------------------------------------


def own_sample_refusal(user, sample: Sample) -> str:
    """Nobody assures their own school's claim, or their own work."""
    return own_claim_refusal(user, sample.claim).replace("decide it", "assure it")


def record_sample_outcome(
    sample: Sample, *, actor, passed: bool, note: str, clawback_amount: Decimal | None = None
) -> Sample:
    """Pass the sample, or fail it and open a clawback (of the claim's total unless an amount is
    given) for a second administrator to approve. A sample passes on the evidence given; it may
    fail without, when the school gave none."""
    _require_assurer(actor)
    note = note.strip()
    with transaction.atomic():
        sample = _locked_sample(sample)
        why = own_sample_refusal(actor, sample)
        if why:
            raise FundingError(why)
        if passed:
            _refuse_unless(sample, {SampleState.EVIDENCE_RECEIVED}, "sample", "passed")
        else:
            _refuse_unless(
                sample, {SampleState.EVIDENCE_REQUESTED, SampleState.EVIDENCE_RECEIVED}, "sample", "failed"
            )
            if not note:
                raise FundingError("Say why the sample failed: the school is told.", field="note")
        sample.state = SampleState.PASSED if passed else SampleState.FAILED
        sample.outcome_note = note
        sample.decided_by, sample.decided_at = actor, timezone.now()
        validated(sample, fields=["outcome_note"], rename={"outcome_note": "note"})
        sample.save(update_fields=["state", "outcome_note", "decided_by", "decided_at"])
        if not passed:
            amount = sample.claim.total if clawback_amount is None else money.round_money(clawback_amount)
            clawback = Clawback(sample=sample, amount=amount, reason=note, opened_by=actor)
            validated(clawback, rename={"amount": "clawback_amount", "reason": "note"})
            clawback.save()
    return sample


def _locked_clawback(clawback: Clawback) -> Clawback:
    return (
        Clawback.objects.select_for_update(of=("self",))
        .select_related("sample__claim__deployment")
        .get(pk=clawback.pk)
    )


def second_approval_refusal(user, clawback: Clawback) -> str:
    """Why this person may not approve the clawback, or "" when nothing stands in the way."""
    if clawback.opened_by_id == user.pk:
        return "You opened this clawback, so a second administrator must approve it."
    return own_sample_refusal(user, clawback.sample)


def approve_clawback(clawback: Clawback, *, actor) -> Clawback:
    """A second administrator approves. Side effects: the school is emailed to repay."""
    _require_assurer(actor)
    with transaction.atomic():
        clawback = _locked_clawback(clawback)
        why = second_approval_refusal(actor, clawback)
        if why:
            raise FundingError(why)
        _refuse_unless(clawback, {ClawbackState.AWAITING_APPROVAL}, "clawback", "approved")
        clawback.state = ClawbackState.REQUESTED
        clawback.approved_by, clawback.approved_at = actor, timezone.now()
        clawback.save(update_fields=["state", "approved_by", "approved_at"])
        _notify("clawback_requested", clawback.pk)
    return clawback


def complete_clawback(clawback: Clawback, *, actor, repayment_reference: str) -> Clawback:
    """Record that the school has repaid, with the finance system's reference."""
    _require_assurer(actor)
    reference = repayment_reference.strip()
    if not reference:
        raise FundingError("Enter the reference of the repayment.", field="repayment_reference")
    with transaction.atomic():
        clawback = _locked_clawback(clawback)
        why = own_sample_refusal(actor, clawback.sample)
        if why:
            raise FundingError(why)
        _refuse_unless(clawback, {ClawbackState.REQUESTED}, "clawback", "marked as repaid")
        clawback.state, clawback.repayment_reference = ClawbackState.COMPLETE, reference
        clawback.completed_by, clawback.completed_at = actor, timezone.now()
        validated(clawback, fields=["repayment_reference"])
        clawback.save(update_fields=["state", "repayment_reference", "completed_by", "completed_at"])
    return clawback


def _notify(kind: str, pk: int) -> None:
    from .. import emails_assurance

    send = getattr(emails_assurance, kind)
    transaction.on_commit(lambda: send(pk))

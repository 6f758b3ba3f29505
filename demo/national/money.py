"""Claims on logged time: a share of the finished and running deployments have claimed their
leader's days (paid, approved or waiting for the commissioner), each claim holding the time
entries it claims, its lines, approvals, events and, once paid, its payment."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef

from deployments.choices import DeploymentState
from deployments.models import TimeEntry
from funding.choices import ClaimAction, ClaimLineKind, ClaimState, NoticeKind, PaymentMethod
from funding.jobs import last_month_due, month_start, unclaimed_key
from funding.models import Claim, ClaimApproval, ClaimedTime, ClaimEvent, ClaimLine, FundingNotice, Payment
from funding.services.claims import second_approval_above

from .context import Context, bulk, given_timestamps, insert_rows, moment
from .deployments import DeploymentsMade
from .people import People

HOUR = datetime.timedelta(hours=1)
CLAIMED_SHARE = {
    DeploymentState.COMPLETED: 0.4,
    DeploymentState.AWAITING_FINAL_EVALUATION: 0.4,
    DeploymentState.ACTIVE: 0.2,
}


def generate_claims(ctx: Context, people: People, made: DeploymentsMade) -> dict[str, int]:
    rng, today = ctx.rng("claims"), ctx.today
    # The second approvals' own draws, so adding them left every other claim as it was.
    second_rng = ctx.rng("claims:second-approvals")
    two_above = second_approval_above()
    entries_by_deployment: dict[int, list] = {}
    for entry in made.time_entries:
        entries_by_deployment.setdefault(entry.deployment_id, []).append(entry)
    claims, lines, claimed, approvals, events, payments = [], [], [], [], [], []

    def event(claim: Claim, action: str, before: str, after: str, actor, at: datetime.datetime) -> None:
        events.append(
            ClaimEvent(
                claim=claim,
                action=action,
                from_state=before,
                to_state=after,
                actor=actor,
                at=at,
            )
        )

    for deployment in made.deployments:
        entries = entries_by_deployment.get(deployment.pk)
        if not entries or rng.random() > CLAIMED_SHARE.get(deployment.state, 0):
            continue
        agreement = made.agreements[deployment.pk]
        days = sum((e.days for e in entries), Decimal(0))
        total = (days * agreement.day_rate).quantize(Decimal("0.01"))
        period_end = max(e.worked_on for e in entries)
        submitted = min(period_end + datetime.timedelta(days=rng.randint(3, 30)), today)
        state = (
            (ClaimState.PAID if rng.random() < 0.85 else ClaimState.APPROVED)
            if deployment.state != DeploymentState.ACTIVE
            else rng.choice((ClaimState.SUBMITTED, ClaimState.APPROVED))
        )
        head = people.heads.get(deployment.leader_school_id) or deployment.leader
        authority_id = deployment.supported_school.local_authority_id
        commissioner_user = people.commissioners[authority_id]
        claim = Claim(
            reference=f"CL-N{len(claims) + 1:06d}",
            deployment=deployment,
            agreement=agreement,
            claiming_school_id=agreement.payee_school_id,
            commissioner_id=deployment.commissioner_id,
            period_start=min(e.worked_on for e in entries),
            period_end=period_end,
            state=state,
            days=days,
            total=total,
            submitted_by=head,
            submitted_at=moment(submitted),
            state_changed_at=moment(submitted),
        )
        claims.append(claim)
        lines.append(
            ClaimLine(
                claim=claim,
                order=0,
                kind=ClaimLineKind.LEADER_DAYS,
                description="Leader's days",
                days=None,
                day_rate=agreement.day_rate,
                amount=total,
            )
        )
        claimed += [(claim, e.pk, e.days) for e in entries]
        event(claim, ClaimAction.SUBMITTED, "", ClaimState.SUBMITTED, head, moment(submitted))
        if state not in {ClaimState.APPROVED, ClaimState.PAID}:
            continue
        decided = min(submitted + datetime.timedelta(days=rng.randint(2, 20)), today)
        decided_at, decided_from = moment(decided), ClaimState.SUBMITTED
        if total > two_above:
            # Above the amount the funding service asks two people: the authority's officer
            # approves first, then its commissioner (an hour apart at least, never before submission).
            first = max(submitted, decided - datetime.timedelta(days=second_rng.randint(1, 5)))
            first_at = max(moment(first), moment(submitted) + HOUR)
            decided_at = max(decided_at, first_at + HOUR)
            officer = people.officers[authority_id]
            approvals.append(ClaimApproval(claim=claim, approver=officer, approved_at=first_at))
            event(
                claim,
                ClaimAction.FIRST_APPROVAL,
                ClaimState.SUBMITTED,
                ClaimState.AWAITING_SECOND_APPROVAL,
                officer,
                first_at,
            )
            decided_from = ClaimState.AWAITING_SECOND_APPROVAL
        claim.state_changed_at = decided_at
        approvals.append(ClaimApproval(claim=claim, approver=commissioner_user, approved_at=decided_at))
        event(claim, ClaimAction.APPROVED, decided_from, ClaimState.APPROVED, commissioner_user, decided_at)
        if state == ClaimState.PAID:
            paid_on = min(decided + datetime.timedelta(days=rng.randint(5, 30)), today)
            claim.state_changed_at = moment(paid_on)
            payments.append(
                Payment(
                    claim=claim,
                    payee_school_id=claim.claiming_school_id,
                    amount=total,
                    paid_on=paid_on,
                    reference=f"PAY-{len(payments) + 1:07d}",
                    method=PaymentMethod.RECORDED,
                    recorded_by=commissioner_user,
                    recorded_at=moment(paid_on),
                )
            )
            paid_at = moment(paid_on)
            event(claim, ClaimAction.PAID, ClaimState.APPROVED, ClaimState.PAID, commissioner_user, paid_at)
    with given_timestamps(Claim, ClaimApproval, ClaimEvent, Payment):
        bulk(Claim, claims)
        for row in [*lines, *approvals, *events, *payments]:
            row.claim = row.claim
        bulk(ClaimLine, lines, ids=False)
        insert_rows(
            ClaimedTime,
            ("claim_id", "time_entry_id", "days"),
            [(claim.pk, entry_id, entry_days) for claim, entry_id, entry_days in claimed],
        )
        bulk(ClaimApproval, approvals, ids=False)
        bulk(ClaimEvent, events, batch_size=5000, ids=False)
        bulk(Payment, payments, ids=False)
    return {
        "claims": len(claims),
        "claimed time entries": len(claimed),
        "approvals": len(approvals),
        "payments": len(payments),
    }


def generate_past_reminders(ctx: Context) -> dict[str, int]:
    """The unclaimed-days reminders earlier daily runs sent: one per deployment and month of time
    still unclaimed that was due by yesterday, as years of use would leave them. Without them the
    first run over the national data would send ten years of reminders at once."""
    up_to = last_month_due(ctx.today - datetime.timedelta(days=1))
    claimed = ClaimedTime.objects.filter(time_entry=OuterRef("pk"))
    unclaimed = TimeEntry.objects.filter(worked_on__lte=up_to).exclude(Exists(claimed)).order_by()
    keys = {
        (deployment_id, month_start(worked_on))
        for deployment_id, worked_on in unclaimed.values_list("deployment_id", "worked_on")
    }
    sent = moment(ctx.today - datetime.timedelta(days=1))
    notices = [
        FundingNotice(
            kind=NoticeKind.UNCLAIMED_DAYS, key=unclaimed_key(deployment_id, month),
            deployment_id=deployment_id, sent_at=sent,
        )
        for deployment_id, month in sorted(keys)
    ]
    bulk(FundingNotice, notices, ids=False)
    return {"unclaimed-days reminders sent before": len(notices)}

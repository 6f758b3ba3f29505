from django.db import models


class ClaimState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    INFORMATION_REQUESTED = "information_requested", "Information requested"
    AWAITING_SECOND_APPROVAL = "awaiting_second_approval", "Awaiting second approval"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A claim in one of these states still holds its days: they count against what was agreed.
LIVE_CLAIM_STATES = frozenset(
    {
        ClaimState.SUBMITTED,
        ClaimState.INFORMATION_REQUESTED,
        ClaimState.AWAITING_SECOND_APPROVAL,
        ClaimState.APPROVED,
        ClaimState.PAID,
    }
)
# Waiting for the commissioner to decide.
UNDECIDED_CLAIM_STATES = frozenset({ClaimState.SUBMITTED, ClaimState.AWAITING_SECOND_APPROVAL})


class ClaimLineKind(models.TextChoices):
    LEADER_DAYS = "leader_days", "Leader's days"
    FIXED_SUM = "fixed_sum", "Share of the fixed sum"
    BACKFILL = "backfill", "Backfill"
    SUPPLY_COVER = "supply_cover", "Supply cover"
    OTHER = "other", "Other cost"


# Lines that reimburse a cost the school bore: each needs evidence (an invoice, a timesheet).
EVIDENCED_LINE_KINDS = frozenset({ClaimLineKind.BACKFILL, ClaimLineKind.SUPPLY_COVER, ClaimLineKind.OTHER})


class ClaimAction(models.TextChoices):
    """What happened to a claim, for its history."""

    SUBMITTED = "submitted", "Submitted"
    INFORMATION_REQUESTED = "information_requested", "Information requested"
    INFORMATION_GIVEN = "information_given", "Information given and resubmitted"
    FIRST_APPROVAL = "first_approval", "Approved (first of two approvals)"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPORTED = "exported", "Exported for payment"
    PAID = "paid", "Paid"


class PaymentMethod(models.TextChoices):
    RECORDED = "recorded", "Recorded in the service"
    PAYMENT_FILE = "payment_file", "Imported from a payment file"


class FundingKind(models.TextChoices):
    NSS_BURSARY = "nss_bursary", "National support school bursary"
    NLG_GRANT = "nlg_grant", "National leader of governance grant"


class BursaryState(models.TextChoices):
    SCHEDULED = "scheduled", "Awaiting approval"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"


class SampleState(models.TextChoices):
    EVIDENCE_REQUESTED = "evidence_requested", "Evidence requested"
    EVIDENCE_RECEIVED = "evidence_received", "Evidence received"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"


class ClawbackState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting a second administrator's approval"
    REQUESTED = "requested", "Repayment requested"
    COMPLETE = "complete", "Repaid"
    CANCELLED = "cancelled", "Cancelled"


class NoticeKind(models.TextChoices):
    """Emails the daily jobs send once each."""

    UNCLAIMED_DAYS = "unclaimed_days", "Delivered days still unclaimed"
    OVERDUE_CLAIM = "overdue_claim", "Claim not decided for 30 days"

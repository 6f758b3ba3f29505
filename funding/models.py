"""Claims, payments, bursaries and grants, and their quality assurance.

Money goes to a school, never to a person: every payment's payee is a ``schools.School`` (the model
has no other payee), and a claim's payee is the school the agreement pays. Amounts are ``Decimal``
pounds and pence, rounded once by ``money``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from apiformat.timestamps import Timestamped
from bounds import BoundedDecimalField
from plaintext.fields import NameField, NotesField

from .choices import (
    BursaryState,
    ClaimAction,
    ClaimLineKind,
    ClaimState,
    ClawbackState,
    FundingKind,
    NoticeKind,
    PaymentMethod,
    SampleState,
)
from .validators import (
    ANNUAL_AMOUNT,
    CLAIM_PERIOD_ENDS,
    CLAIM_PERIOD_STARTS,
    CLAIMED_COST_DAYS,
    CLAWBACK_AMOUNT,
    FUNDING_YEAR,
    LINE_AMOUNT,
    PAID_ON,
    PAYMENT_REFERENCE_MAX,
    SAMPLE_RATE,
    SAMPLE_SEED,
)

USER = settings.AUTH_USER_MODEL


def evidence_path(instance, filename: str) -> str:
    """Stored under a random name: the original name is kept on the row, never in the path."""
    return f"funding/evidence/{uuid.uuid4().hex}"


class EvidenceMixin(models.Model):
    """An uploaded file (an invoice, a timesheet), checked by ``designations.validators``."""

    evidence = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence)


class Claim(Timestamped):
    """The leader's school claims the days delivered in a period, at the agreed rates, and the
    backfill or supply cover the agreement reimburses; the commissioner (the funder) decides."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    deployment = models.ForeignKey("deployments.Deployment", on_delete=models.PROTECT, related_name="claims")
    agreement = models.ForeignKey(
        "deployments.Agreement",
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="The agreed version whose rates the claim uses.",
    )
    claiming_school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="The school paid: the agreement's payee, never a person.",
    )
    commissioner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="claims_to_decide",
        help_text="The funder, who approves and pays.",
    )
    period_start = models.DateField(validators=[CLAIM_PERIOD_STARTS])
    period_end = models.DateField(validators=[CLAIM_PERIOD_ENDS])
    state = models.CharField(max_length=30, choices=ClaimState.choices, default=ClaimState.SUBMITTED)
    days = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    note = NotesField(blank=True, max_length=2000, help_text="Anything the commissioner should know.")
    submitted_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person who claimed; empty when the school's API token did.",
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)
    exported_at = models.DateTimeField(null=True, blank=True, help_text="Last exported for payment.")

    class Meta:
        indexes = [
            models.Index(fields=["updated_at", "id"], name="claim_sync_order"),
            # A commissioner's claims found from the index alone (the payments of its year).
            models.Index(fields=["commissioner", "id"], name="claim_commissioner_scope"),
        ]
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="claim_period_in_order"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="claim_total_not_negative"),
        ]
        permissions = [("decide_claims", "Can decide claims anywhere")]

    def __str__(self) -> str:
        return self.reference or f"Claim {self.pk}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The end of the period must be on or after its start"})
        if (
            self.agreement_id
            and self.claiming_school_id
            and self.claiming_school_id != self.agreement.payee_school_id
        ):
            raise ValidationError(
                {"claiming_school": "A claim is paid to the school the agreement pays, never elsewhere"}
            )

    @property
    def is_live(self) -> bool:
        from .choices import LIVE_CLAIM_STATES

        return self.state in LIVE_CLAIM_STATES


class ClaimLine(EvidenceMixin):
    """One line of a claim: the leader's days at the day rate (or their share of a fixed sum), or
    days of backfill, supply cover or another cost at the agreement's rate for it, with evidence."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=ClaimLineKind.choices)
    description = NameField(max_length=200, blank=True)
    cost_line = models.ForeignKey(
        "deployments.AgreementCostLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agreement's cost line this reimburses.",
    )
    days = BoundedDecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, validators=[CLAIMED_COST_DAYS]
    )
    day_rate = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    amount = BoundedDecimalField(max_digits=12, decimal_places=2, validators=[LINE_AMOUNT])

    class Meta:
        ordering = ["claim", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: £{self.amount}"


class ClaimedTime(models.Model):
    """A time entry a live claim covers. Each entry is claimed once: a rejected or withdrawn claim
    lets its entries go, so they can be claimed again."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="claimed_time")
    time_entry = models.OneToOneField(
        "deployments.TimeEntry", on_delete=models.PROTECT, related_name="claimed_by"
    )
    days = models.DecimalField(max_digits=3, decimal_places=2)

    def __str__(self) -> str:
        return f"{self.time_entry} on {self.claim}"


class ClaimApproval(models.Model):
    """One person's approval. Above the second-approval amount a claim needs two, by two people."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    api_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation whose API token approved (only claims that need one approval); "
        "empty when a person did.",
    )
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "approved_at"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "approver"], name="one_approval_per_person"),
            models.UniqueConstraint(
                fields=["claim", "api_organisation"], name="one_approval_per_api_organisation"
            ),
            models.CheckConstraint(
                condition=Q(approver__isnull=False, api_organisation__isnull=True)
                | Q(approver__isnull=True, api_organisation__isnull=False),
                name="approval_by_a_person_or_a_token",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} approved by {self.approver}"


class ClaimEvent(models.Model):
    """The claim's history, shown to both schools and the commissioner."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=ClaimAction.choices)
    from_state = models.CharField(max_length=30, choices=ClaimState.choices, blank=True)
    to_state = models.CharField(max_length=30, choices=ClaimState.choices)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    api_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation whose API token acted; empty when a person (or the service) did.",
    )
    note = NotesField(blank=True, max_length=2000)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["claim", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.claim}: {self.get_action_display()}"


class FundingRate(models.Model):
    """How much a school receives a year for a designation it holds or hosts (data, set by a
    national administrator): the NSS bursary for a national leader of education's school, the
    grant for an NLG's expenses. ``year`` is the financial year starting 1 April of that year."""

    kind = models.CharField(max_length=20, choices=FundingKind.choices)
    designation_type = models.ForeignKey(
        "designations.DesignationType", on_delete=models.PROTECT, related_name="funding_rates"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The financial year, by the year it starts: 2026 is 2026-27.", validators=[FUNDING_YEAR]
    )
    annual_amount = BoundedDecimalField(max_digits=10, decimal_places=2, validators=[ANNUAL_AMOUNT])

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "designation_type", "year"], name="one_rate_per_kind_type_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}-{(self.year + 1) % 100:02d}: £{self.annual_amount}"


class Bursary(models.Model):
    """A year's bursary (or grant) for a school while a designation is current, pro rata for the
    days of the financial year it was designated; scheduled by ``schedule_bursaries``, approved by a
    national administrator and paid to the school like a claim."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=FundingKind.choices)
    designation = models.ForeignKey(
        "designations.Designation", on_delete=models.PROTECT, related_name="bursaries"
    )
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="bursaries")
    year = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    annual_amount = models.DecimalField(max_digits=10, decimal_places=2)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    state = models.CharField(max_length=20, choices=BursaryState.choices, default=BursaryState.SCHEDULED)
    scheduled_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = NotesField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-year", "school__name", "pk"]
        verbose_name_plural = "bursaries"
        constraints = [
            models.UniqueConstraint(fields=["designation", "year"], name="one_bursary_per_designation_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bursary_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return self.reference or f"Bursary {self.pk}"


class Payment(models.Model):
    """Money paid to a school for one claim or one bursary, at most once each."""

    reference = models.CharField(
        max_length=PAYMENT_REFERENCE_MAX, help_text="The finance system's reference for the payment."
    )
    payee_school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="payments")
    claim = models.OneToOneField(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="payment"
    )
    bursary = models.OneToOneField(
        Bursary, null=True, blank=True, on_delete=models.PROTECT, related_name="payment"
    )
    amount = BoundedDecimalField(max_digits=12, decimal_places=2, validators=[LINE_AMOUNT])
    paid_on = models.DateField(validators=[PAID_ON])
    method = models.CharField(max_length=20, choices=PaymentMethod.choices, default=PaymentMethod.RECORDED)
    recorded_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the commissioner's API token recorded it.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(claim__isnull=False, bursary__isnull=True)
                    | Q(claim__isnull=True, bursary__isnull=False)
                ),
                name="payment_for_one_claim_or_bursary",
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} to {self.payee_school} ({self.reference})"

    def clean(self) -> None:
        """The payee is the school the claim or bursary is for: never anyone else."""
        owed_to = (
            self.claim.claiming_school_id
            if self.claim_id
            else (self.bursary.school_id if self.bursary_id else None)
        )
        if owed_to is not None and self.payee_school_id != owed_to:
            raise ValidationError(
                {"payee_school": "A payment goes to the school the claim or bursary is for"}
            )
        owed = self.claim.total if self.claim_id else (self.bursary.amount if self.bursary_id else None)
        if owed is not None and self.amount is not None and self.amount != owed:
            raise ValidationError({"amount": f"The amount paid must be the £{owed:,.2f} approved"})


class Sample(EvidenceMixin):
    """A paid claim drawn for quality assurance: the claiming school is asked for evidence and a
    national administrator records the outcome."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="sample")
    draw = models.ForeignKey("SampleDraw", on_delete=models.PROTECT, related_name="samples")
    state = models.CharField(
        max_length=20, choices=SampleState.choices, default=SampleState.EVIDENCE_REQUESTED
    )
    school_note = NotesField(
        blank=True, max_length=2000, help_text="What the school says about its evidence."
    )
    evidence_given_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_given_at = models.DateTimeField(null=True, blank=True)
    outcome_note = NotesField(blank=True, max_length=2000)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draw", "claim"]

    def __str__(self) -> str:
        return f"Sample of {self.claim}"


class SampleDraw(models.Model):
    """One drawing of samples: the rate and seed make it reproducible."""

    rate = models.PositiveSmallIntegerField(
        help_text="Percent of the eligible paid claims drawn.", validators=[SAMPLE_RATE]
    )
    seed = models.PositiveIntegerField(validators=[SAMPLE_SEED])
    paid_from = models.DateField()
    paid_to = models.DateField()
    eligible = models.PositiveIntegerField(default=0)
    drawn_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"{self.rate}% of claims paid {self.paid_from} to {self.paid_to} (seed {self.seed})"


class Clawback(models.Model):
    """Money asked back after a failed sample: opened by one national administrator, approved by a
    second, then marked complete when the school has repaid."""

    sample = models.OneToOneField(Sample, on_delete=models.PROTECT, related_name="clawback")
    amount = BoundedDecimalField(max_digits=12, decimal_places=2, validators=[CLAWBACK_AMOUNT])
    reason = NotesField(max_length=2000)
    state = models.CharField(
        max_length=20, choices=ClawbackState.choices, default=ClawbackState.AWAITING_APPROVAL
    )
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    repayment_reference = models.CharField(max_length=PAYMENT_REFERENCE_MAX, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("opened_by")),
                name="clawback_approved_by_a_second_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Clawback of £{self.amount} on {self.sample.claim}"

    def clean(self) -> None:
        if self.sample_id and self.amount is not None and self.amount > self.sample.claim.total:
            raise ValidationError(
                {
                    "amount": "The amount to claw back must be at most the "
                    f"£{self.sample.claim.total:,.2f} paid"
                }
            )


class FundingNotice(models.Model):
    """An email the daily jobs send once: the unique key makes a re-run (or a crash and re-run)
    tell nobody twice."""

    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    key = models.CharField(
        max_length=80, help_text="What makes the notice distinct, e.g. deployment and month."
    )
    deployment = models.ForeignKey(
        "deployments.Deployment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_funding_notice_per_key")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"

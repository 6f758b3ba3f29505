"""Deployments of system leaders: the versioned three-party agreement, state changes, time
logged, progress reviews against objectives, the final evaluation, leaders' unavailability and
the records that keep the daily jobs from telling anyone twice."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apiformat.timestamps import Timestamped
from bounds import BoundedDecimalField, long_date
from plaintext.fields import NameField, NotesField
from schooldays.calendar import (
    DAYS_IN_A_SCHOOL_WEEK,
    SchoolCalendar,
    calendars_for,
    round_to_half_day,
    term_weeks,
)

from .choices import (
    LIVE_STATES,
    AgreementMethod,
    AgreementStatus,
    CostKind,
    DeploymentState,
    NoticeKind,
    ObjectiveOutcome,
    Party,
    Rag,
    RateBasis,
    RecordedSignoffStatus,
    ReminderKind,
    StateReason,
    TimeBasis,
)
from .costs import CostSummary, leader_line, summarise
from .validators import (
    AGREED_ON,
    AGREEMENT_ENDS,
    AGREEMENT_LONGEST_DAYS,
    AGREEMENT_STARTS,
    AVAILABLE_DAYS,
    COST_DAY_RATE,
    COST_DAYS,
    DAY_RATE,
    DAYS_PER_WEEK,
    EVALUATED_ON,
    EXTRA_DAYS,
    NEXT_REVIEW_ON,
    REVIEWED_ON,
    STAFF_DAYS,
    TARGET_ON,
    TIME_LOGGED,
    TOTAL_AMOUNT,
    TOTAL_DAYS,
    UNAVAILABLE_FROM,
    UNAVAILABLE_TO,
    WORKED_ON,
)


class Deployment(Timestamped):
    """A leader working with a supported school, brokered for a support request."""

    support_request = models.ForeignKey(
        "brokerage.SupportRequest", on_delete=models.PROTECT, related_name="deployments"
    )
    designation = models.ForeignKey(
        "designations.Designation", on_delete=models.PROTECT, related_name="deployments"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deployments_led",
        help_text="The designation's holder when the deployment was proposed.",
    )
    leader_school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="deployments_given",
        help_text="The leader's school: it is paid, never the person.",
    )
    supported_school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="deployments_received"
    )
    commissioner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    broker = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=30, choices=DeploymentState.choices, default=DeploymentState.PROPOSED)
    state_reason = models.CharField(max_length=30, choices=StateReason.choices, blank=True)
    state_note = NotesField(blank=True)
    # Copied from the agreed agreement, so lists, capacity and the jobs need no join.
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    days_per_week = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    days_agreed = models.DecimalField(max_digits=6, decimal_places=1, default=0)
    next_review_on = models.DateField(null=True, blank=True)
    last_time_logged_on = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The latest progress review (by date, then the later recorded) and how many objectives it
    # rated red, amber and green: kept by services.refresh_latest_review whenever a review is saved
    # or deleted, so the dashboard and the CSV read them without a subquery per deployment.
    latest_review_on = models.DateField(null=True, blank=True)
    latest_red = models.PositiveSmallIntegerField(default=0)
    latest_amber = models.PositiveSmallIntegerField(default=0)
    latest_green = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state_changed_at = models.DateTimeField(auto_now_add=True)

    # The latest review's copy is not a change anyone made: the reviews have their own records.
    history = HistoricalRecords(
        excluded_fields=["latest_review_on", "latest_red", "latest_amber", "latest_green"]
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["updated_at", "id"], name="deployment_sync_order"),
            models.Index(fields=["state", "ends_on"]),
            models.Index(fields=["state", "next_review_on"]),
            # The lists' order (newest first, read backwards) and the API's changed_since filter.
            models.Index(fields=["created_at", "id"], name="deployment_list_order"),
            models.Index(fields=["state_changed_at"], name="deployment_state_changed_at"),
            # An authority's live deployments and their risks (its dashboard's figures) are read
            # from this index alone; the rows it tests are England's live ones, not every one.
            models.Index(
                fields=["supported_school", "commissioner"],
                include=["id", "state", "latest_red", "next_review_on", "last_time_logged_on", "starts_on"],
                condition=Q(state__in=[DeploymentState.ACTIVE, DeploymentState.PAUSED]),
                name="live_deployment_scope",
            ),
            # A commissioner's deployments with their supported schools, without reading the rows
            # (the year's agreed versions, funding.finance).
            models.Index(
                fields=["commissioner", "id", "supported_school"], name="deployment_commissioner_scope"
            ),
        ]
        constraints = [
            # One live proposal per leader per request, whichever way two proposals race.
            models.UniqueConstraint(
                fields=["support_request", "leader"],
                condition=Q(state__in=sorted(LIVE_STATES)),
                name="one_live_deployment_per_leader_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.designation.designation_type.code} {self.leader} at {self.supported_school.name}"


class DeploymentTransition(Timestamped):
    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=30, choices=DeploymentState.choices)
    to_state = models.CharField(max_length=30, choices=DeploymentState.choices)
    reason = models.CharField(max_length=30, choices=StateReason.choices, blank=True)
    note = NotesField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["updated_at", "id"], name="transition_sync_order"),
        ]
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


def agreed_days_of(
    time_basis: str, days_per_week: Decimal | None, total_days: Decimal | None, weeks: Decimal
) -> Decimal:
    """An agreement's days (``Agreement.agreed_days``) from its terms and its term weeks, for
    terms read without the model."""
    if time_basis == TimeBasis.TOTAL_DAYS:
        return total_days or Decimal(0)
    return round_to_half_day((days_per_week or Decimal(0)) * weeks)


class Agreement(models.Model):
    """One version of the brokerage agreement. A change after agreement is a new version,
    agreed again by all three parties."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    expected_impact = NotesField()
    support_approach = NotesField()
    school_participants = NotesField(
        max_length=2000,
        help_text="Which leaders of the supported school take part, e.g. 'Headteacher; maths lead'."
    )
    time_basis = models.CharField(max_length=20, choices=TimeBasis.choices, default=TimeBasis.DAYS_PER_WEEK)
    days_per_week = BoundedDecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True, validators=[DAYS_PER_WEEK]
    )
    total_days = BoundedDecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, validators=[TOTAL_DAYS]
    )
    starts_on = models.DateField(validators=[AGREEMENT_STARTS])
    ends_on = models.DateField(validators=[AGREEMENT_ENDS])
    rate_basis = models.CharField(max_length=20, choices=RateBasis.choices, default=RateBasis.DAY_RATE)
    day_rate = BoundedDecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=[DAY_RATE]
    )
    total_amount = BoundedDecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[TOTAL_AMOUNT]
    )
    payer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", help_text="Who pays."
    )
    payee_school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Always the leader's school (or its national support school): never a person.",
    )
    backfill_note = NotesField(blank=True, help_text="Backfill or supply cover reimbursed, if any.")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When this version was last sent to the parties to agree."
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["deployment", "version"]
        constraints = [
            models.UniqueConstraint(fields=["deployment", "version"], name="one_agreement_per_version"),
            models.UniqueConstraint(
                fields=["deployment"],
                condition=Q(status__in=["awaiting_agreement", "draft"]),
                name="one_open_agreement_per_deployment",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="agreement_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.version} for deployment {self.deployment_id}"

    # The day the draft is made, when it is not today (the demo drafts its history); not stored.
    drafted_on: datetime.date | None = None

    def clean(self) -> None:
        """From today (a later version may keep the start its deployment already has), ending on or
        after the start and within three years of it."""
        if self.starts_on is None or self.ends_on is None:
            return
        today = self.drafted_on or timezone.localdate()
        kept_start = self.deployment.starts_on if self.deployment_id else None
        if self.starts_on < today and self.starts_on != kept_start:
            raise ValidationError({"starts_on": "The start date must be today or in the future"})
        if self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date"})
        if (self.ends_on - self.starts_on).days > AGREEMENT_LONGEST_DAYS:
            raise ValidationError({"ends_on": "The support must end within three years of its start"})

    @property
    def weeks(self) -> Decimal:
        """The term weeks from start to end (school days ÷ 5) by the calendar of the supported
        school's local authority: the work happens there, so its half terms, holidays and England's
        bank holidays are not weeks of the agreement. Read once per version of the dates."""
        key = self._term_weeks_key()
        if getattr(self, "_term_weeks", (None, None))[0] != key:
            self._term_weeks = (key, term_weeks(*key))
        return self._term_weeks[1]

    def _term_weeks_key(self) -> tuple:
        return (self.starts_on, self.ends_on, self.deployment.supported_school.local_authority_id)

    def count_term_weeks(self, calendar: SchoolCalendar) -> None:
        """Count ``weeks`` from a calendar already loaded (see ``count_term_weeks``)."""
        days = calendar.count_school_days(self.starts_on, self.ends_on)
        self._term_weeks = (self._term_weeks_key(), Decimal(days) / DAYS_IN_A_SCHOOL_WEEK)

    @property
    def committed_days_per_week(self) -> Decimal:
        """The leader's time this agreement takes each term week, whichever way it was stated."""
        if self.time_basis == TimeBasis.DAYS_PER_WEEK:
            return self.days_per_week or Decimal(0)
        return ((self.total_days or Decimal(0)) / max(self.weeks, Decimal(1))).quantize(Decimal("0.1"))

    @property
    def agreed_days(self) -> Decimal:
        """Total days as typed; else days a week × the term weeks (see ``weeks``) to the half day:
        ``schooldays.calendar.days_for_weekly_commitment`` for the supported school's authority."""
        # The term weeks (read from the term dates) only when they count.
        weeks = Decimal(0) if self.time_basis == TimeBasis.TOTAL_DAYS else self.weeks
        return agreed_days_of(self.time_basis, self.days_per_week, self.total_days, weeks)

    @property
    def cost(self) -> Decimal | None:
        """The leader's part: the days agreed at the day rate, or the fixed sum."""
        return leader_line(self).amount

    def cost_summary(self, *, budget: Decimal | None | bool = True) -> CostSummary:
        """Every line and the total (``deployments.costs``); the request's budget, to show any
        overrun, unless ``budget`` is given (or False for none). Uses prefetched cost lines and staff."""
        if budget is True:
            budget = self.deployment.support_request.budget
        return summarise(
            self, cost_lines=self.cost_lines.all(), staff=self.staff.all(), budget=budget or None
        )


class Objective(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField(default=0)
    description = NotesField(max_length=2000)
    success_measure = NotesField(max_length=2000, help_text="How everyone will know it has been met.")
    target_on = models.DateField(validators=[TARGET_ON])
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The same objective in the previous version of the agreement.",
    )

    class Meta:
        ordering = ["agreement", "order", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    def clean(self) -> None:
        try:
            agreement = self.agreement  # the draft's terms, saved or not yet
        except ObjectDoesNotExist:
            agreement = None
        if agreement is None or self.target_on is None or agreement.starts_on is None:
            return
        if not agreement.starts_on <= self.target_on <= agreement.ends_on:
            raise ValidationError(
                {
                    "target_on": "The target date must be between "
                    f"{long_date(agreement.starts_on)} and {long_date(agreement.ends_on)}, "
                    "while the support lasts"
                }
            )


class AgreementStaff(models.Model):
    """Staff of the leader's school who also take part (an NLE's NSS staff, an LLE's deputy)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="staff")
    name = NameField(max_length=200)
    role = NameField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Their account, if they log their own time.",
    )
    days = BoundedDecimalField(max_digits=5, decimal_places=1, null=True, blank=True, validators=[STAFF_DAYS])

    class Meta:
        ordering = ["agreement", "name"]
        verbose_name_plural = "agreement staff"

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class AgreementCostLine(models.Model):
    """Backfill, supply cover or another cost reimbursed to the leader's school, at its own day
    rate: a separate line of the agreement's costs."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="cost_lines")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=CostKind.choices, default=CostKind.BACKFILL)
    description = NameField(max_length=200, blank=True, help_text="For example, a maths teacher's cover.")
    days = BoundedDecimalField(max_digits=5, decimal_places=1, validators=[COST_DAYS])
    day_rate = BoundedDecimalField(max_digits=8, decimal_places=2, validators=[COST_DAY_RATE])

    class Meta:
        ordering = ["agreement", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days} days at £{self.day_rate}"


class Signoff(models.Model):
    """One party's agreement to one version."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signoffs")
    party = models.CharField(max_length=20, choices=Party.choices)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(auto_now_add=True)
    # The commissioner's explicit acceptance of a total over the request's budget: by how much.
    overrun_accepted = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The amount over the request's budget the commissioner accepted in agreeing.",
    )
    overrun_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overrun_accepted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "agreed_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="one_signoff_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} agreed v{self.agreement_id}"


def recorded_copy_path(instance: RecordedSignoff, filename: str) -> str:
    # Private storage: never under a public URL; served by a permission-checked view.
    return f"agreements/{instance.agreement.deployment_id}/{filename}"


class RecordedSignoff(models.Model):
    """A party's agreement given outside the service (by email, letter or at a meeting), recorded
    on its behalf by the broker or a national administrator. It counts as the party's signoff
    only once the recorder confirms it; it stays as the record of who said so, and how."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="recorded_signoffs")
    party = models.CharField(max_length=20, choices=Party.choices)
    agreed_by_name = NameField("Who agreed", max_length=200)
    agreed_by_role = NameField("Their role", max_length=200)
    agreed_on = models.DateField("When they agreed", validators=[AGREED_ON])
    method = models.CharField("How they agreed", max_length=20, choices=AgreementMethod.choices)
    overrun_accepted = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For the commissioner: the overrun of the budget they accepted, as the recorder saw it.",
    )
    copy = models.FileField(upload_to=recorded_copy_path, blank=True, max_length=300)
    copy_name = models.CharField(max_length=255, blank=True)
    copy_content_type = models.CharField(max_length=100, blank=True)
    copy_size = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=20, choices=RecordedSignoffStatus.choices, default=RecordedSignoffStatus.PENDING
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    signoff = models.OneToOneField(
        Signoff, null=True, blank=True, on_delete=models.SET_NULL, related_name="recorded"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.agreed_by_name} for {self.get_party_display().lower()} (v{self.agreement_id})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        if self.agreed_on is None:
            return
        if self.agreed_on > timezone.localdate():
            raise ValidationError({"agreed_on": "The date they agreed must be today or in the past"})
        sent_at = self.agreement.sent_at if self.agreement_id else None
        if sent_at is not None and self.agreed_on < timezone.localdate(sent_at):
            raise ValidationError(
                {
                    "agreed_on": "The date they agreed must be on or after "
                    f"{timezone.localdate(sent_at):%-d %B %Y}, when this version was sent"
                }
            )


class TimeEntry(models.Model):
    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="time_entries")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    worked_on = models.DateField(validators=[WORKED_ON])
    days = BoundedDecimalField(max_digits=3, decimal_places=2, validators=[TIME_LOGGED])
    note = NotesField(blank=True, max_length=2000)
    logged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deployment", "-worked_on", "-pk"]
        verbose_name_plural = "time entries"

    def __str__(self) -> str:
        return f"{self.days} days on {self.worked_on}"


class Variation(models.Model):
    """Extra days agreed beyond the agreement, which lets more time be logged."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="variations")
    extra_days = BoundedDecimalField(max_digits=5, decimal_places=1, validators=[EXTRA_DAYS])
    reason = NotesField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deployment", "recorded_at"]

    def __str__(self) -> str:
        return f"+{self.extra_days} days"


class ProgressReview(models.Model):
    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(validators=[REVIEWED_ON])
    summary = NotesField(blank=True)
    next_review_on = models.DateField(null=True, blank=True, validators=[NEXT_REVIEW_ON])
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deployment", "-reviewed_on", "-pk"]
        indexes = [
            # A deployment's latest review: the one refresh_latest_review reads.
            models.Index(
                "deployment",
                models.F("reviewed_on").desc(),
                models.F("id").desc(),
                name="review_latest_first",
            ),
        ]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on}"


class ObjectiveProgress(models.Model):
    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="progress")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="progress")
    rag = models.CharField(max_length=10, choices=Rag.choices)
    evidence = NotesField()

    class Meta:
        ordering = ["review", "objective__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "objective"], name="one_rating_per_objective_and_review"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rag_display()}"


class FinalEvaluation(models.Model):
    deployment = models.OneToOneField(Deployment, on_delete=models.CASCADE, related_name="final_evaluation")
    impact = NotesField(help_text="The impact of the support, with evidence.")
    capacity_built = NotesField(blank=True, help_text="How the school's own leadership grew.")
    evaluated_on = models.DateField(validators=[EVALUATED_ON])
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Final evaluation of deployment {self.deployment_id}"

    def clean(self) -> None:
        starts_on = self.deployment.starts_on if self.deployment_id else None
        if starts_on and self.evaluated_on and self.evaluated_on < starts_on:
            raise ValidationError(
                {"evaluated_on": f"The date of the evaluation must be on or after {long_date(starts_on)}, "
                 "when the support started"}
            )


class ObjectiveOutcomeRecord(models.Model):
    evaluation = models.ForeignKey(FinalEvaluation, on_delete=models.CASCADE, related_name="outcomes")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=20, choices=ObjectiveOutcome.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "objective"], name="one_outcome_per_objective"),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()


class Unavailability(models.Model):
    """A period a leader cannot give (all or some of) their usual time."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unavailability"
    )
    starts_on = models.DateField(validators=[UNAVAILABLE_FROM])
    ends_on = models.DateField(validators=[UNAVAILABLE_TO])
    days_per_week_available = BoundedDecimalField(
        max_digits=3,
        decimal_places=1,
        default=0,
        validators=[AVAILABLE_DAYS],
        help_text="Days a week they can still give in this period (0 for none).",
    )
    reason = NameField(max_length=200, blank=True)

    class Meta:
        ordering = ["leader", "starts_on"]
        verbose_name_plural = "unavailability"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="unavailability_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} unavailable {self.starts_on}–{self.ends_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day must be on or after the first day"})


class ReviewReminder(models.Model):
    """A reminder sent about a deployment's review due on a day: unique, so the job never resends."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="review_reminders")
    due_on = models.DateField()
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "due_on", "kind"], name="one_reminder_per_due_date_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for deployment {self.deployment_id}"


class Notice(models.Model):
    """Something a daily job told people once: a stalled deployment (per stall, keyed by the last
    day time was logged), one closed at its end date, or an SLE not deployed in three months."""

    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    deployment = models.ForeignKey(
        Deployment, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    designation = models.ForeignKey(
        "designations.Designation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=40, help_text="What makes this notice distinct, e.g. a date.")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "deployment", "key"],
                condition=Q(deployment__isnull=False),
                name="one_notice_per_deployment_and_key",
            ),
            models.UniqueConstraint(
                fields=["kind", "designation", "key"],
                condition=Q(designation__isnull=False),
                name="one_notice_per_designation_and_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.key})"


def count_term_weeks(agreements: list[Agreement]) -> None:
    """Count the term weeks of many agreements from one calendar query, so that a list or an
    export of their days and costs costs no query per agreement. Each agreement's deployment and
    supported school should already be loaded."""
    dated = [agreement for agreement in agreements if agreement.starts_on and agreement.ends_on]
    if not dated:
        return
    authorities = [agreement.deployment.supported_school.local_authority_id for agreement in dated]
    starts_on = min(agreement.starts_on for agreement in dated)
    ends_on = max(agreement.ends_on for agreement in dated)
    calendars = calendars_for(starts_on, ends_on, authorities)
    for agreement, authority in zip(dated, authorities, strict=True):
        agreement.count_term_weeks(calendars[authority])

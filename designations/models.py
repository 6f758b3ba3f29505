"""Designation types and their criteria, application rounds, applications, designations,
training, reviews, de-designation cases and national support schools."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apiformat.timestamps import Timestamped
from bounds import BoundedDecimalField, long_date
from plaintext.fields import NameField, NotesField
from schools.choices import Region

from .choices import (
    CURRENT_DESIGNATION_STATUSES,
    LIVE_APPLICATION_STATES,
    ApplicationState,
    BrokeringRule,
    CaseReason,
    CaseStatus,
    CriterionCheck,
    CriterionOutcome,
    DesignatingBody,
    DesignationStatus,
    HolderKind,
    LeadershipRole,
    RefereeRecommendation,
    ReminderKind,
    ReviewOutcome,
)
from .validators import (
    AVAILABILITY_DAYS,
    DESIGNATED_ON,
    LIST_POSITION,
    MIN_YEARS,
    POST_ENDED,
    POST_STARTED,
    REVIEW_DONE,
    REVIEW_DUE,
    REVIEW_INTERVAL_MONTHS,
    ROUND_CLOSES,
    ROUND_LONGEST_DAYS,
    ROUND_OPENS,
    TERM_MONTHS,
    TRAINING_COMPLETED,
    TRAINING_VALID_DAYS,
)


class Specialism(models.Model):
    """An area of expertise a leader offers: a subject, early years, behaviour, SEND..."""

    name = NameField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfstedRule(models.Model):
    """A rule such as "good or better", stated for each inspection framework.

    A school meets it when its latest inspection under one of the rule's frameworks gives an
    acceptable grade in every area the rule names for that framework.
    """

    name = NameField(max_length=100, unique=True)
    description = NotesField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfstedRuleClause(models.Model):
    rule = models.ForeignKey(OfstedRule, on_delete=models.CASCADE, related_name="clauses")
    framework = models.CharField(
        max_length=20,
        choices=[
            ("graded", "Graded inspection (overall effectiveness)"),
            ("report_card", "Report card (from November 2025)"),
        ],
    )
    area = models.CharField(max_length=40, help_text="A judgement area, e.g. overall_effectiveness.")
    acceptable_grades = models.JSONField(default=list, help_text="Grades that meet the rule.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["rule", "framework", "area"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "framework", "area"], name="unique_rule_clause"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.framework} {self.area}"


class DesignationType(Timestamped):
    """SLE, LLE, NLE, NLG, teaching school, or a local type such as Derbyshire's DLE: data, not code."""

    code = models.CharField(max_length=12, unique=True, help_text="Short name, e.g. SLE.")
    name = NameField(max_length=120, unique=True)
    description = NotesField(blank=True)
    holder_kind = models.CharField(max_length=10, choices=HolderKind.choices, default=HolderKind.PERSON)
    designating_body = models.CharField(max_length=20, choices=DesignatingBody.choices)
    brokering_rule = models.CharField(max_length=30, choices=BrokeringRule.choices)
    term_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[TERM_MONTHS],
        help_text="How long a designation lasts; empty for no fixed term.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        default=12, validators=[REVIEW_INTERVAL_MONTHS], help_text="How often a designation is reviewed."
    )
    makes_national_support_school = models.BooleanField(
        default=False, help_text="The holder's school becomes a national support school (NLEs)."
    )
    is_active = models.BooleanField(default=True, help_text="Inactive types take no new rounds.")
    requires_priority_reason = models.BooleanField(
        default=False,
        help_text="Support requests may name this type only for a school that is a priority for support "
        "(NLEs).",
    )
    fits_needs = models.ManyToManyField(
        Specialism, blank=True, related_name="+",
        help_text="Requests may name this type only when they include one of these needs; none means any "
        "(NLGs: governance).",
    )

    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["updated_at", "id"], name="designation_type_sync_order"),
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TrainingRequirement(models.Model):
    designation_type = models.ForeignKey(
        DesignationType, on_delete=models.CASCADE, related_name="training_requirements"
    )
    name = NameField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0, validators=[LIST_POSITION])

    history = HistoricalRecords()

    class Meta:
        ordering = ["designation_type", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["designation_type", "name"], name="unique_training_per_type"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One eligibility criterion of a type. Results are snapshotted per application, so editing
    or retiring a criterion never changes how past applications were judged."""

    designation_type = models.ForeignKey(DesignationType, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0, validators=[LIST_POSITION])
    label = NameField(max_length=300, help_text="As an applicant reads it.")
    kind = models.CharField(max_length=30, choices=CriterionCheck.choices)
    min_years = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MIN_YEARS])
    roles = models.JSONField(default=list, blank=True, help_text="Qualifying roles, for role checks.")
    ofsted_rule = models.ForeignKey(OfstedRule, null=True, blank=True, on_delete=models.PROTECT)
    guidance = NotesField(blank=True, help_text="What evidence or declaration is expected.")
    local_authority_referee = models.BooleanField(
        default=False,
        help_text="For referee criteria: the referee must work for a local authority and name it (LLEs).",
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["designation_type", "order", "pk"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.label


class ApplicationRound(Timestamped):
    designation_type = models.ForeignKey(DesignationType, on_delete=models.PROTECT, related_name="rounds")
    name = NameField(max_length=200)
    opens_on = models.DateField(validators=[ROUND_OPENS])
    closes_on = models.DateField(validators=[ROUND_CLOSES])
    local_authority = models.ForeignKey(
        "schools.LocalAuthority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
        help_text="Only schools of this authority may apply; empty for anywhere.",
    )
    region = models.CharField(
        max_length=80, blank=True, choices=Region.choices, help_text="Only schools of this region."
    )
    teaching_school = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
        help_text="For types a teaching school designates: whose pool the round recruits to.",
    )
    closed_early_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["updated_at", "id"], name="round_sync_order"),
        ]
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def last_day(self) -> datetime.date:
        return min(self.closes_on, self.closed_early_on) if self.closed_early_on else self.closes_on

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.last_day

    def clean(self) -> None:
        """Not entirely in the past, at most a year long, and not overlapping another round of the
        same type for the same teaching school."""
        if self.opens_on is None or self.closes_on is None:
            return
        if self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "The close date must be the same as or after the open date"})
        if self.closes_on < timezone.localdate() and self._dates_changed():
            raise ValidationError({"closes_on": "The close date must be today or in the future"})
        if (self.closes_on - self.opens_on).days > ROUND_LONGEST_DAYS:
            raise ValidationError({"closes_on": "A round must close within a year of opening"})
        if self.local_authority_id and self.region:
            raise ValidationError({"region": "Limit the round to a local authority or a region, not both"})
        if self.teaching_school_id and self.designation_type_id:
            overlapping = (
                ApplicationRound.objects.filter(
                    teaching_school_id=self.teaching_school_id,
                    designation_type_id=self.designation_type_id,
                    opens_on__lte=self.closes_on,
                    closes_on__gte=self.opens_on,
                )
                .exclude(pk=self.pk)
                .order_by("opens_on")
                .first()
            )
            if overlapping is not None:
                raise ValidationError(
                    {
                        "opens_on": f"{overlapping.name} already recruits to this pool from "
                        f"{long_date(overlapping.opens_on)} to {long_date(overlapping.closes_on)}: "
                        "choose dates that do not overlap it"
                    }
                )

    def _dates_changed(self) -> bool:
        if self._state.adding or self.pk is None:
            return True
        stored = ApplicationRound.objects.filter(pk=self.pk).values("opens_on", "closes_on").first()
        return stored != {"opens_on": self.opens_on, "closes_on": self.closes_on}


class LeadershipPost(models.Model):
    """A role a person holds or held at a school: the facts eligibility is judged from."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="posts")
    role = models.CharField(max_length=30, choices=LeadershipRole.choices)
    started_on = models.DateField(validators=[POST_STARTED])
    ended_on = models.DateField(
        null=True, blank=True, validators=[POST_ENDED], help_text="Empty while the post is held."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="post_ends_after_starting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} at {self.school.name}"

    def is_current_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class Application(Timestamped):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    round = models.ForeignKey(ApplicationRound, on_delete=models.PROTECT, related_name="applications")
    designation_type = models.ForeignKey(
        DesignationType, on_delete=models.PROTECT, related_name="applications"
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="applications",
        help_text="The applicant's school (for a school designation: the school designated).",
    )
    state = models.CharField(max_length=30, choices=ApplicationState.choices, default=ApplicationState.DRAFT)
    specialisms = models.ManyToManyField(Specialism, blank=True, related_name="applications")
    statement = NotesField(
        blank=True, max_length=10_000, help_text="The applicant's case: track record, coaching."
    )
    referee_name = NameField(max_length=200, blank=True)
    referee_email = models.EmailField(blank=True)
    referee_organisation = NameField(max_length=200, blank=True)
    referee_role = NameField(max_length=200, blank=True, help_text="The referee's job title.")
    referee_local_authority = models.ForeignKey(
        "schools.LocalAuthority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The authority a local authority referee works for.",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = NotesField(blank=True)

    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["updated_at", "id"], name="application_sync_order"),
        ]
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "round"],
                condition=Q(state__in=sorted(LIVE_APPLICATION_STATES)),
                name="one_live_application_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.designation_type.code} application by {self.applicant} ({self.get_state_display()})"


class ApplicationTransition(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=30, choices=ApplicationState.choices)
    to_state = models.CharField(max_length=30, choices=ApplicationState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = NotesField(blank=True)

    class Meta:
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class CriterionResult(models.Model):
    """How one criterion was judged for one application, with the criterion as it was then."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="criterion_results")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    order = models.PositiveSmallIntegerField(default=0)
    label = NameField(max_length=300)
    kind = models.CharField(max_length=30, choices=CriterionCheck.choices)
    parameters = models.JSONField(default=dict, blank=True, help_text="The criterion's settings when judged.")
    outcome = models.CharField(max_length=20, choices=CriterionOutcome.choices)
    explanation = models.TextField()
    applicant_response = NotesField(blank=True, help_text="Evidence described, or the declaration.")
    assessor_outcome = models.CharField(
        max_length=20,
        choices=CriterionOutcome.choices,
        blank=True,
        help_text="An assessor's judgement of evidence, declarations and references.",
    )
    assessor_note = models.TextField(blank=True, help_text="Why the assessor judged it so.")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    evaluated_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="one_result_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.get_outcome_display()}"

    @property
    def final_outcome(self) -> str:
        return self.assessor_outcome or self.outcome


def evidence_upload_path(instance: EvidenceFile, filename: str) -> str:
    # Private storage: never under a public URL; served by a permission-checked view.
    return f"evidence/{instance.application_id}/{filename}"


class EvidenceFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence_files")
    criterion_result = models.ForeignKey(
        CriterionResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence_files"
    )
    file = models.FileField(upload_to=evidence_upload_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class RefereeRequest(models.Model):
    """A request to a referee, answered through a signed, expiring, single-use link."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="referee_requests")
    name = NameField(max_length=200)
    email = models.EmailField()
    role = NameField(max_length=200, blank=True)
    organisation = NameField(max_length=200, blank=True)
    local_authority = models.ForeignKey(
        "schools.LocalAuthority", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    recommendation = models.CharField(max_length=20, choices=RefereeRecommendation.choices, blank=True)
    evidence = NotesField(blank=True, help_text="The referee's evidence of impact.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "-sent_at"]

    def __str__(self) -> str:
        return f"Reference for {self.application_id} from {self.name}"


class Designation(Timestamped):
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="designations",
        help_text="The person designated; empty when the designation is of a school.",
    )
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="designations")
    designation_type = models.ForeignKey(
        DesignationType, on_delete=models.PROTECT, related_name="designations"
    )
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="designation"
    )
    designating_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="designations_made",
        help_text="The national body, or the teaching school whose pool the leader joins.",
    )
    status = models.CharField(
        max_length=20, choices=DesignationStatus.choices, default=DesignationStatus.ACTIVE
    )
    designated_on = models.DateField(validators=[DESIGNATED_ON])
    term_ends_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    training_completed_on = models.DateField(
        null=True, blank=True, help_text="Set when every required training is recorded."
    )
    specialisms = models.ManyToManyField(Specialism, blank=True, related_name="designations")
    availability_days_per_week = BoundedDecimalField(
        max_digits=3,
        decimal_places=1,
        default=0,
        validators=[AVAILABILITY_DAYS],
        help_text="Days a week the leader can give to support, e.g. 1.5.",
    )
    availability_notes = NotesField(blank=True, max_length=2000)
    offers_professional_partnership = models.BooleanField(
        default=False, help_text="Offers 20-30 hours of coaching to a new head (LLEs)."
    )
    ended_on = models.DateField(null=True, blank=True)
    end_reason = NotesField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["designation_type", "-designated_on"]
        indexes = [
            # What everyone sees is the active designations, by type.
            models.Index(fields=["status", "designation_type"], name="designation_status_type"),
            models.Index(fields=["updated_at", "id"], name="designation_sync_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "designation_type"],
                condition=Q(status__in=sorted(CURRENT_DESIGNATION_STATUSES)) & Q(holder__isnull=False),
                name="one_current_designation_per_person_and_type",
            ),
        ]

    def __str__(self) -> str:
        who = self.holder or self.school.name
        return f"{self.designation_type.code}: {who} ({self.get_status_display()})"

    @property
    def is_trained(self) -> bool:
        return self.training_completed_on is not None

    @property
    def is_deployable(self) -> bool:
        return self.status == DesignationStatus.ACTIVE and self.is_trained

    def clean(self) -> None:
        errors = {}
        if self.designated_on and self.next_review_on and self.next_review_on < self.designated_on:
            errors["next_review_on"] = "The next review must be on or after the designation date"
        if self.designated_on and self.term_ends_on and self.term_ends_on < self.designated_on:
            errors["term_ends_on"] = "The end of the term must be after the designation date"
        if errors:
            raise ValidationError(errors)

    @property
    def training_counts_from(self) -> datetime.date | None:
        """The earliest completion date of training that counts: three years before it was applied
        for (or, without an application, before the designation)."""
        if self.application_id and self.application.created_at:
            start = timezone.localdate(self.application.created_at)
        else:
            start = self.designated_on
        return start - datetime.timedelta(days=TRAINING_VALID_DAYS) if start else None


class DesignationStatusChange(models.Model):
    designation = models.ForeignKey(Designation, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=DesignationStatus.choices)
    to_status = models.CharField(max_length=20, choices=DesignationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = NotesField(blank=True)

    class Meta:
        ordering = ["designation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class TrainingRecord(models.Model):
    designation = models.ForeignKey(Designation, on_delete=models.CASCADE, related_name="training_records")
    requirement = models.ForeignKey(TrainingRequirement, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField(validators=[TRAINING_COMPLETED])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["designation", "completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["designation", "requirement"], name="one_record_per_training"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} completed {self.completed_on}"

    def clean(self) -> None:
        earliest = self.designation.training_counts_from if self.designation_id else None
        if self.completed_on and earliest and self.completed_on < earliest:
            raise ValidationError(
                {
                    "completed_on": f"The completion date must be on or after {long_date(earliest)}: "
                    "training counts for three years before the application"
                }
            )


class Review(models.Model):
    designation = models.ForeignKey(Designation, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField(validators=[REVIEW_DUE])
    completed_on = models.DateField(null=True, blank=True, validators=[REVIEW_DONE])
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True)
    notes = NotesField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["designation", "due_on"]
        indexes = [models.Index(fields=["completed_on", "due_on"])]

    def __str__(self) -> str:
        return f"Review of {self.designation} due {self.due_on}"

    def clean(self) -> None:
        designated_on = self.designation.designated_on if self.designation_id else None
        if designated_on and self.completed_on and self.completed_on < designated_on:
            raise ValidationError(
                {"completed_on": f"The date of the review must be on or after {long_date(designated_on)}, "
                 "when the designation was made"}
            )


class SentReminder(models.Model):
    """One reminder e-mailed about one review: the uniqueness makes the job safe to re-run."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="sent_reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "kind"], name="one_reminder_per_review_and_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for review {self.review_id}"


class DeDesignationCase(models.Model):
    """A reason to consider ending a designation, for a person to decide."""

    designation = models.ForeignKey(Designation, on_delete=models.CASCADE, related_name="cases")
    reason = models.CharField(max_length=30, choices=CaseReason.choices)
    detail = NotesField(help_text="What was found, e.g. which inspection.")
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the daily check opened it.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_notes = NotesField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["designation", "reason"],
                condition=Q(status=CaseStatus.OPEN),
                name="one_open_case_per_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} – {self.designation}"


class NationalSupportSchool(models.Model):
    """A school that is a national support school because its head is an NLE."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="support_school_periods"
    )
    designation = models.ForeignKey(
        Designation, on_delete=models.PROTECT, related_name="support_school_periods"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["designation"],
                condition=Q(ended_on__isnull=True),
                name="one_open_nss_per_designation",
            ),
        ]

    def __str__(self) -> str:
        return f"NSS: {self.school.name}"

"""Schools as published by Get Information About Schools, and their Ofsted inspections."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apiformat.timestamps import Timestamped

from .choices import (
    OPEN_STATUSES,
    Framework,
    Grade,
    ImportKind,
    ImportStatus,
    InspectionSource,
    JudgementArea,
    Phase,
    Region,
    SchoolStatus,
)
from .validators import AGE_RANGE, FSM_RANGE, GRID_RANGE, PUPILS_RANGE


class LocalAuthority(models.Model):
    code = models.CharField(max_length=3, unique=True, help_text="Three-digit GIAS LA code.")
    name = models.CharField(max_length=120)
    region = models.CharField(
        max_length=80, blank=True, choices=Region.choices, help_text="Government office region."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class Trust(models.Model):
    code = models.CharField(max_length=20, unique=True, help_text="GIAS trust (group) UID.")
    name = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Diocese(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OutwardCode(models.Model):
    """The centroid of a postcode's outward code, to place a postcode typed by a user."""

    code = models.CharField(max_length=4, primary_key=True)
    easting = models.PositiveIntegerField()
    northing = models.PositiveIntegerField()
    town = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


# The largest URN kept: PostgreSQL's integer, which holds a PositiveIntegerField (URNs are six digits today).
URN_MAX = 2_147_483_647


class SchoolQuerySet(models.QuerySet):
    def open(self) -> SchoolQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class School(Timestamped):
    urn = models.PositiveIntegerField("URN", primary_key=True, validators=[MaxValueValidator(URN_MAX)])
    name = models.CharField(max_length=200)
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    establishment_number = models.CharField(max_length=10, blank=True)
    type_code = models.CharField(max_length=10, blank=True)
    type_name = models.CharField("type of establishment", max_length=120, blank=True)
    type_group = models.CharField("establishment type group", max_length=120, blank=True)
    phase = models.CharField(max_length=32, choices=Phase.choices, default=Phase.NOT_APPLICABLE)
    status = models.CharField(max_length=32, choices=SchoolStatus.choices, default=SchoolStatus.OPEN)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True, validators=[AGE_RANGE])
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True, validators=[AGE_RANGE])
    gender = models.CharField(max_length=40, blank=True)
    religious_character = models.CharField(max_length=120, blank=True)
    diocese = models.ForeignKey(
        Diocese, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    number_of_pupils = models.PositiveIntegerField(null=True, blank=True, validators=[PUPILS_RANGE])
    school_capacity = models.PositiveIntegerField(null=True, blank=True, validators=[PUPILS_RANGE])
    percentage_fsm = models.DecimalField(
        "pupils eligible for free school meals (%)",
        max_digits=5, decimal_places=2, null=True, blank=True, validators=[FSM_RANGE],
    )
    street = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=200, blank=True)
    address3 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    easting = models.PositiveIntegerField(
        null=True, blank=True, validators=[GRID_RANGE], help_text="British National Grid, metres."
    )
    northing = models.PositiveIntegerField(
        null=True, blank=True, validators=[GRID_RANGE], help_text="British National Grid, metres."
    )
    website = models.CharField(max_length=300, blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    head_title = models.CharField(max_length=40, blank=True)
    head_first_name = models.CharField(max_length=100, blank=True)
    head_last_name = models.CharField(max_length=100, blank=True)
    head_job_title = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=80, blank=True, help_text="Government office region.")
    ukprn = models.CharField("UKPRN", max_length=20, blank=True)
    gias_last_changed = models.DateField(null=True, blank=True)
    latest_inspection = models.ForeignKey(
        "Inspection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The most recent inspection with published judgements (kept by the importers).",
    )

    objects = SchoolQuerySet.as_manager()
    # The school page lists its history's changes: saving is not one.
    history = HistoricalRecords(excluded_fields=["latest_inspection", "created_at", "updated_at"])

    class Meta:
        ordering = ["name", "urn"]
        # The list's order, alone and within an authority, so a page reads 25 rows from an index
        # instead of sorting England's 50,000 establishments.
        indexes = [
            models.Index(fields=["updated_at", "urn"], name="school_sync_order"),
            models.Index(fields=["name", "urn"], name="school_list_order"),
            models.Index(fields=["local_authority", "name", "urn"], name="school_authority_list_order"),
            models.Index(fields=["phase"]),
            models.Index(fields=["status"]),
            models.Index(fields=["postcode"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def headteacher(self) -> str:
        return " ".join(p for p in (self.head_title, self.head_first_name, self.head_last_name) if p)

    @property
    def address_lines(self) -> list[str]:
        parts = (self.street, self.locality, self.address3, self.town, self.county, self.postcode)
        return [p for p in parts if p]

    @property
    def has_location(self) -> bool:
        return self.easting is not None and self.northing is not None

    def distance_to(self, other: School) -> float | None:
        """Straight-line distance in metres on the British National Grid, or None if unplaced."""
        if not (self.has_location and other.has_location):
            return None
        return math.hypot(self.easting - other.easting, self.northing - other.northing)


class EstablishmentLink(models.Model):
    """A GIAS link between two URNs, e.g. a school that reopened as an academy under a new URN.

    URNs are kept as numbers (not foreign keys) because the other end may not be imported.
    """

    urn = models.PositiveIntegerField(db_index=True, validators=[MaxValueValidator(URN_MAX)])
    linked_urn = models.PositiveIntegerField(db_index=True, validators=[MaxValueValidator(URN_MAX)])
    linked_name = models.CharField(max_length=200, blank=True)
    link_type = models.CharField(max_length=80)
    established_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["urn", "established_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn", "linked_urn", "link_type"], name="unique_establishment_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.urn} {self.link_type} {self.linked_urn}"

    @property
    def is_predecessor(self) -> bool:
        return self.link_type.lower().startswith("predecessor")


class Inspection(models.Model):
    """One Ofsted inspection: its framework, dates and a grade per judgement area."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="inspections")
    inspection_number = models.CharField(max_length=20, blank=True)
    framework = models.CharField(max_length=20, choices=Framework.choices)
    inspection_type = models.CharField(max_length=120, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    publication_date = models.DateField(null=True, blank=True)
    category_of_concern = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=20, choices=InspectionSource.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "framework", "start_date"], name="unique_inspection_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_framework_display()} of {self.school_id} on {self.start_date}"

    def grade_for(self, area: str) -> Grade | None:
        for judgement in self.judgements.all():
            if judgement.area == area:
                return Grade(judgement.grade)
        return None

    @property
    def overall_effectiveness(self) -> Grade | None:
        return self.grade_for(JudgementArea.OVERALL_EFFECTIVENESS)

    @property
    def headline(self) -> str:
        """A short phrase for lists: the overall grade where the framework has one."""
        if self.framework == Framework.GRADED:
            grade = self.overall_effectiveness
            return grade.label if grade else "Not graded"
        if self.framework == Framework.REPORT_CARD:
            return "Report card (no overall grade)"
        outcome = self.grade_for(JudgementArea.UNGRADED_OUTCOME)
        return f"Ungraded: {outcome.label}" if outcome else "Ungraded inspection"


class Judgement(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.CharField(max_length=40, choices=JudgementArea.choices)
    grade = models.CharField(max_length=30, choices=Grade.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "area"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "area"], name="unique_judgement_area"),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.get_grade_display()}"


class ImportRun(models.Model):
    """One import of a published file, from the command line or the upload page."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_progress_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker last reported progress (its heartbeat)."
    )
    attempts = models.PositiveIntegerField(default=0, help_text="How many times a worker has started it.")
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True, help_text="Why a file was refused, or a summary.")
    errors = models.JSONField(default=list, blank=True, help_text="Rejected rows: row and reason.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.SUCCEEDED, ImportStatus.FAILED}

    @property
    def stopped_reporting(self) -> bool:
        """Running, but with no progress for longer than ``IMPORT_STALE_MINUTES``: its worker stopped."""
        if self.status != ImportStatus.RUNNING:
            return False
        last = self.last_progress_at or self.started_at
        return last is not None and last < timezone.now() - stale_interval()

    @property
    def is_interrupted(self) -> bool:
        """Marked interrupted, or about to be: either way it can be run again."""
        return self.status == ImportStatus.INTERRUPTED or self.stopped_reporting

    @property
    def shown_status(self) -> str:
        return ImportStatus.INTERRUPTED if self.is_interrupted else self.status

    def get_shown_status_display(self) -> str:
        return ImportStatus(self.shown_status).label


def stale_interval() -> datetime.timedelta:
    """How long a running import may go without reporting progress before it counts as interrupted."""
    return datetime.timedelta(minutes=settings.IMPORT_STALE_MINUTES)

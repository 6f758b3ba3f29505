"""Retention periods (data, edited in the admin), the record of every copy of a person's data and
every erasure (who asked, for whom, when), and the report of each retention run."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from plaintext.fields import NotesField

from .choices import DataRequestKind, ExportStatus, RetentionKind

# Shortest and longest periods an administrator may set: a record is never removed the month it
# is made, and nothing is kept for more than a lifetime of audits.
RETENTION_MONTHS = (MinValueValidator(1), MaxValueValidator(240))


class RetentionRule(models.Model):
    """How long one kind of record is kept after the event ``starts`` names."""

    kind = models.CharField(max_length=40, choices=RetentionKind.choices, unique=True)
    months = models.PositiveSmallIntegerField(
        validators=RETENTION_MONTHS, help_text="Months kept after the event below, then removed."
    )
    starts = models.CharField(max_length=200, help_text="The event the period counts from.")
    action = models.CharField(max_length=300, help_text="What happens when the period is over.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.months} months"

    @property
    def period_text(self) -> str:
        years, months = divmod(self.months, 12)
        if months == 0:
            return f"{years} year{'s' if years != 1 else ''}"
        if years == 0:
            return f"{months} month{'s' if months != 1 else ''}"
        return f"{years} year{'s' if years != 1 else ''} and {months} month{'s' if months != 1 else ''}"


def export_path(instance: DataRequest, filename: str) -> str:
    # Private storage under a random name: served only through the permission-checked, signed link.
    return f"data-exports/{instance.subject_id}/{timezone.now():%Y%m%d%H%M%S}-{instance.pk}.zip"


class DataRequest(models.Model):
    """A copy of a person's data made, or a person erased: who asked, for whom, and when.

    A national administrator's request made outside the service (a letter, an email) records its
    reference in ``reason``. A large copy is prepared by a task and kept until ``expires_at``.
    """

    kind = models.CharField(max_length=20, choices=DataRequestKind.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_requests_about",
        help_text="The person whose data it is.",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The person who asked: the subject, or a national administrator.",
    )
    made_at = models.DateTimeField(default=timezone.now)
    reason = NotesField(
        blank=True, max_length=2000, help_text="The request's reference, if made outside the service."
    )
    status = models.CharField(max_length=20, choices=ExportStatus.choices, blank=True)
    archive = models.FileField(upload_to=export_path, blank=True, max_length=300)
    archive_size = models.PositiveBigIntegerField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True, help_text="How many records of each kind.")

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for person {self.subject_id} ({self.made_at:%Y-%m-%d})"

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == ExportStatus.READY and bool(self.archive)
            and self.expires_at is not None and self.expires_at > timezone.now()
        )


class RetentionRun(models.Model):
    """One run of ``apply_retention``: what it removed (or, for a dry run, would have)."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    report = models.JSONField(default=dict, blank=True, help_text="Records acted on, by kind of rule.")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Retention run {self.started_at:%Y-%m-%d %H:%M}{' (dry run)' if self.dry_run else ''}"

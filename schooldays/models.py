"""School years and their term periods: the national default, or one local authority's own.

An authority's periods for a school year replace the national default for that year as a whole;
the calendar (``schooldays.calendar``) reads them so. The ranges are stated once, here and in
``validators.py``, and run by ``full_clean()``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from bounds import long_date
from plaintext.fields import NameField

from .validators import SCHOOL_YEAR_STARTS, YEAR_STARTS_MONTH


def school_year_starting(day: datetime.date) -> int:
    """The calendar year the school year holding ``day`` starts in (1 September to 31 August)."""
    return day.year if day.month >= YEAR_STARTS_MONTH else day.year - 1


class SchoolYear(models.Model):
    """One school year, from 1 September to 31 August, named "2026 to 2027" as GOV.UK does."""

    starts_in = models.PositiveSmallIntegerField(
        unique=True, validators=SCHOOL_YEAR_STARTS, help_text="The calendar year it starts in, e.g. 2026."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_in"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.starts_in} to {self.starts_in + 1}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.starts_in, YEAR_STARTS_MONTH, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.starts_in + 1, YEAR_STARTS_MONTH, 1) - datetime.timedelta(days=1)

    @property
    def range_text(self) -> str:
        return f"{long_date(self.starts_on)} to {long_date(self.ends_on)}"


class TermPeriodQuerySet(models.QuerySet):
    def national(self) -> TermPeriodQuerySet:
        return self.filter(local_authority__isnull=True)

    def of_calendar(self, school_year: SchoolYear, local_authority) -> TermPeriodQuerySet:
        """The periods of one calendar: the national default (``local_authority`` None) or one
        authority's own, for one school year."""
        periods = self.filter(school_year=school_year)
        if local_authority is None:
            return periods.filter(local_authority__isnull=True)
        return periods.filter(local_authority=local_authority)


class TermPeriod(models.Model):
    """A teaching period (e.g. a half term): school days fall inside one, never between two."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="periods")
    # None: the national default. An authority's periods replace the default for their year.
    local_authority = models.ForeignKey(
        "schools.LocalAuthority", on_delete=models.CASCADE, null=True, blank=True, related_name="term_periods"
    )
    name = NameField("name of the period", max_length=60)
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")

    objects = TermPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="term_period_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["school_year", "local_authority", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on} to {self.ends_on})"

    @property
    def calendar_name(self) -> str:
        return self.local_authority.name if self.local_authority_id else "National default"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors.setdefault("ends_on", []).append("The last day must be the same as or after the first day")
        if self.school_year_id:
            self._check_inside_year(errors)
        if not errors and self.starts_on and self.ends_on and self.school_year_id:
            self._check_no_overlap(errors)
        if errors:
            raise ValidationError(errors)

    def _check_inside_year(self, errors: dict) -> None:
        year = self.school_year
        for field, label in (("starts_on", "The first day"), ("ends_on", "The last day")):
            day = getattr(self, field)
            if day is not None and not year.starts_on <= day <= year.ends_on:
                errors.setdefault(field, []).append(
                    f"{label} must be in the {year.name} school year ({year.range_text})"
                )

    def _check_no_overlap(self, errors: dict) -> None:
        others = TermPeriod.objects.of_calendar(self.school_year, self.local_authority_id).filter(
            starts_on__lte=self.ends_on, ends_on__gte=self.starts_on
        )
        if self.pk:
            others = others.exclude(pk=self.pk)
        other = others.order_by("starts_on").first()
        if other is not None:
            errors.setdefault("starts_on", []).append(
                f"The dates overlap {other.name} ({long_date(other.starts_on)} to "
                f"{long_date(other.ends_on)}): periods of the same term dates cannot overlap"
            )

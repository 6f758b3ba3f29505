"""Commissioning and brokerage: schools' risk assessments, support requests, the broker's
shortlist, and professional partnerships between new heads and LLEs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from apiformat.timestamps import Timestamped
from bounds import BoundedDecimalField
from plaintext.fields import NameField, NotesField

from .choices import Funder, PartnershipStatus, RequestStatus, ShortlistStatus
from .validators import (
    ASSESSED_ON,
    BUDGET,
    PARTNERSHIP_HOURS,
    PREFERRED_START,
    SESSION_HELD_ON,
    SESSION_HOURS,
)


class AlliancePartner(models.Model):
    """A school in a teaching school's alliance: the teaching school may commission support for it."""

    teaching_school = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="alliance_partners",
        limit_choices_to={"kind": "teaching_school"},
    )
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="alliances")
    is_strategic_partner = models.BooleanField(default=False)

    class Meta:
        ordering = ["teaching_school", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["teaching_school", "school"], name="one_alliance_row_per_school"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} in {self.teaching_school}"


class RiskAssessment(models.Model):
    """A local authority's evidence-based view of one of its schools (Warwickshire's three
    questions). The latest one for a school is the one that counts."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="risk_assessments")
    likely_good_outcomes = models.BooleanField("Is the school likely to have good outcomes?")
    effective_leadership = models.BooleanField("Does it have effective leadership and governance?")
    good_next_inspection = models.BooleanField("Is it likely to be good or better at its next inspection?")
    notes = NotesField(blank=True)
    assessed_on = models.DateField(validators=[ASSESSED_ON])
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "-assessed_on", "-pk"]
        get_latest_by = ["assessed_on", "pk"]

    def __str__(self) -> str:
        return f"Risk assessment of {self.school_id} on {self.assessed_on}"

    @property
    def is_at_risk(self) -> bool:
        return not (self.likely_good_outcomes and self.effective_leadership and self.good_next_inspection)


class SupportRequest(Timestamped):
    """A commissioner's request for support for one school, waiting for its broker."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="support_requests")
    commissioner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="support_requests_commissioned",
        help_text="The organisation asking for (and usually funding) the support.",
    )
    broker = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="support_requests_to_broker",
        help_text="The organisation that finds the leader: one the brokering rules allow for every type.",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = NameField(max_length=200, help_text="A short summary, e.g. 'Maths leadership in KS2'.")
    needs = models.ManyToManyField(
        "designations.Specialism",
        related_name="support_requests",
        help_text="Areas the school needs support in.",
    )
    needs_description = NotesField(help_text="What the school needs, in the commissioner's words.")
    designation_types = models.ManyToManyField(
        "designations.DesignationType",
        related_name="support_requests",
        help_text="The kinds of system leader wanted.",
    )
    priority_reasons = models.JSONField(default=list, blank=True)
    preferred_start_on = models.DateField(null=True, blank=True, validators=[PREFERRED_START])
    budget = BoundedDecimalField(max_digits=10, decimal_places=2, null=True, blank=True, validators=[BUDGET])
    funded_by = models.CharField(max_length=20, choices=Funder.choices, default=Funder.COMMISSIONER)
    funder_name = NameField(max_length=200, blank=True, help_text="When someone else funds it.")
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    status_reason = NotesField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["updated_at", "id"], name="request_sync_order"),
            models.Index(fields=["status", "created_at"]),
            # The lists' order, newest first (read backwards).
            models.Index(fields=["created_at", "id"], name="request_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.school_id})"

    @property
    def age_days(self) -> int:
        """Whole days since the request was raised."""
        return (timezone.localdate() - timezone.localdate(self.created_at)).days


class RequestTransition(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=RequestStatus.choices)
    to_status = models.CharField(max_length=20, choices=RequestStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = NotesField(blank=True)

    class Meta:
        ordering = ["request", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


# The longest note or decline reason a broker may write on a shortlist entry.
SHORTLIST_TEXT_MAX = 2000


class ShortlistEntry(models.Model):
    """A leader the broker is considering for a request, and how far they have got."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="shortlist")
    designation = models.ForeignKey(
        "designations.Designation", on_delete=models.PROTECT, related_name="shortlist_entries"
    )
    status = models.CharField(
        max_length=20, choices=ShortlistStatus.choices, default=ShortlistStatus.SHORTLISTED
    )
    notes = NotesField(
        blank=True,
        max_length=SHORTLIST_TEXT_MAX,
        help_text="The broker's own working notes: only brokers see them.",
    )
    decline_reason = NotesField(
        blank=True, max_length=SHORTLIST_TEXT_MAX, help_text="Why the leader declined or is unavailable."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "added_at", "pk"]
        verbose_name_plural = "shortlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["request", "designation"], name="one_entry_per_leader_and_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.designation} for request {self.request_id}"


class ProfessionalPartnership(models.Model):
    """An LLE coaching a new head in their first two years: 20 to 30 hours, one to one."""

    new_head = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="professional_partnerships"
    )
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        "designations.Designation",
        on_delete=models.PROTECT,
        related_name="partnerships",
        help_text="The LLE's designation.",
    )
    status = models.CharField(
        max_length=20, choices=PartnershipStatus.choices, default=PartnershipStatus.REQUESTED
    )
    hours_agreed = BoundedDecimalField(
        max_digits=4,
        decimal_places=1,
        default=20,
        validators=[PARTNERSHIP_HOURS],
        help_text="Between 20 and 30 hours of coaching.",
    )
    message = NotesField(blank=True, help_text="What the new head would like help with.")
    requested_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["new_head"],
                condition=Q(status__in=["active", "requested"]),
                name="one_live_partnership_per_new_head",
            ),
            models.CheckConstraint(
                condition=Q(hours_agreed__gte=20) & Q(hours_agreed__lte=30), name="partnership_20_to_30_hours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} coaching {self.new_head}"


class CoachingSession(models.Model):
    partnership = models.ForeignKey(
        ProfessionalPartnership, on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(validators=[SESSION_HELD_ON])
    hours = BoundedDecimalField(max_digits=4, decimal_places=2, validators=[SESSION_HOURS])
    notes = NotesField(blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.held_on}"

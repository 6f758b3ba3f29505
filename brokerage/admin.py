"""The admin site for commissioning and brokerage: for looking things up and correcting data.

Request statuses are read-only here: they change only through the services, which record who
changed them and why.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AlliancePartner,
    CoachingSession,
    ProfessionalPartnership,
    RequestTransition,
    RiskAssessment,
    ShortlistEntry,
    SupportRequest,
)


@admin.register(AlliancePartner)
class AlliancePartnerAdmin(admin.ModelAdmin):
    list_display = ["school", "teaching_school", "is_strategic_partner"]
    list_filter = ["is_strategic_partner"]
    search_fields = ["school__name", "school__urn", "teaching_school__name"]
    autocomplete_fields = ["school"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "school",
        "assessed_on",
        "likely_good_outcomes",
        "effective_leadership",
        "good_next_inspection",
    ]
    list_filter = ["assessed_on", "likely_good_outcomes", "effective_leadership", "good_next_inspection"]
    search_fields = ["school__name", "school__urn"]
    raw_id_fields = ["school", "assessed_by"]


class RequestTransitionInline(admin.TabularInline):
    model = RequestTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "reason"]


class ShortlistInline(admin.TabularInline):
    model = ShortlistEntry
    extra = 0
    raw_id_fields = ["designation", "added_by"]


@admin.register(SupportRequest)
class SupportRequestAdmin(SimpleHistoryAdmin):
    list_display = ["title", "school", "commissioner", "broker", "status", "created_at"]
    list_filter = ["status", "funded_by", "designation_types"]
    search_fields = ["title", "school__name", "school__urn", "commissioner__name", "broker__name"]
    raw_id_fields = ["school", "raised_by"]
    readonly_fields = ["status", "status_reason"]
    inlines = [ShortlistInline, RequestTransitionInline]


class CoachingSessionInline(admin.TabularInline):
    model = CoachingSession
    extra = 0
    raw_id_fields = ["logged_by"]


@admin.register(ProfessionalPartnership)
class ProfessionalPartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["new_head", "partner", "status", "hours_agreed", "requested_at"]
    list_filter = ["status"]
    search_fields = ["new_head__full_name", "new_head__email", "school__name"]
    raw_id_fields = ["new_head", "school", "partner"]
    inlines = [CoachingSessionInline]

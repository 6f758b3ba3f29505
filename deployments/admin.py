"""The admin site for deployments: for looking things up and correcting data.

States are read-only here: they change only through the services, which record who changed them
and why, and check the leader's capacity.
"""

from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agreement,
    AgreementCostLine,
    AgreementStaff,
    Deployment,
    DeploymentTransition,
    FinalEvaluation,
    Notice,
    Objective,
    ProgressReview,
    RecordedSignoff,
    ReviewReminder,
    Signoff,
    TimeEntry,
    Unavailability,
    Variation,
)
from .services import refresh_latest_review, refresh_latest_reviews


class TransitionInline(admin.TabularInline):
    model = DeploymentTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "reason", "note", "actor", "at"]


class TimeEntryInline(admin.TabularInline):
    model = TimeEntry
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Deployment)
class DeploymentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "state", "starts_on", "ends_on", "days_per_week", "next_review_on"]
    list_filter = ["state", "designation__designation_type"]
    search_fields = ["supported_school__name", "supported_school__urn", "leader__full_name", "leader__email"]
    raw_id_fields = [
        "support_request",
        "designation",
        "leader",
        "leader_school",
        "supported_school",
        "created_by",
    ]
    readonly_fields = ["state", "state_reason", "state_note", "days_per_week", "days_agreed"]
    inlines = [TransitionInline, TimeEntryInline]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    raw_id_fields = ["carried_from"]


class StaffInline(admin.TabularInline):
    model = AgreementStaff
    extra = 0
    raw_id_fields = ["user"]


class CostLineInline(admin.TabularInline):
    model = AgreementCostLine
    extra = 0


class SignoffInline(admin.TabularInline):
    model = Signoff
    extra = 0
    readonly_fields = [
        "party", "agreed_by", "agreed_at", "overrun_accepted", "overrun_accepted_by", "overrun_accepted_at"
    ]
    can_delete = False


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "starts_on", "ends_on", "payee_school"]
    list_filter = ["status", "time_basis", "rate_basis"]
    raw_id_fields = ["deployment", "payee_school", "drafted_by"]
    readonly_fields = ["status", "sent_at", "agreed_at"]
    inlines = [ObjectiveInline, StaffInline, CostLineInline, SignoffInline]


@admin.register(RecordedSignoff)
class RecordedSignoffAdmin(SimpleHistoryAdmin):
    """Agreements recorded on a party's behalf: read-only, as they count only through the service."""

    list_display = ["__str__", "party", "agreed_on", "method", "status", "recorded_by", "recorded_at"]
    list_filter = ["status", "party", "method"]
    search_fields = ["agreed_by_name", "agreement__deployment__supported_school__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProgressReview)
class ProgressReviewAdmin(admin.ModelAdmin):
    """A correction here (a date, a deletion) refreshes the deployment's copy of its latest review
    in the same transaction, as recording one does."""

    list_display = ["deployment", "reviewed_on", "next_review_on"]
    raw_id_fields = ["deployment", "reviewed_by"]

    def save_model(self, request, obj, form, change) -> None:
        moved_from = form.initial.get("deployment") if change else None
        super().save_model(request, obj, form, change)
        refresh_latest_review(obj.deployment)
        if moved_from and moved_from != obj.deployment_id:
            refresh_latest_review(Deployment.objects.get(pk=moved_from))

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        refresh_latest_review(obj.deployment)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():  # the admin's delete action is not atomic by itself
            deployment_ids = set(queryset.values_list("deployment_id", flat=True))
            super().delete_queryset(request, queryset)
            refresh_latest_reviews(Deployment.objects.filter(pk__in=deployment_ids))


@admin.register(FinalEvaluation)
class FinalEvaluationAdmin(admin.ModelAdmin):
    list_display = ["deployment", "evaluated_on"]
    raw_id_fields = ["deployment", "evaluated_by"]


@admin.register(Variation)
class VariationAdmin(admin.ModelAdmin):
    list_display = ["deployment", "extra_days", "recorded_at"]
    raw_id_fields = ["deployment", "recorded_by"]


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["leader", "starts_on", "ends_on", "days_per_week_available", "reason"]
    search_fields = ["leader__full_name", "leader__email"]
    raw_id_fields = ["leader"]


@admin.register(ReviewReminder)
class ReviewReminderAdmin(admin.ModelAdmin):
    list_display = ["deployment", "due_on", "kind", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["deployment"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["kind", "deployment", "designation", "key", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["deployment", "designation"]

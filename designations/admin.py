"""The admin site for designations: for looking things up and correcting data.

States and statuses are read-only here: they change only through the services, which record
who changed them and why.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Application,
    ApplicationRound,
    ApplicationTransition,
    Criterion,
    CriterionResult,
    DeDesignationCase,
    Designation,
    DesignationStatusChange,
    DesignationType,
    EvidenceFile,
    LeadershipPost,
    NationalSupportSchool,
    OfstedRule,
    OfstedRuleClause,
    RefereeRequest,
    Review,
    SentReminder,
    Specialism,
    TrainingRecord,
    TrainingRequirement,
)

USER_SEARCH = ["applicant__full_name", "applicant__email"]


@admin.register(Specialism)
class SpecialismAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class OfstedRuleClauseInline(admin.TabularInline):
    model = OfstedRuleClause
    extra = 0


@admin.register(OfstedRule)
class OfstedRuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    inlines = [OfstedRuleClauseInline]


@admin.register(OfstedRuleClause)
class OfstedRuleClauseAdmin(SimpleHistoryAdmin):
    list_display = ["rule", "framework", "area", "acceptable_grades"]
    list_filter = ["framework", "rule"]
    search_fields = ["rule__name", "area"]


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    fields = ["order", "label", "kind", "min_years", "roles", "ofsted_rule", "guidance", "is_active"]
    # Retire a criterion (untick "is active"): past applications keep their snapshot of it.
    can_delete = False


class TrainingRequirementInline(admin.TabularInline):
    model = TrainingRequirement
    extra = 0
    can_delete = False


@admin.register(DesignationType)
class DesignationTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "designating_body", "brokering_rule", "term_months", "is_active"]
    list_filter = ["designating_body", "brokering_rule", "holder_kind", "is_active"]
    search_fields = ["code", "name"]
    inlines = [CriterionInline, TrainingRequirementInline]


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["label", "designation_type", "kind", "min_years", "is_active"]
    list_filter = ["designation_type", "kind", "is_active"]
    search_fields = ["label", "guidance"]
    list_select_related = ["designation_type"]


@admin.register(TrainingRequirement)
class TrainingRequirementAdmin(SimpleHistoryAdmin):
    list_display = ["name", "designation_type", "order"]
    list_filter = ["designation_type"]
    search_fields = ["name"]
    list_select_related = ["designation_type"]


@admin.register(ApplicationRound)
class ApplicationRoundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "designation_type", "opens_on", "closes_on", "closed_early_on", "local_authority"]
    list_filter = ["designation_type", "opens_on", "region"]
    search_fields = ["name", "local_authority__name", "teaching_school__name"]
    list_select_related = ["designation_type", "local_authority"]
    raw_id_fields = ["local_authority", "teaching_school", "created_by"]
    date_hierarchy = "opens_on"


@admin.register(LeadershipPost)
class LeadershipPostAdmin(SimpleHistoryAdmin):
    list_display = ["person", "school", "role", "started_on", "ended_on"]
    list_filter = ["role"]
    search_fields = ["person__full_name", "person__email", "school__name", "school__urn"]
    list_select_related = ["person", "school"]
    raw_id_fields = ["person", "school"]


class CriterionResultInline(admin.TabularInline):
    model = CriterionResult
    extra = 0
    can_delete = False
    fields = ["label", "kind", "outcome", "explanation", "assessor_outcome", "evaluated_at"]
    readonly_fields = ["label", "kind", "outcome", "explanation", "evaluated_at"]


class ApplicationTransitionInline(admin.TabularInline):
    model = ApplicationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "actor", "at", "reason"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["applicant", "designation_type", "round", "school", "state", "submitted_at"]
    list_filter = ["state", "designation_type", "round"]
    search_fields = [*USER_SEARCH, "school__name", "school__urn", "referee_name"]
    list_select_related = ["applicant", "designation_type", "round", "school"]
    raw_id_fields = ["applicant", "school", "round"]
    readonly_fields = ["state", "submitted_at", "decided_at"]
    inlines = [CriterionResultInline, ApplicationTransitionInline]


@admin.register(ApplicationTransition)
class ApplicationTransitionAdmin(admin.ModelAdmin):
    list_display = ["application", "from_state", "to_state", "actor", "at"]
    list_filter = ["to_state"]
    search_fields = ["application__applicant__full_name", "reason"]
    list_select_related = ["application__applicant", "application__designation_type", "actor"]
    readonly_fields = ["application", "from_state", "to_state", "actor", "at", "reason"]


@admin.register(CriterionResult)
class CriterionResultAdmin(SimpleHistoryAdmin):
    list_display = ["label", "application", "outcome", "assessor_outcome", "evaluated_at"]
    list_filter = ["outcome", "assessor_outcome", "kind"]
    search_fields = ["label", "application__applicant__full_name"]
    list_select_related = ["application__applicant", "application__designation_type"]
    raw_id_fields = ["application", "criterion"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    """Files are listed, never linked: they are served only by the permission-checked view."""

    list_display = ["original_name", "application", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "application__applicant__full_name"]
    list_select_related = ["application__applicant", "application__designation_type"]
    exclude = ["file"]
    readonly_fields = [
        "application", "criterion_result", "original_name", "content_type", "size", "uploaded_by"
    ]


@admin.register(RefereeRequest)
class RefereeRequestAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "application", "sent_at", "expires_at", "responded_at", "recommendation"]
    list_filter = ["recommendation"]
    search_fields = ["name", "email", "application__applicant__full_name"]
    list_select_related = ["application__applicant", "application__designation_type"]
    raw_id_fields = ["application"]


class TrainingRecordInline(admin.TabularInline):
    model = TrainingRecord
    extra = 0
    raw_id_fields = ["recorded_by"]


class DesignationStatusChangeInline(admin.TabularInline):
    model = DesignationStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "reason"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Designation)
class DesignationAdmin(SimpleHistoryAdmin):
    list_display = ["holder", "designation_type", "school", "status", "designated_on", "next_review_on"]
    list_filter = ["status", "designation_type", "designating_organisation"]
    search_fields = ["holder__full_name", "holder__email", "school__name", "school__urn"]
    list_select_related = ["holder", "designation_type", "school"]
    raw_id_fields = ["holder", "school", "application", "designating_organisation"]
    readonly_fields = ["status", "ended_on", "end_reason"]
    filter_horizontal = ["specialisms"]
    inlines = [TrainingRecordInline, DesignationStatusChangeInline]


@admin.register(DesignationStatusChange)
class DesignationStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["designation", "from_status", "to_status", "actor", "at"]
    list_filter = ["to_status"]
    search_fields = ["designation__holder__full_name", "reason"]
    list_select_related = [
        "designation__holder", "designation__designation_type", "designation__school", "actor"
    ]
    readonly_fields = ["designation", "from_status", "to_status", "actor", "at", "reason"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(SimpleHistoryAdmin):
    list_display = ["designation", "requirement", "completed_on"]
    search_fields = ["designation__holder__full_name", "requirement__name"]
    list_select_related = [
        "designation__holder", "designation__designation_type", "designation__school", "requirement"
    ]
    raw_id_fields = ["designation", "recorded_by"]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["designation", "due_on", "completed_on", "outcome"]
    list_filter = ["outcome", "due_on"]
    search_fields = ["designation__holder__full_name", "notes"]
    list_select_related = ["designation__holder", "designation__designation_type", "designation__school"]
    raw_id_fields = ["designation", "recorded_by"]
    date_hierarchy = "due_on"


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["review", "kind", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["review__designation__holder__full_name"]
    readonly_fields = ["review", "kind", "sent_at"]


@admin.register(DeDesignationCase)
class DeDesignationCaseAdmin(SimpleHistoryAdmin):
    list_display = ["designation", "reason", "status", "opened_at", "decided_at"]
    list_filter = ["status", "reason"]
    search_fields = ["designation__holder__full_name", "detail", "decision_notes"]
    list_select_related = ["designation__holder", "designation__designation_type", "designation__school"]
    raw_id_fields = ["designation", "opened_by", "decided_by"]
    readonly_fields = ["status", "decided_at", "decided_by"]


@admin.register(NationalSupportSchool)
class NationalSupportSchoolAdmin(SimpleHistoryAdmin):
    list_display = ["school", "designation", "started_on", "ended_on"]
    search_fields = ["school__name", "school__urn"]
    list_select_related = ["school", "designation__holder", "designation__designation_type"]
    raw_id_fields = ["school", "designation"]

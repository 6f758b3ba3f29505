from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Diocese,
    EstablishmentLink,
    ImportRun,
    Inspection,
    Judgement,
    LocalAuthority,
    OutwardCode,
    School,
    Trust,
)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Trust)
class TrustAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Diocese)
class DioceseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(OutwardCode)
class OutwardCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "town", "region", "easting", "northing"]
    list_filter = ["region"]
    search_fields = ["code", "town"]


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["name", "urn", "phase", "status", "local_authority", "postcode"]
    list_filter = ["phase", "status", "local_authority"]
    search_fields = ["name", "=urn", "postcode"]
    list_select_related = ["local_authority"]
    autocomplete_fields = ["local_authority", "trust", "diocese"]
    raw_id_fields = ["latest_inspection"]


@admin.register(EstablishmentLink)
class EstablishmentLinkAdmin(SimpleHistoryAdmin):
    list_display = ["urn", "link_type", "linked_urn", "linked_name", "established_date"]
    list_filter = ["link_type"]
    search_fields = ["=urn", "=linked_urn", "linked_name"]


class JudgementInline(admin.TabularInline):
    model = Judgement
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["school", "framework", "start_date", "inspection_type", "source"]
    list_filter = ["framework", "source", "start_date"]
    search_fields = ["school__name", "=school__urn", "inspection_number"]
    list_select_related = ["school"]
    raw_id_fields = ["school"]
    date_hierarchy = "start_date"
    inlines = [JudgementInline]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Imports are run from the upload page or the commands; the admin only shows them."""

    list_display = ["__str__", "original_filename", "started_by", "created_at", "rows_read", "rejected"]
    list_filter = ["kind", "status"]
    search_fields = ["original_filename", "started_by__email"]
    list_select_related = ["started_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Judgement)
class JudgementAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "area", "grade"]
    list_filter = ["area", "grade"]
    search_fields = ["inspection__school__name", "=inspection__school__urn"]
    raw_id_fields = ["inspection"]

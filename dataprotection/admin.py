"""Retention periods are edited here (their kinds are fixed: each has its code in ``retention``);
the records of copies, erasures and retention runs are read-only."""

from django.contrib import admin

from .models import DataRequest, RetentionRule, RetentionRun


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "months", "starts", "updated_at"]
    readonly_fields = ["kind", "updated_at"]
    fields = ["kind", "months", "starts", "action", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    list_display = ["kind", "subject", "made_by", "made_at", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["subject", "made_by"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "dry_run"]

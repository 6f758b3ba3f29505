"""The admin site for school years and term periods: for looking things up and correcting data."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SchoolYear, TermPeriod


@admin.register(SchoolYear)
class SchoolYearAdmin(SimpleHistoryAdmin):
    list_display = ["name", "starts_in"]


@admin.register(TermPeriod)
class TermPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "school_year", "local_authority", "starts_on", "ends_on"]
    list_filter = ["school_year", ("local_authority", admin.EmptyFieldListFilter)]
    list_select_related = ["school_year", "local_authority"]
    raw_id_fields = ["local_authority"]

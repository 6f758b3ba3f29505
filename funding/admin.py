from django.contrib import admin

from .models import Bursary, Claim, ClaimLine, Clawback, FundingRate, Payment, Sample, SampleDraw


class ClaimLineInline(admin.TabularInline):
    model = ClaimLine
    extra = 0
    readonly_fields = ["kind", "description", "days", "day_rate", "amount"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["reference", "claiming_school", "commissioner", "state", "total", "submitted_at"]
    list_filter = ["state"]
    search_fields = ["reference", "claiming_school__name"]
    inlines = [ClaimLineInline]
    readonly_fields = ["reference", "days", "total", "state"]


admin.site.register([Payment, FundingRate, Bursary, SampleDraw, Sample, Clawback])

from django.contrib import admin

from .models import (
    CarbonActivity,
    ChangeProject,
    Cycle,
    CycleCorrection,
    DriverNode,
    FinancialImpact,
    LensAnswer,
    ProgressScore,
    ProjectMember,
    SocialImpact,
    Stakeholder,
)


class MemberInline(admin.TabularInline):
    model = ProjectMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(ChangeProject)
class ChangeProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "cohort", "status", "visibility", "updated_at"]
    list_filter = ["status", "visibility", "cohort"]
    search_fields = ["title", "owner__full_name"]
    inlines = [MemberInline]
    readonly_fields = ["public_approved_by", "public_approved_at"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "status", "start_date"]
    list_filter = ["status"]
    readonly_fields = ["revision", "completed_at"]


for model in (
    CycleCorrection,
    DriverNode,
    FinancialImpact,
    LensAnswer,
    ProgressScore,
    ProjectMember,
    SocialImpact,
    Stakeholder,
    CarbonActivity,
):
    admin.site.register(model)

from django.contrib import admin

from . import stages
from .models import (
    CarbonActivity,
    ChangeProject,
    Cycle,
    CycleCorrection,
    CycleEdit,
    DriverNode,
    FinancialImpact,
    LensAnswer,
    ProgressScore,
    ProjectMember,
    SocialImpact,
    Stakeholder,
)
from .services.projects import touch_project


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
    # The worksheet and its stage change only in the app, which keeps every edit and merges concurrent saves.
    readonly_fields = ["revision", "completed_at", "status", *stages.NAMES]

    def has_add_permission(self, request):
        return False  # cycles are planned in the app, which numbers them

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        touch_project(obj.project)  # its project's story and last activity, as the app's cycle services do

    def get_readonly_fields(self, request, obj=None):
        # A completed cycle is locked here too: corrections go through the app, which keeps their history.
        if obj is not None and obj.is_locked:
            return [f.name for f in obj._meta.fields]
        return self.readonly_fields


class HistoryAdmin(admin.ModelAdmin):
    """Records that are history (corrections, scores, answers): readable, never rewritten here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Each is named after the cycle or project it belongs to: the list reads them with the rows.
for model, named_after in (
    (CycleCorrection, ["cycle"]),
    (CycleEdit, ["cycle"]),
    (LensAnswer, ["project"]),
    (ProgressScore, ["project"]),
):
    admin.site.register(
        model, type(f"{model.__name__}Admin", (HistoryAdmin,), {"list_select_related": named_after})
    )
for model in (DriverNode, FinancialImpact, SocialImpact, Stakeholder, CarbonActivity):
    admin.site.register(model)


@admin.register(ProjectMember)
class ProjectMemberAdmin(admin.ModelAdmin):
    list_select_related = ["user", "project"]  # named after both

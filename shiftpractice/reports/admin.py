from django.contrib import admin

from .models import Report, ReportVersion


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "cohort", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["programme", "cohort"]
    readonly_fields = ["programme", "cohort", "kind", "created_by"]


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    """Published versions are records: read here, never changed."""

    list_display = ["report", "number", "published_at", "published_by"]
    list_select_related = ["report", "published_by"]
    exclude = ["data", "writing"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

from django.contrib import admin

from .models import DataExport


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    """Staff see that exports were asked for and what became of them, never their contents."""

    list_display = ["user", "status", "requested_at", "finished_at", "expires_at", "downloaded_at", "size"]
    list_filter = ["status"]
    search_fields = ["user__email"]
    exclude = ["file", "files"]
    readonly_fields = [
        "user",
        "status",
        "requested_at",
        "finished_at",
        "expires_at",
        "downloaded_at",
        "size",
        "problem",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

from django.contrib import admin

from .models import DataExport, ErasureRequest


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

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting the row would leave its file behind; retention and expiry remove both

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """Staff see where each erasure stands; only the person and the erasure command change it."""

    list_display = ["user", "status", "requested_at", "confirmed_at", "erase_after", "erased_at"]
    list_filter = ["status"]
    list_select_related = ["user"]
    exclude = ["token_hash"]
    readonly_fields = [
        "user",
        "status",
        "requested_at",
        "confirm_by",
        "confirmed_at",
        "erase_after",
        "cancelled_at",
        "erased_at",
        "problem",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record of a request is kept (retention removes it in time)

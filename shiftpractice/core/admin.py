from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "verb", "object_type", "object_id", "summary"]
    list_filter = ["verb", "object_type"]
    search_fields = ["object_id", "summary"]
    readonly_fields = ["at", "actor", "verb", "object_type", "object_id", "summary", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

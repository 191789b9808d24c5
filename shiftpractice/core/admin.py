from django.contrib import admin

from .audit import PRIVATE_OBJECT_TYPES
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "verb", "object_type", "object_id", "subject", "summary"]
    list_select_related = ["actor", "subject"]  # may be empty, so Django would not follow it by itself
    list_filter = ["verb", "object_type"]
    search_fields = ["object_id", "summary"]
    readonly_fields = [
        "at",
        "actor",
        "verb",
        "object_type",
        "object_id",
        "subject",
        "programme_id",
        "summary",
        "data",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(object_type__in=PRIVATE_OBJECT_TYPES)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

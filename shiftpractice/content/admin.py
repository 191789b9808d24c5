"""Admin for the model's content: read-mostly. Leads edit in the app, where the versioning rules apply."""

from django.contrib import admin

from shiftpractice.core.admin import PRIVATE_OBJECT_TYPES

from .models import ContentItem, ContentReference, LicenceRecord, ModelVersion, ModelVersionItem


class ModelVersionItemInline(admin.TabularInline):
    model = ModelVersionItem
    extra = 0
    fields = ["slug", "item"]
    readonly_fields = ["slug", "item"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "status", "dated", "published_at"]
    inlines = [ModelVersionItemInline]
    readonly_fields = [
        "number",
        "status",
        "parent",
        "published_at",
        "published_by",
        "created_by",
        "change_note_html",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Published versions are immutable; drafts are edited in the app, which checks the rules.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContentItem)
class ContentItemAdmin(admin.ModelAdmin):
    list_display = ["slug", "version", "kind", "status", "title", "needs_verification", "verified_at"]
    list_filter = ["kind", "status", "needs_verification", "requires_licence"]
    search_fields = ["slug", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting goes through services.item_delete, which refuses anything published or referenced.
        return False


@admin.register(ContentReference)
class ContentReferenceAdmin(admin.ModelAdmin):
    list_display = ["ref", "object_type", "object_id", "created_at"]
    search_fields = ["ref", "object_id"]

    def has_add_permission(self, request):
        # Written by the apps that save answers, through services.reference_record.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Reflections are private to their authors: not even the fact that one used a prompt is shown here.
        return super().get_queryset(request).exclude(object_type__in=PRIVATE_OBJECT_TYPES)


@admin.register(LicenceRecord)
class LicenceRecordAdmin(admin.ModelAdmin):
    list_display = ["slug", "reference", "recorded_by", "updated_at"]

from django.contrib import admin

from .models import CaseStudy, Consent, PublishedVersion


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "programme", "state", "updated_at"]
    list_filter = ["state"]
    search_fields = ["title"]
    list_select_related = ["author", "programme"]
    readonly_fields = ["project", "author", "programme", "published_version", "text_version"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Consents are records: read here, never changed."""

    list_display = ["case_study", "kind", "name", "decision", "text_version", "method", "given_at"]
    list_select_related = ["case_study"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(PublishedVersion)
class PublishedVersionAdmin(admin.ModelAdmin):
    list_display = ["case_study", "number", "published_at", "published_by"]
    list_select_related = ["case_study", "published_by"]

    def has_change_permission(self, request, obj=None):
        return False

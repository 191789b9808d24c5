from django.contrib import admin

from .models import Choice, Domain, Round, Story


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "order"]
    list_select_related = ["programme"]
    search_fields = ["name"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    """Stories are their authors': read here (for support), changed only through the pages."""

    list_display = ["title", "domain", "cohort", "author", "show_name", "withdrawn_at", "created_at"]
    list_select_related = ["domain", "cohort", "author"]
    list_filter = ["show_name"]
    search_fields = ["title"]
    readonly_fields = ["programme", "cohort", "domain", "author", "consent_at", "withdrawn_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "cohort", "created_by", "closed_at"]
    list_select_related = ["programme", "cohort", "created_by"]
    readonly_fields = ["programme", "cohort", "created_by", "closed_at", "closed_by"]


@admin.register(Choice)
class ChoiceAdmin(admin.ModelAdmin):
    list_display = ["round", "domain", "story", "chosen_by", "updated_at"]
    list_select_related = ["round", "domain", "story", "chosen_by"]

    def has_change_permission(self, request, obj=None):
        return False

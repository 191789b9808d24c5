from django.contrib import admin

from .models import Outcome, Substantiation, SubstantiationRequest


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["who_changed", "kind", "project", "programme", "status", "happened_on"]
    list_filter = ["kind", "status"]
    search_fields = ["who_changed", "description"]
    list_select_related = ["project", "programme"]
    readonly_fields = ["project", "programme", "recorded_by", "status"]
    raw_id_fields = ["indicators"]


@admin.register(Substantiation)
class SubstantiationAdmin(admin.ModelAdmin):
    """Answers are records: read here, never changed."""

    list_display = ["outcome", "name", "verdict", "created_at"]
    list_select_related = ["outcome"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SubstantiationRequest)
class SubstantiationRequestAdmin(admin.ModelAdmin):
    list_display = ["outcome", "name", "created_at", "expires_at", "used_at"]
    list_select_related = ["outcome"]
    exclude = ["token_hash"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

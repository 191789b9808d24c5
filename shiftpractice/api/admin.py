from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff see who has which tokens and may revoke one by hand (set "revoked at"); the token itself is never
    stored, and its digest is not shown."""

    list_display = [
        "name",
        "user",
        "scope",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope"]
    search_fields = ["name", "user__email", "prefix"]
    raw_id_fields = ["user"]
    exclude = ["digest"]
    readonly_fields = ["user", "name", "scope", "prefix", "created_at", "expires_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False  # tokens are made by their person, on their profile (shown once)

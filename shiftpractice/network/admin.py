from django.contrib import admin

from .models import (
    Approach,
    ApproachNote,
    Block,
    DigestLedger,
    DirectoryProfile,
    EventSignup,
    NetworkEvent,
    OpenCall,
    RefusedSubmission,
)


@admin.register(OpenCall)
class OpenCallAdmin(admin.ModelAdmin):
    list_display = ["programme", "is_open", "updated_at"]
    list_select_related = ["programme"]
    list_filter = ["is_open"]


@admin.register(Approach)
class ApproachAdmin(admin.ModelAdmin):
    """Staff see who got in touch and where it stands; the leads triage it on the programme's pages."""

    list_display = ["name", "kind", "programme", "status", "region", "created_at"]
    list_select_related = ["programme"]
    list_filter = ["kind", "status", "region"]
    search_fields = ["name", "email", "organisation"]
    raw_id_fields = ["programme", "cohort", "invitation"]
    exclude = ["confirm_token_hash", "withdraw_token_hash", "pending"]


@admin.register(ApproachNote)
class ApproachNoteAdmin(admin.ModelAdmin):
    list_display = ["approach", "author", "created_at"]
    list_select_related = ["approach", "author"]
    raw_id_fields = ["approach", "author"]


@admin.register(RefusedSubmission)
class RefusedSubmissionAdmin(admin.ModelAdmin):
    list_display = ["programme", "day", "reason", "count"]
    list_select_related = ["programme"]
    list_filter = ["reason"]


@admin.register(DirectoryProfile)
class DirectoryProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "listed", "region", "digest", "updated_at"]
    list_select_related = ["user"]
    list_filter = ["listed", "digest", "region"]
    search_fields = ["user__full_name", "user__email"]
    raw_id_fields = ["user"]
    exclude = ["unsubscribe_token"]


@admin.register(NetworkEvent)
class NetworkEventAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "starts_at", "capacity"]
    list_select_related = ["programme"]
    raw_id_fields = ["programme", "created_by"]


@admin.register(EventSignup)
class EventSignupAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "status", "created_at"]
    list_select_related = ["event", "user"]
    list_filter = ["status"]
    raw_id_fields = ["event", "user"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    list_select_related = ["blocker", "blocked"]
    raw_id_fields = ["blocker", "blocked"]


@admin.register(DigestLedger)
class DigestLedgerAdmin(admin.ModelAdmin):
    list_display = ["user", "month", "sent_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

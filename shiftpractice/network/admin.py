from django.contrib import admin

from .models import Approach, ApproachNote, OpenCall, RefusedSubmission


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

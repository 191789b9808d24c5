"""The admin for coaching records.

Reflections are the most sensitive data in the product: the admin lists only entries their authors shared,
shows no title or text of any entry, and cannot add, change or delete them. Private entries do not exist as
far as the admin is concerned. Coaches' private notes (``CoachNote``) are not in the admin at all.
"""

from django.contrib import admin

from .choices import Privacy
from .models import (
    Action,
    Board,
    CoachAssignment,
    CoachingPolicy,
    Comment,
    JournalEntry,
    PeerGroup,
    PeerGroupMember,
    PeerMeeting,
    Post,
    SupportContact,
    Thread,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CoachingPolicy)
class CoachingPolicyAdmin(admin.ModelAdmin):
    """Who may read coaches' notes changes only on the lead's policy page, which tells the participants."""

    list_display = ["programme", "leads_read_coach_notes", "nudge_after_days"]
    readonly_fields = ["leads_read_coach_notes"]


@admin.register(CoachAssignment)
class CoachAssignmentAdmin(admin.ModelAdmin):
    """A participant changes coach only on the lead's page, which tells them what the new coach sees."""

    list_display = ["participant", "coach", "cohort", "starts_on", "ends_on"]
    list_filter = ["cohort"]
    raw_id_fields = ["coach", "participant", "assigned_by"]

    def get_readonly_fields(self, request, obj=None):
        return ["coach", "participant", "cohort"] if obj is not None else []


@admin.register(SupportContact)
class SupportContactAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "occurred_on", "mode", "duration_minutes", "initiated_by"]
    list_filter = ["mode"]
    fields = [
        "assignment",
        "occurred_on",
        "mode",
        "duration_minutes",
        "initiated_by",
        "next_contact_on",
        "logged_by",
    ]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["description", "assignment", "owner", "due_on", "status"]
    list_filter = ["status", "owner"]


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "author", "cohort", "privacy", "created_at"]
    list_filter = ["privacy"]
    fields = ["public_id", "author", "cohort", "privacy", "peer_group", "prompt_ref", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(privacy=Privacy.PRIVATE)

    def has_delete_permission(self, request, obj=None):
        return False


class MemberInline(admin.TabularInline):
    model = PeerGroupMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cohort"]
    list_filter = ["kind", "cohort"]
    inlines = [MemberInline]


@admin.register(PeerMeeting)
class PeerMeetingAdmin(ReadOnlyAdmin):
    list_display = ["group", "met_on"]


@admin.register(Board)
class BoardAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "cohort", "programme"]
    list_select_related = ["cohort", "programme"]


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["title", "board", "author", "last_post_at"]
    list_select_related = ["board__cohort", "board__programme", "author"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "author", "created_at", "deleted_at", "hidden_at"]
    list_select_related = ["thread", "author"]  # a post is named after its thread
    exclude = ["body_html"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "author", "created_at", "deleted_at"]
    list_select_related = ["author", "project", "cycle"]  # a comment is named after its cycle or project
    exclude = ["body_html"]

"""The outbox and notifications, read-only: an operator can see what was sent and retry a failed email.

The outbox model lives in ``core`` (every app sends mail through it); its admin is here because ``core/admin.py``
keeps to the audit log and this is where operators already look for emails.
"""

from django.contrib import admin, messages

from shiftpractice.core import emails
from shiftpractice.core.models import EmailDelivery

from .models import Broadcast, Notification, NotificationPreference, ReminderLedger


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["subject", "to_address", "purpose", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["to_address", "subject"]
    # The sealed secret is ciphertext, but an operator has no use for it either.
    exclude = ["sealed"]
    actions = ["retry"]

    @admin.action(description="Retry the selected failed emails")
    def retry(self, request, queryset):
        count = emails.emails_retry(deliveries=queryset, actor=request.user)
        self.message_user(request, f"{count} email(s) queued again.", messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "kind", "delivery", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "delivery"]
    exclude = ["email"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "delivery"]


@admin.register(ReminderLedger)
class ReminderLedgerAdmin(ReadOnlyAdmin):
    list_display = ["kind", "key", "recipient", "sent_at"]
    list_filter = ["kind"]


@admin.register(Broadcast)
class BroadcastAdmin(ReadOnlyAdmin):
    """News told to a whole audience by the task worker: "done" empty means it is still waiting or running."""

    list_display = ["title", "kind", "audience", "actor", "created_at", "done_at", "told"]
    list_filter = ["kind", "audience"]
    list_select_related = ["actor"]

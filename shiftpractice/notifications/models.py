"""In-app notifications, each person's email preferences, and the ledger that makes reminders happen once.

Emails go through the site's one outbox, ``core.EmailDelivery``."""

from django.conf import settings
from django.db import models

from shiftpractice.core.models import EmailDelivery, PublicIdModel

from .choices import DEFAULT_DELIVERY, Delivery
from .kinds import Kind


class Broadcast(models.Model):
    """One piece of news for a whole audience (a board's readers, say), told to each of them by a background task
    in batches (``broadcasts.py``), so the request that made the news writes this one row whatever the audience.

    Each member is told at most once: their notification names this row, and a unique constraint holds."""

    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(max_length=40, help_text="A registered audience, e.g. 'board'.")
    audience_key = models.CharField(max_length=64, help_text="Which one, e.g. the board's id.")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    told = models.PositiveIntegerField(default=0, help_text="People notified when it was done.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} (to {self.audience} {self.audience_key})"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(PublicIdModel):
    """Something that happened which a person should know about; listed in the app and maybe emailed.

    Titles and bodies never carry reflection text or coaching notes: they say what happened and link to it,
    behind the login, where the permission checks apply.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The person's preference when it was created, so changing it later does not re-send old news.
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=DEFAULT_DELIVERY)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email = models.ForeignKey(
        EmailDelivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    # The news told to a whole audience that this notification is one person's copy of.
    broadcast = models.ForeignKey(
        Broadcast, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread_idx"),
            models.Index(fields=["delivery", "emailed_at"], name="notif_digest_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "recipient"], name="notif_once_per_broadcast")
        ]

    def __str__(self) -> str:
        return f"{self.title} (to {self.recipient})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How a person wants to hear about one kind of event. No row means the quiet default: a daily digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=DEFAULT_DELIVERY)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} -> {self.delivery}"


class ReminderLedger(models.Model):
    """A reminder already given: one row per (kind, object, person). The unique constraint is what makes
    the reminder command safe to run twice, or twice at once."""

    kind = models.CharField(max_length=24, choices=Kind.choices)
    key = models.CharField(max_length=120, help_text="What the reminder is about, e.g. 'action:42'.")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="notif_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} to {self.recipient}"

"""Reads on notifications, each one query."""

from .choices import DEFAULT_DELIVERY
from .kinds import Kind
from .models import Notification, NotificationPreference


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(user, *, unread_only: bool = False, kind: str = ""):
    """The person's own notifications, newest first, filtered in the database (a queryset, to page)."""
    items = Notification.objects.filter(recipient=user)
    if unread_only:
        items = items.filter(read_at__isnull=True)
    if kind:
        items = items.filter(kind=kind)
    return items.select_related("actor").order_by("-created_at", "-id")


def preferences_for(user) -> dict[str, str]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY) for kind in Kind.values}

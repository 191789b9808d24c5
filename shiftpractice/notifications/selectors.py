"""Reads on notifications, each one query."""

from .choices import DEFAULT_DELIVERY
from .kinds import Kind
from .models import Notification, NotificationPreference


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(user, *, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).select_related("actor")[:limit])


def preferences_for(user) -> dict[str, str]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY) for kind in Kind.values}

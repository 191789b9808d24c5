"""How long notifications are kept (``manage.py apply_retention``, ``core.retention``)."""

from django.db.models import Q

from shiftpractice.core.retention import Rule, register

from .models import Notification

register(
    Rule(
        key="notifications_read",
        model=Notification,
        what="read notifications",
        old=lambda cutoff: Q(read_at__isnull=False, created_at__lt=cutoff),
    ),
    Rule(
        key="notifications_unread",
        model=Notification,
        what="unread notifications",
        old=lambda cutoff: Q(read_at__isnull=True, created_at__lt=cutoff),
    ),
)

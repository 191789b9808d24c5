"""Recording audit events from services."""

from typing import Any

from django.db import models

from .models import AuditEvent


def audit(*, actor: Any, verb: str, obj: models.Model, summary: str = "", **data: Any) -> AuditEvent:
    """Record that ``actor`` did ``verb`` to ``obj``; call inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:255],
        data=data,
    )

"""Recording audit events from services."""

from typing import Any

from django.db import models

from .models import AuditEvent

PROGRAMME_LABEL = "programmes.programme"

# Records about these objects are shown in no audit list (the admin's, the audit viewer): a journal entry's very
# existence can be private.
PRIVATE_OBJECT_TYPES = ("coaching.journalentry",)


def programme_id_of(obj: models.Model) -> int | None:
    """The programme ``obj`` belongs to, from what the object already holds: the programme itself, or its own
    ``programme_id`` column (a cohort, a milestone, a coaching policy). Never a query: anything further away
    (a project, through its cohort) is passed to ``audit`` by the service that knows it."""
    if obj._meta.label_lower == PROGRAMME_LABEL:
        return obj.pk
    value = getattr(obj, "programme_id", None)
    return value if isinstance(value, int) else None


def audit(
    *,
    actor: Any,
    verb: str,
    obj: models.Model,
    summary: str = "",
    subject: Any = None,
    programme_id: int | None = None,
    **data: Any,
) -> AuditEvent:
    """Record that ``actor`` did ``verb`` to ``obj``; call inside the service's transaction.

    ``subject``: the person the event is about, when it is about someone's personal data (they see it on their
    profile). ``programme_id``: the programme whose leads see the event in their audit viewer; found from
    ``obj`` when it is a programme or has a ``programme_id`` of its own, else none (site staff only).
    """
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:255],
        data=data,
        subject=subject if getattr(subject, "pk", None) is not None else None,
        programme_id=programme_id if programme_id is not None else programme_id_of(obj),
    )

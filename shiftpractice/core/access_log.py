"""The access log: every read of a person's personal data by someone else, so the person can see who read what
about them and when.

A read is an ``AuditEvent`` whose verb starts with ``read.`` and whose ``subject`` is the person the data is
about. Call ``record_read`` where the read happens, after the permission chokepoint has allowed it: a lead
reading a coach's private notes under the programme's policy, anyone exporting or downloading someone else's
personal data. Reading one's own data is not recorded.

The ``what`` of a read is shown to the person it is about and to the audit viewer: describe the kind of data
("Your coach's private notes on 2 conversations"), never its content or anyone else's data.
"""

from typing import Any

from django.apps import apps
from django.db import models

from .audit import audit
from .models import AuditEvent

READ_PREFIX = "read."


def record_read(
    *,
    actor: Any,
    subject: Any,
    obj: models.Model,
    what: str,
    kind: str,
    programme_id: int | None = None,
    **data: Any,
) -> AuditEvent | None:
    """Record that ``actor`` read ``what`` about ``subject`` (held on ``obj``): one event, verb ``read.<kind>``.

    ``programme_id`` lets the programme's leads see the read in their audit viewer. Returns None, recording
    nothing, when the reader is the person themself or nobody signed in (there is no one to name)."""
    if not getattr(actor, "is_authenticated", False) or subject is None:
        return None
    if actor.pk == subject.pk:
        return None
    return audit(
        actor=actor,
        verb=f"{READ_PREFIX}{kind}",
        obj=obj,
        summary=what,
        subject=subject,
        programme_id=programme_id,
        **data,
    )


def reads_about(person):
    """The reads of ``person``'s data by other people, newest first (with each reader, in the same query)."""
    return (
        AuditEvent.objects.filter(subject=person, verb__startswith=READ_PREFIX)
        .select_related("actor")
        .order_by("-at", "-id")
    )


def object_label(object_type: str) -> str:
    """``coaching.coachassignment`` as people read it ("coach assignment"); the label itself if the model is gone."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type

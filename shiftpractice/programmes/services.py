"""Writes on programmes and their milestones. Each runs in one transaction and is audited."""

from django.db import transaction

from shiftpractice.core.audit import audit

from .models import Milestone, Programme


@transaction.atomic
def programme_update(*, programme: Programme, actor, **fields) -> Programme:
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.full_clean()
    programme.save()
    audit(actor=actor, verb="programme.updated", obj=programme, fields=sorted(fields))
    return programme


@transaction.atomic
def milestone_save(*, milestone: Milestone, actor) -> Milestone:
    created = milestone.pk is None
    milestone.full_clean()
    milestone.save()
    audit(
        actor=actor,
        verb="milestone.created" if created else "milestone.updated",
        obj=milestone,
        summary=milestone.title,
        status=milestone.status,
    )
    return milestone

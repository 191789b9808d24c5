"""The stakeholder and influence map."""

from django.core.exceptions import ValidationError
from django.db import transaction

from shiftpractice.core.audit import audit

from ..models import ChangeProject, Stakeholder
from .projects import touch_project

FIELDS = ("name", "group", "power", "interest", "circle", "stance_now", "stance_hoped", "actions")


@transaction.atomic
def stakeholder_save(
    *, project: ChangeProject, actor, stakeholder: Stakeholder | None = None, **fields
) -> Stakeholder:
    if not (fields.get("name") or "").strip():
        raise ValidationError({"name": "Give the person or group a name."})
    stakeholder = stakeholder or Stakeholder(project=project)
    if stakeholder.project_id != project.pk:
        raise ValidationError("That stakeholder belongs to another project.")
    created = stakeholder.pk is None
    for name in FIELDS:
        if name in fields:
            setattr(stakeholder, name, fields[name])
    stakeholder.full_clean()
    stakeholder.save()
    touch_project(project)
    audit(
        actor=actor,
        verb="stakeholder.added" if created else "stakeholder.updated",
        obj=stakeholder,
        summary=stakeholder.name,
    )
    return stakeholder


@transaction.atomic
def stakeholder_delete(*, stakeholder: Stakeholder, actor) -> None:
    audit(actor=actor, verb="stakeholder.deleted", obj=stakeholder, summary=stakeholder.name)
    stakeholder.delete()
    touch_project(stakeholder.project)

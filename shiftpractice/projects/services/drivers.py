"""The driver diagram's boxes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from shiftpractice.core.audit import audit

from ..choices import DriverKind
from ..models import ChangeProject, DriverNode
from .projects import touch_project

# Which kind of box may hang under which.
ALLOWED_PARENTS = {
    DriverKind.PRIMARY: {None},
    DriverKind.SECONDARY: {DriverKind.PRIMARY},
    DriverKind.CHANGE_IDEA: {DriverKind.PRIMARY, DriverKind.SECONDARY},
}


@transaction.atomic
def driver_add(
    *, project: ChangeProject, kind: str, text: str, actor, parent=None, lens_tags=()
) -> DriverNode:
    if not text.strip():
        raise ValidationError({"text": "Write what the driver or change idea is."})
    if parent is not None and parent.project_id != project.pk:
        raise ValidationError({"parent": "Choose a box from this project's diagram."})
    if (parent.kind if parent else None) not in ALLOWED_PARENTS[kind]:
        message = {
            DriverKind.PRIMARY: "A primary driver hangs from the aim: do not choose a parent.",
            DriverKind.SECONDARY: "A secondary driver hangs from a primary driver.",
            DriverKind.CHANGE_IDEA: "A change idea hangs from a primary or secondary driver.",
        }[kind]
        raise ValidationError({"parent": message})
    position = (project.driver_nodes.aggregate(p=Max("position"))["p"] or 0) + 1
    node = DriverNode.objects.create(
        project=project,
        kind=kind,
        parent=parent,
        text=text.strip(),
        lens_tags=list(lens_tags),
        position=position,
    )
    audit(actor=actor, verb="driver.added", obj=node, summary=node.text)
    touch_project(project)
    return node


@transaction.atomic
def driver_delete(*, node: DriverNode, actor) -> None:
    """Remove a box and everything under it, unless a PDSA cycle tests one of those change ideas."""
    ids, frontier = {node.pk}, [node.pk]
    while frontier:
        frontier = list(DriverNode.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    if DriverNode.objects.filter(pk__in=ids, cycles__isnull=False).exists():
        raise ValidationError("A PDSA cycle tests this change idea (or one below it): it cannot be removed.")
    audit(actor=actor, verb="driver.deleted", obj=node, summary=node.text)
    node.delete()
    touch_project(node.project)

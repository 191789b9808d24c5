"""The driver diagram's boxes: add, edit (text, lenses, where it hangs), and remove with everything below."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from shiftpractice.core.audit import audit

from ..choices import DriverKind
from ..models import ChangeProject, Cycle, DriverNode
from .projects import touch_project

# Which kind of box may hang under which.
ALLOWED_PARENTS = {
    DriverKind.PRIMARY: {None},
    DriverKind.SECONDARY: {DriverKind.PRIMARY},
    DriverKind.CHANGE_IDEA: {DriverKind.PRIMARY, DriverKind.SECONDARY},
}
PARENT_RULE = {
    DriverKind.PRIMARY: "A primary driver hangs from the aim: do not choose a box to hang it from.",
    DriverKind.SECONDARY: "Hangs from: a secondary driver hangs from a primary driver.",
    DriverKind.CHANGE_IDEA: "Hangs from: a change idea hangs from a primary or secondary driver.",
}
# Plural names, for "also removes its 2 secondary drivers and 3 change ideas".
KIND_PLURAL = {
    DriverKind.PRIMARY: "primary drivers",
    DriverKind.SECONDARY: "secondary drivers",
    DriverKind.CHANGE_IDEA: "change ideas",
}


def parent_choices(project: ChangeProject, kind: str):
    """The boxes a box of ``kind`` may hang from, in the diagram's order."""
    allowed = [k for k in ALLOWED_PARENTS[kind] if k is not None]
    return project.driver_nodes.filter(kind__in=allowed)


def _check(*, project: ChangeProject, kind: str, text: str, parent, node: DriverNode | None = None) -> None:
    errors = {}
    if not (text or "").strip():
        errors["text"] = "Enter the text of the driver or change idea."
    if parent is not None and parent.project_id != project.pk:
        errors["parent"] = "Hangs from: choose a box from this project's diagram."
    elif node is not None and parent is not None and parent.pk == node.pk:
        errors["parent"] = "Hangs from: a box cannot hang from itself."
    elif (parent.kind if parent else None) not in ALLOWED_PARENTS[kind]:
        errors["parent"] = PARENT_RULE[kind]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def driver_add(
    *, project: ChangeProject, kind: str, text: str, actor, parent=None, lens_tags=()
) -> DriverNode:
    _check(project=project, kind=kind, text=text, parent=parent)
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
def driver_update(*, node: DriverNode, actor, text: str, parent=None, lens_tags=()) -> DriverNode:
    """Change a box's words, its lenses, or the box it hangs from (its kind stays; what hangs below it moves
    with it). A primary driver hangs from the aim and has no parent to choose."""
    node = DriverNode.objects.select_for_update().select_related("project").get(pk=node.pk)
    _check(project=node.project, kind=node.kind, text=text, parent=parent, node=node)
    before = {"text": node.text, "parent": node.parent_id, "lens_tags": list(node.lens_tags)}
    node.text, node.parent, node.lens_tags = text.strip(), parent, list(lens_tags)
    after = {"text": node.text, "parent": node.parent_id, "lens_tags": node.lens_tags}
    if before == after:
        return node
    node.save(update_fields=["text", "parent", "lens_tags", "updated_at"])
    changed = sorted(k for k in after if before[k] != after[k])
    audit(actor=actor, verb="driver.updated", obj=node, summary=node.text, changed=changed)
    touch_project(node.project)
    return node


@dataclass(frozen=True)
class DriverRemoval:
    """What removing a box takes with it: every box below it, in the diagram's order, and the PDSA cycles that
    test one of them (which keep it from being removed)."""

    node: DriverNode
    below: list[DriverNode]
    tested_by: list[Cycle]

    @property
    def blocked(self) -> bool:
        return bool(self.tested_by)

    def counts(self) -> list[str]:
        """["2 secondary drivers", "3 change ideas"], in the diagram's order of kinds."""
        words = []
        for kind in (DriverKind.SECONDARY, DriverKind.CHANGE_IDEA):
            n = sum(1 for b in self.below if b.kind == kind)
            if n:
                words.append(f"{n} {KIND_PLURAL[kind] if n != 1 else DriverKind(kind).label.lower()}")
        return words


def driver_removal(node: DriverNode) -> DriverRemoval:
    """Work out what removing ``node`` takes with it, in two queries whatever the diagram's size."""
    nodes = list(DriverNode.objects.filter(project_id=node.project_id).order_by("position", "id"))
    children: dict[int | None, list[DriverNode]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    below: list[DriverNode] = []
    stack = list(reversed(children.get(node.pk, [])))
    while stack:  # depth first, so the list reads like the diagram
        n = stack.pop()
        below.append(n)
        stack.extend(reversed(children.get(n.pk, [])))
    ids = [node.pk, *(b.pk for b in below)]
    tested_by = list(
        Cycle.objects.filter(change_idea_id__in=ids).select_related("change_idea").order_by("number")
    )
    return DriverRemoval(node=node, below=below, tested_by=tested_by)


@transaction.atomic
def driver_delete(*, node: DriverNode, actor) -> DriverRemoval:
    """Remove a box and everything under it, unless a PDSA cycle tests one of those change ideas (the cycle's
    record would lose what it tested: move the change idea to another driver first)."""
    # Lock the project's diagram for the check and the delete, so no cycle links to a box being removed.
    list(DriverNode.objects.select_for_update().filter(project_id=node.project_id).values_list("pk"))
    removal = driver_removal(node)
    if removal.blocked:
        raise ValidationError(
            "A PDSA cycle tests this change idea (or one below it): it cannot be removed. Move the change "
            "idea to another driver first, or link the cycle to another change idea."
        )
    audit(
        actor=actor,
        verb="driver.deleted",
        obj=node,
        summary=node.text,
        also_removed=[b.text for b in removal.below],
    )
    node.delete()
    touch_project(node.project)
    return removal

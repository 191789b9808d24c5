"""Reads on projects, shaped for the pages that show them, each in a fixed number of queries."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .choices import CycleStatus, DriverKind
from .models import ChangeProject, Cycle, DriverNode, ProgressScore, Stakeholder
from .permissions import reads_private_parts

PROJECT_SORTS = {
    "updated": ("Recently changed", ("-updated_at", "-id")),
    "title": ("Title, A to Z", ("title", "id")),
}


def project_list(*, user, owned: bool | None = None, q: str = "", status: str = "", sort: str = "updated"):
    """Projects the person may read, filtered, searched and sorted in the database (a queryset, to page).

    ``owned``: True for the person's own projects, False for the others they may read, None for both. Cycle
    counts are correlated subqueries, so counting the list for its pages does not group every project.
    """
    cycles = Cycle.objects.filter(project=OuterRef("pk")).order_by().values("project")
    if owned is True:
        # The person's own projects: the sharing rule's first clause (an owner reads their project), without
        # building and testing the rest of it.
        projects = (
            ChangeProject.objects.filter(owner=user)
            if user.is_authenticated
            else ChangeProject.objects.none()
        )
    else:
        projects = ChangeProject.objects.visible_to(user)
        if owned is False:
            projects = projects.exclude(owner=user)
    if q:
        projects = projects.filter(title__icontains=q)
    if status:
        projects = projects.filter(status=status)
    return (
        projects.select_related("owner", "cohort", "cohort__programme")
        .annotate(
            cycle_count=Coalesce(Subquery(cycles.annotate(n=Count("pk")).values("n")), 0),
            cycles_done=Coalesce(
                Subquery(cycles.filter(status=CycleStatus.COMPLETE).annotate(n=Count("pk")).values("n")), 0
            ),
        )
        .order_by(*PROJECT_SORTS.get(sort, PROJECT_SORTS["updated"])[1])
    )


def lazily(load: Callable[[], object]) -> Callable[[], object]:
    """A zero-argument callable that loads once: templates call it only if the page needs the value.

    The story page is cached as fragments, so on a cache hit most of these are never called and their
    queries never run.
    """
    return functools.cache(load)


def stakeholder_list(*, project: ChangeProject, viewer) -> list[Stakeholder]:
    """The influence map: named colleagues, so every page, fragment and export reads it here, and only people
    who read the project beyond its public face get anyone (``permissions.reads_private_parts``)."""
    if not reads_private_parts(viewer, project):
        return []
    return list(project.stakeholders.all())


def project_page(project: ChangeProject, *, viewer) -> dict:
    """Everything the QI story shows to ``viewer``, each a lazy loader running one query per kind of record."""
    nodes = lazily(lambda: list(project.driver_nodes.all()))
    return {
        "cycles": lazily(
            lambda: list(
                project.cycles.select_related("change_idea", "previous")
                .prefetch_related("corrections__made_by")
                .order_by("number")
            )
        ),
        "driver_nodes": nodes,
        "driver_tree": lazily(lambda: build_driver_tree(nodes())),
        "change_ideas": lazily(lambda: [n for n in nodes() if n.kind == DriverKind.CHANGE_IDEA]),
        "stakeholders": lazily(lambda: stakeholder_list(project=project, viewer=viewer)),
        "lens_answers": lazily(lambda: list(project.lens_answers.all())),
        "scores": lazily(lambda: list(project.progress_scores.select_related("set_by"))),
        "carbon": lazily(lambda: list(project.carbon_activities.all())),
        "social": lazily(lambda: list(project.social_impacts.all())),
        "financial": lazily(lambda: list(project.financial_impacts.all())),
    }


@dataclass
class TreeNode:
    node: DriverNode
    children: list["TreeNode"] = field(default_factory=list)


def build_driver_tree(nodes: list[DriverNode]) -> list[TreeNode]:
    """Arrange driver boxes (already fetched) under their parents; primary drivers are the roots."""
    wrapped = {n.pk: TreeNode(n) for n in nodes}
    roots = []
    for n in nodes:
        if n.parent_id and n.parent_id in wrapped:
            wrapped[n.parent_id].children.append(wrapped[n.pk])
        else:
            roots.append(wrapped[n.pk])
    return roots


def latest_score(project: ChangeProject) -> ProgressScore | None:
    return project.progress_scores.order_by("-scored_on", "-id").first()


def cycles_waiting(projects) -> list[Cycle]:
    return list(
        Cycle.objects.filter(project__in=projects, status=CycleStatus.STUDYING).select_related("project")
    )

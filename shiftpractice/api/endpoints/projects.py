"""Change projects and their PDSA cycles, read through ``projects.permissions``: a project's public face to
those who read it only because it is public, everything else to those who may read it."""

from __future__ import annotations

from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Query, Router
from pydantic import Field

from shiftpractice.projects.models import ChangeProject, Cycle
from shiftpractice.projects.permissions import Access, can_edit_project, get_project_for_user, project_access
from shiftpractice.projects.selectors import project_list

from ..pagination import page
from ..schemas import CycleOut, ProjectOut, paged
from .common import caller, filtered, link, person
from .programmes import ListParams

router = Router(tags=["projects"])

ACCESS_NAMES = {Access.PUBLIC: "public", Access.READ: "read", Access.EDIT: "edit"}


class ProjectFilters(ListParams):
    programme: str | None = Field(None, description="Only this programme's projects (its slug).")
    cohort: str | None = Field(None, description="Only this cohort's projects (its slug).")
    status: str | None = None
    q: str | None = Field(None, max_length=100, description="Words in the title.")
    mine: bool | None = Field(None, description="true: only projects you own; false: only others'.")


def project_out(request, project: ChangeProject, access: Access) -> dict:
    private = access >= Access.READ
    return {
        "id": project.public_id,
        "title": project.title,
        "status": project.status,
        "visibility": project.visibility,
        "is_public": project.is_public,
        "access": ACCESS_NAMES[access],
        "cohort": project.cohort.slug if private else None,
        "programme": project.cohort.programme.slug if private else None,
        "owner": person(project.owner),
        "aim": project.aim_statement,
        "aim_what": project.aim_what,
        "aim_for_whom": project.aim_for_whom,
        "aim_how_much": project.aim_how_much,
        "aim_by_when": project.aim_by_when,
        "mfi_accomplish": project.mfi_accomplish,
        "mfi_know": project.mfi_know,
        "mfi_change": project.mfi_change,
        "created_at": project.created_at,
        "updated_at": project.updated_at,
        "url": link(request, project),
    }


def _accesses(user, projects: list[ChangeProject]) -> dict[int, Access]:
    """``project_access`` for a page of projects at once: the same rule (the team edits; what
    ``visible_to(include_public=False)`` finds is read; the rest is seen only as public), in one query."""
    readable = set(
        ChangeProject.objects.visible_to(user, include_public=False)
        .filter(pk__in=[p.pk for p in projects])
        .values_list("pk", flat=True)
    )
    return {
        p.pk: Access.EDIT
        if can_edit_project(user, p)
        else (Access.READ if p.pk in readable else Access.PUBLIC)
        for p in projects
    }


@router.get("/projects", response=paged(ProjectOut), summary="Change projects you may read")
def projects(request, params: Query[ProjectFilters]):
    user = caller(request)
    qs = project_list(user=user, owned=params.mine, q=params.q or "", status=params.status or "")
    qs = filtered(qs, params, {"programme": "cohort__programme__slug", "cohort": "cohort__slug"})
    result = page(
        qs.prefetch_related("members"),
        order=("created_at", "public_id"),
        params=params,
        salt="projects",
    )
    access = _accesses(user, result["results"])
    result["results"] = [project_out(request, p, access[p.pk]) for p in result["results"]]
    return result


@router.get("/projects/{uuid:project_id}", response=ProjectOut, summary="A change project")
def project(request, project_id: UUID):
    user = caller(request)
    found = get_project_for_user(user, project_id, public_face=True)
    return project_out(request, found, project_access(user, found, visible=True))


def cycle_out(request, cycle: Cycle) -> dict:
    out = {
        name: getattr(cycle, name)
        for name in CycleOut.model_fields
        if name not in ("id", "url") and hasattr(cycle, name)
    }
    out["id"] = cycle.public_id
    out["url"] = link(request, cycle)
    return out


@router.get("/projects/{uuid:project_id}/cycles", response=paged(CycleOut), summary="A project's PDSA cycles")
def cycles(request, project_id: UUID, params: Query[ListParams]):
    found = get_project_for_user(caller(request), project_id)

    def serialise(cycle):
        cycle.project = found
        return cycle_out(request, cycle)

    return page(
        Cycle.objects.filter(project=found),
        order=("number",),
        params=params,
        salt=f"cycles.{found.public_id}",
        serialise=serialise,
    )


@router.get("/projects/{uuid:project_id}/cycles/{int:number}", response=CycleOut, summary="A PDSA cycle")
def cycle(request, project_id: UUID, number: int):
    found = get_project_for_user(caller(request), project_id)
    item = get_object_or_404(Cycle, project=found, number=number)
    item.project = found
    return cycle_out(request, item)

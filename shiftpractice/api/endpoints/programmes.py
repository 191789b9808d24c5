"""Programmes, their cohorts and workshops: read through the same chokepoints as their pages."""

from __future__ import annotations

from uuid import UUID

from ninja import Query, Router
from pydantic import Field

from shiftpractice.cohorts.models import Cohort, Workshop
from shiftpractice.cohorts.permissions import get_cohort_for_user, get_workshop_for_user
from shiftpractice.programmes.permissions import get_programme_for_user
from shiftpractice.programmes.selectors import programme_list

from ..pagination import page
from ..schemas import CohortOut, Moment, ProgrammeOut, Strict, WorkshopOut, paged
from .common import caller, filtered, link, person, slug_in_path

router = Router(tags=["programmes"])


class ListParams(Strict):
    cursor: str | None = Field(None, description="The `next` of the page before.")
    limit: int = Field(50, ge=1, le=200, description="Items per page.")


class CohortFilters(ListParams):
    programme: str | None = Field(None, description="Only this programme's cohorts (its slug).")
    status: str | None = None


class WorkshopFilters(ListParams):
    programme: str | None = None
    cohort: str | None = Field(None, description="Only workshops this cohort attends (its slug).")
    starts_after: Moment | None = None
    starts_before: Moment | None = None


def programme_out(request, programme) -> dict:
    return {
        "slug": programme.slug,
        "name": programme.name,
        "summary": programme.summary,
        "organisation": programme.organisation,
        "leads": [person(u) for u in programme.leads.all()],
        "url": link(request, programme),
    }


def cohort_out(request, cohort) -> dict:
    return {
        "slug": cohort.slug,
        "name": cohort.name,
        "programme": cohort.programme.slug,
        "start_date": cohort.start_date,
        "end_date": cohort.end_date,
        "capacity": cohort.capacity,
        "status": cohort.status,
        "url": link(request, cohort),
    }


def workshop_out(request, workshop) -> dict:
    return {
        "id": workshop.public_id,
        "programme": workshop.programme.slug,
        "cohorts": sorted(c.slug for c in workshop.cohorts.all()),
        "number": workshop.number,
        "title": workshop.title,
        "starts_at": workshop.starts_at,
        "ends_at": workshop.ends_at,
        "joining_url": workshop.joining_url,
        "agenda": workshop.agenda,
        "url": link(request, workshop),
    }


@router.get("/programmes", response=paged(ProgrammeOut), summary="Programmes you lead or belong to")
def programmes(request, params: Query[ListParams]):
    return page(
        programme_list(user=caller(request)),
        order=("slug",),
        params=params,
        salt="programmes",
        serialise=lambda p: programme_out(request, p),
    )


@router.get("/programmes/{slug}", response=ProgrammeOut, summary="A programme")
def programme(request, slug: str):
    return programme_out(request, get_programme_for_user(caller(request), slug_in_path(slug)))


@router.get("/cohorts", response=paged(CohortOut), summary="Cohorts you belong to, or of programmes you lead")
def cohorts(request, params: Query[CohortFilters]):
    qs = filtered(
        Cohort.objects.visible_to(caller(request)).select_related("programme"),
        params,
        {"programme": "programme__slug", "status": "status"},
    )
    return page(
        qs,
        order=("slug",),
        params=params,
        salt="cohorts",
        serialise=lambda c: cohort_out(request, c),
    )


@router.get("/cohorts/{slug}", response=CohortOut, summary="A cohort")
def cohort(request, slug: str):
    return cohort_out(request, get_cohort_for_user(caller(request), slug_in_path(slug)))


@router.get("/workshops", response=paged(WorkshopOut), summary="Workshops you may see, soonest first")
def workshops(request, params: Query[WorkshopFilters]):
    qs = filtered(
        Workshop.objects.visible_to(caller(request)).select_related("programme").prefetch_related("cohorts"),
        params,
        {
            "programme": "programme__slug",
            "cohort": "cohorts__slug",
            "starts_after": "starts_at__gte",
            "starts_before": "starts_at__lt",
        },
    )
    return page(
        qs,
        order=("starts_at", "public_id"),
        params=params,
        salt="workshops",
        serialise=lambda w: workshop_out(request, w),
    )


@router.get("/workshops/{uuid:workshop_id}", response=WorkshopOut, summary="A workshop")
def workshop(request, workshop_id: UUID):
    return workshop_out(request, get_workshop_for_user(caller(request), workshop_id))

"""Measures, their data points and charts. Reads follow ``measures.permissions`` as the pages do (a measure's
chart and data are part of a public project's public face; a project's list of measures is not); every change
goes through ``measures.services`` (one point) or ``measures.imports`` (many: the same service as a file
import, all or nothing)."""

from __future__ import annotations

import csv
import io
from datetime import date
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from ninja import Query, Router, Status
from pydantic import Field

from shiftpractice.measures import imports, services
from shiftpractice.measures.choices import ImportStatus
from shiftpractice.measures.models import DataPoint, Measure
from shiftpractice.measures.periods import normalise_period
from shiftpractice.measures.permissions import get_measure_for_user
from shiftpractice.measures.selectors import measure_chart
from shiftpractice.projects.permissions import get_project_for_user

from .. import problems
from ..pagination import page
from ..problems import ApiProblem, Problem
from ..schemas import BulkIn, BulkOut, ChartOut, MeasureOut, PointChange, PointIn, PointOut, paged
from .common import caller, filtered, link, require_write
from .programmes import ListParams

router = Router(tags=["measures"])

BULK_COLUMNS = ("period", "value", "numerator", "denominator", "note")


def bulk_max_rows() -> int:
    return int(getattr(settings, "API_BULK_MAX_ROWS", 10_000))


class PointFilters(ListParams):
    period_from: date | None = Field(None, alias="from", description="Periods on or after this date.")
    period_to: date | None = Field(None, alias="to", description="Periods on or before this date.")


def measure_out(request, measure: Measure) -> dict:
    out = {
        name: getattr(measure, name)
        for name in MeasureOut.model_fields
        if name not in ("id", "project", "url")
    }
    out.update(id=measure.public_id, project=measure.project.public_id, url=link(request, measure))
    return out


def point_out(point) -> dict:
    return {name: getattr(point, name) for name in PointOut.model_fields}


@router.get(
    "/projects/{uuid:project_id}/measures",
    response=paged(MeasureOut),
    summary="A project's family of measures",
)
def measures(request, project_id: UUID, params: Query[ListParams]):
    project = get_project_for_user(caller(request), project_id)

    def serialise(measure):
        measure.project = project
        return measure_out(request, measure)

    return page(
        Measure.objects.filter(project=project),
        order=("position", "public_id"),
        params=params,
        salt=f"measures.{project.public_id}",
        serialise=serialise,
    )


@router.get("/measures/{uuid:measure_id}", response=MeasureOut, summary="A measure")
def measure(request, measure_id: UUID):
    return measure_out(request, get_measure_for_user(caller(request), measure_id, public_face=True))


@router.get(
    "/measures/{uuid:measure_id}/points", response=paged(PointOut), summary="A measure's data, oldest first"
)
def points(request, measure_id: UUID, params: Query[PointFilters]):
    found = get_measure_for_user(caller(request), measure_id, public_face=True)
    qs = filtered(
        DataPoint.objects.filter(measure=found),
        params,
        {"period_from": "period__gte", "period_to": "period__lte"},
    )
    return page(
        qs,
        order=("period",),
        params=params,
        salt=f"points.{found.public_id}",
        serialise=point_out,
    )


def _writable(request, measure_id) -> Measure:
    require_write(request)
    return get_measure_for_user(caller(request), measure_id, write=True)


def _bulk_csv(rows) -> bytes:
    """The rows as the CSV file the import reads: ISO dates, numbers as Python writes them (exactly)."""
    with_notes = any(r.note is not None for r in rows)
    columns = BULK_COLUMNS if with_notes else BULK_COLUMNS[:-1]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        cells = [
            r.period.isoformat(),
            *("" if v is None else repr(v) for v in (r.value, r.numerator, r.denominator)),
        ]
        if with_notes:
            cells.append(r.note or "")
        writer.writerow(cells)
    return out.getvalue().encode()


def _row_errors(data_import) -> list[dict]:
    """The import's problems, pointing into the request: row 2 of the file is points[0]."""
    out = []
    for e in data_import.errors:
        index = e["row"] - 2
        column = e["column"] if e["column"] in BULK_COLUMNS else ""
        if index < 0:
            out.append({"pointer": "#/points", "detail": e["problem"]})
        else:
            out.append(
                {"pointer": f"#/points/{index}" + (f"/{column}" if column else ""), "detail": e["problem"]}
            )
    return out


@router.post(
    "/measures/{uuid:measure_id}/points/bulk",
    response={200: BulkOut, 413: Problem, 422: Problem},
    summary="Add or change many periods at once: all of them, or none",
    description=(
        "An idempotent upsert by period through the same service as a CSV or Excel import: each row's period is "
        "read as the start of its period; rows are checked as a file's would be, and if any row has a problem "
        "nothing is written and every problem is listed (`errors`, pointing at the row and field). Sending the "
        "same rows again changes nothing. Notes: leave `note` out of every row to keep the notes already there."
    ),
)
def points_bulk(request, measure_id: UUID, payload: BulkIn):
    found = _writable(request, measure_id)
    rows = payload.points
    if not rows:
        raise ApiProblem(
            422,
            "Send at least one row in points.",
            kind="validation",
            errors=[{"pointer": "#/points", "detail": "is empty"}],
        )
    if len(rows) > bulk_max_rows():
        raise ApiProblem(
            413,
            f"At most {bulk_max_rows():,} rows in one request: send the rest in another.",
            kind="too-large",
            title="Too many rows",
        )
    actor = caller(request)
    upload = ContentFile(_bulk_csv(rows), name=f"api-{found.public_id.hex[:8]}.csv")
    data_import = imports.import_upload(measure=found, uploaded=upload, actor=actor)
    data_import = imports.import_check(data_import)
    if data_import.status != ImportStatus.READY:
        errors = _row_errors(data_import)
        count = data_import.error_count
        imports.import_cancel(data_import=data_import, actor=actor)
        raise ApiProblem(
            422,
            f"{count} problem{'s' if count != 1 else ''} in the rows: nothing was written."
            + (f" The first {len(errors)} are listed." if count > len(errors) else ""),
            kind="validation",
            title="The request is not valid",
            errors=errors,
        )
    try:
        data_import = imports.import_commit(data_import=data_import, actor=actor)
    except ValidationError as exc:
        raise ApiProblem(
            409,
            "; ".join(exc.messages) + " Nothing was written.",
            kind="conflict",
            title="The data changed while it was being written",
            errors=problems.service_errors(exc),
        ) from None
    return {
        "created": data_import.rows_new,
        "changed": data_import.rows_changed,
        "unchanged": data_import.rows_unchanged,
        "import_id": data_import.public_id,
    }


def _point(found: Measure, period: date) -> DataPoint:
    point = DataPoint.objects.filter(measure=found, period=normalise_period(found.frequency, period)).first()
    if point is None:
        raise ApiProblem(404, f"{found.name} has no data for the period of {period.isoformat()}.")
    return point


@router.get("/measures/{uuid:measure_id}/points/{period}", response=PointOut, summary="One period's data")
def point(request, measure_id: UUID, period: date):
    return point_out(_point(get_measure_for_user(caller(request), measure_id, public_face=True), period))


@router.post(
    "/measures/{uuid:measure_id}/points",
    response={201: PointOut, 409: Problem, 422: Problem},
    summary="Add a period's data",
)
def point_create(request, measure_id: UUID, payload: PointIn):
    found = _writable(request, measure_id)
    period = normalise_period(found.frequency, payload.period)
    if DataPoint.objects.filter(measure=found, period=period).exists():
        raise ApiProblem(
            409,
            f"{found.name} already has data for the period of {period.isoformat()}: change it with PUT.",
            kind="conflict",
            title="The period already has data",
        )
    saved = services.point_save(measure=found, actor=caller(request), **payload.model_dump())
    return Status(201, point_out(saved))


@router.put(
    "/measures/{uuid:measure_id}/points/{period}",
    response={200: PointOut, 201: PointOut, 422: Problem},
    summary="Set a period's data (added when it has none)",
)
def point_update(request, measure_id: UUID, period: date, payload: PointChange):
    found = _writable(request, measure_id)
    existed = DataPoint.objects.filter(
        measure=found, period=normalise_period(found.frequency, period)
    ).exists()
    saved = services.point_save(measure=found, period=period, actor=caller(request), **payload.model_dump())
    return Status(200 if existed else 201, point_out(saved))


@router.delete(
    "/measures/{uuid:measure_id}/points/{period}", response={204: None}, summary="Delete a period's data"
)
def point_delete(request, measure_id: UUID, period: date):
    found = _writable(request, measure_id)
    _point(found, period)
    services.point_delete(measure=found, period=period, actor=caller(request))
    return Status(204, None)


@router.get("/measures/{uuid:measure_id}/chart", response=ChartOut, summary="A measure's chart, computed")
def chart(request, measure_id: UUID):
    found = get_measure_for_user(caller(request), measure_id, public_face=True)
    view = measure_chart(found)
    return {
        "measure": found.public_id,
        "chart": view.chart,
        "chart_label": view.chart_label,
        "automatic": view.automatic,
        "rule_set": view.rule_set,
        "rule_set_label": view.rule_set_label,
        "problem": view.problem,
        "summary": view.summary(),
        "explanations": view.explanations,
        "signals": [
            {
                "rule": s.rule,
                "label": s.rule_label,
                "indices": list(s.indices),
                "direction": s.direction,
                "nature": s.nature,
                "text": s.text,
            }
            for s in view.signals
        ],
        "periods": view.periods,
        "result": None if view.result is None else view.result.to_dict(details=True),
    }

"""The SPC engine as a service: chart the data sent, store nothing (the engine's command line, over HTTP)."""

from __future__ import annotations

import json

import numpy as np
from django.conf import settings
from django.http import HttpResponse
from ninja import Router

from shiftpractice.spc import SPCInputError, compute_prepared
from shiftpractice.spc.jsonout import write_result
from shiftpractice.spc.validate import prepare, request_from_mapping

from ..problems import ApiProblem, Problem
from ..schemas import SpcRequest

router = Router(tags=["spc"])

MAX_BYTES_DEFAULT = 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "API_SPC_MAX_BYTES", MAX_BYTES_DEFAULT))


def _reject_constant(name: str):
    raise SPCInputError("request", f"{name} is not valid JSON")


def _read(request) -> object:
    limit = max_bytes()
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise ApiProblem(413, f"A chart request may be at most {limit:,} bytes.", kind="too-large")
    body = request.body
    if len(body) > limit:
        raise ApiProblem(413, f"A chart request may be at most {limit:,} bytes.", kind="too-large")
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise SPCInputError("request", "malformed JSON (the input is not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise SPCInputError(
            "request", f"malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise SPCInputError("request", "nested too deeply") from None


def _pointer(exc: SPCInputError) -> str:
    if exc.field == "request":
        return "#"
    path = "/".join(exc.field.split("."))
    return f"#/{path}" + (f"/{exc.index}" if exc.index is not None else "")


@router.post(
    "/spc",
    response={200: dict, 413: Problem, 422: Problem},
    summary="Chart the data sent (nothing is stored)",
    description=(
        "The request is the SPC engine's: the same JSON its command line `python -m shiftpractice.spc` reads "
        "(chart, x, y, n, options, explain; docs/spc.md), at most 1 MB. The response is the engine's result, "
        "as the command line writes it; `?details=true` adds `signal_details` and the explanations. A request "
        "the engine refuses is a 422 problem naming the field."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SpcRequest.model_json_schema()}},
        }
    },
)
def spc(request, details: bool = False):
    try:
        data = _read(request)
        chart_request = request_from_mapping(data, explain_default=False)
        del data
        with np.errstate(all="ignore"):
            prepared = prepare(chart_request)
        result = compute_prepared(prepared)
    except SPCInputError as exc:
        raise ApiProblem(
            422,
            str(exc),
            kind="validation",
            title="The chart request is not valid",
            errors=[{"pointer": _pointer(exc), "detail": exc.reason}],
        ) from None
    chunks: list[bytes] = []
    write_result(result, chunks.append, details=details)
    return HttpResponse(b"".join(chunks), content_type="application/json")

"""Errors as RFC 9457 problem details (``application/problem+json``): every error the API returns.

A problem has ``type`` (a URI naming the kind of problem; ``about:blank`` when the status says it all),
``title`` (the same for every problem of that type), ``status``, ``detail`` (this occurrence, in words) and
``instance`` (the path asked for); field problems add ``errors``, each with a JSON ``pointer`` into the request
body (or the ``parameter`` of the query or path) and its ``detail``.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel

from shiftpractice.core.access import Refused

logger = logging.getLogger("django.request")

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:shiftpractice:problem:"


class FieldProblem(BaseModel):
    pointer: str | None = None
    parameter: str | None = None
    detail: str


class Problem(BaseModel):
    """The body of every error response."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldProblem] | None = None


class ApiProblem(Exception):
    """Raised by endpoints to answer with a problem."""

    def __init__(
        self, status: int, detail: str, *, kind: str = "", title: str = "", errors=None, headers=None
    ):
        super().__init__(detail)
        self.status, self.detail, self.kind, self.title = status, detail, kind, title
        self.errors = errors
        self.headers = headers or {}


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    kind: str = "",
    title: str = "",
    errors: list[dict] | None = None,
    headers: dict | None = None,
) -> HttpResponse:
    body = Problem(
        type=TYPE_BASE + kind if kind else "about:blank",
        title=title or HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.path,
        errors=[FieldProblem(**e) for e in errors] if errors is not None else None,
    )
    response = HttpResponse(body.model_dump_json(exclude_none=True), status=status, content_type=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _pointer(parts) -> str:
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts) if parts else "#"


def _ninja_errors(errors: list[dict]) -> list[dict]:
    out = []
    for e in errors:
        loc = [p for p in e.get("loc", ()) if p is not None]
        msg = str(e.get("msg", "is not valid"))
        if loc and loc[0] == "body":
            # ("body", "<argument name>", field, ...): the pointer is into the JSON document sent.
            out.append({"pointer": _pointer(loc[2:]), "detail": msg})
        elif loc and loc[0] in ("query", "path", "header", "cookie"):
            out.append({"parameter": str(loc[-1]), "detail": msg})
        else:
            out.append({"pointer": _pointer(loc), "detail": msg})
    return out


def service_errors(exc: DjangoValidationError) -> list[dict]:
    """A service's ValidationError as field problems (pointers to the body's fields)."""
    if hasattr(exc, "error_dict"):
        return [
            {"pointer": "#" if field == "__all__" else _pointer([field]), "detail": message}
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [{"pointer": "#", "detail": message} for message in exc.messages]


def install(api) -> None:
    """Answer every error the API can meet with a problem."""

    @api.exception_handler(ApiProblem)
    def _problem(request, exc: ApiProblem):
        return problem_response(
            request,
            exc.status,
            exc.detail,
            kind=exc.kind,
            title=exc.title,
            errors=exc.errors,
            headers=exc.headers,
        )

    @api.exception_handler(NinjaValidationError)
    def _invalid(request, exc: NinjaValidationError):
        return problem_response(
            request,
            422,
            "The request has fields that are missing, unknown or not valid: see errors.",
            kind="validation",
            title="The request is not valid",
            errors=_ninja_errors(exc.errors),
        )

    @api.exception_handler(DjangoValidationError)
    def _refused(request, exc: DjangoValidationError):
        return problem_response(
            request,
            422,
            "; ".join(exc.messages) or "The change was refused.",
            kind="validation",
            title="The request is not valid",
            errors=service_errors(exc),
        )

    @api.exception_handler(Throttled)
    def _throttled(request, exc: Throttled):
        wait = getattr(exc, "wait", None)
        return problem_response(
            request,
            429,
            f"Too many requests with this token: try again in {int(wait or 1)} seconds.",
            kind="rate-limited",
            title="Too many requests",
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc: AuthenticationError):
        detail = str(getattr(exc, "message", "")) or ""
        if not detail or detail == "Unauthorized":
            detail = "Send a personal access token: Authorization: Bearer <token> (make one on your profile)."
        return problem_response(
            request, 401, detail, kind="unauthenticated", headers={"WWW-Authenticate": 'Bearer realm="api"'}
        )

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        return problem_response(request, exc.status_code, str(exc.message))

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return problem_response(request, 404, "Nothing here, or you may not see it.")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        detail = str(exc) if isinstance(exc, Refused) and str(exc) else "You may read this but not change it."
        return problem_response(request, 403, detail, kind="forbidden", title="Not allowed")

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request, exc):
        return problem_response(request, 413, "The request body is too large.", kind="too-large")

    @api.exception_handler(Exception)
    def _server_error(request, exc):
        from shiftpractice.core.busy import RETRY_AFTER_SECONDS, is_busy_error

        if is_busy_error(exc):  # SQLite's write lock still held after waiting: the pages' "busy, try again"
            return problem_response(
                request,
                503,
                "Many changes are being saved at once. Nothing was saved unless a response said so: "
                f"send the request again in {RETRY_AFTER_SECONDS} seconds.",
                kind="busy",
                title="Busy",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        # Reported like any page's server error (mailed to ADMINS, sent to the error tracker); no trace to the client.
        logger.error(
            "API error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
        )
        return problem_response(request, 500, "Something went wrong on our side. It has been reported.")

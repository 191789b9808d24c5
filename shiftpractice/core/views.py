"""Site-wide pages: health check and error pages in the service's own style."""

import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from .access import Refused
from .busy import busy_response, is_busy_error


@login_not_required
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def moved_under(prefix: str):
    """A view for addresses that moved: a permanent redirect to the same path under ``prefix`` (a path on this
    site), with the query string kept. It reveals nothing: the page it leads to decides who may see it."""

    @login_not_required
    def moved(request: HttpRequest, rest: str = "") -> HttpResponsePermanentRedirect:
        url = prefix + rest.lstrip("/")
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    return moved


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Only our own refusals carry a reason written for people; anything else gets the general wording.
    reason = str(exception) if isinstance(exception, Refused) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def operators_are_told() -> bool:
    """Whether a server error reaches someone: an email to ADMINS, or the error tracker (config.observability)."""
    return bool(settings.ADMINS) or bool(getattr(settings, "ERROR_TRACKER_ENABLED", False))


def server_error(request: HttpRequest) -> HttpResponse:
    # A database too busy to take a write outside the view (the session's, say): "busy, try again", not an error.
    if is_busy_error(sys.exc_info()[1]):
        return busy_response(request)
    # No request context: whatever broke may be the database the context processors need.
    context = {"operators_told": operators_are_told()}
    return HttpResponse(loader.get_template("500.html").render(context), status=500)


def form_page(
    request: HttpRequest,
    form,
    *,
    title: str,
    back_url: str = "",
    submit: str = "Save",
    intro: str = "",
    template: str = "form_page.html",
    status: int = 200,
    error_status: int | None = None,
    **extra,
) -> HttpResponse:
    """Render a one-form page in the NHS pattern (error summary, fields, submit, cancel link).

    ``error_status`` replaces ``status`` when the form has errors, for apps that answer invalid posts with 400.
    """
    context = {
        "form": form,
        "page_title": title,
        "back_url": back_url,
        "submit_label": submit,
        "intro": intro,
        **extra,
    }
    if error_status is not None and form.errors:
        status = error_status
    return render(request, template, context, status=status)

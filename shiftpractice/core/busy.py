"""The "busy, try again" page: what a person sees when the database could not take their change in time.

Nothing was saved (the transaction rolled back), so the page offers to send the same thing again: a form's fields
come back as hidden inputs under a "Try again" button, with a fresh CSRF token.
"""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import loader

from .sqlite3.base import is_lock_error

RETRY_AFTER_SECONDS = 5


def is_busy_error(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError) and is_lock_error(exc)


def busy_response(request: HttpRequest) -> HttpResponse:
    # No context processors: they would ask the busy database for the navigation.
    fields = []
    if request.method == "POST":
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
            for value in values
        ]
    context = {
        "method": request.method,
        "action": request.get_full_path(),
        "fields": fields,
        "had_files": request.method == "POST" and bool(request.FILES),
        "csrf_token": get_token(request),
        "retry_after": RETRY_AFTER_SECONDS,
    }
    response = HttpResponse(loader.get_template("core/busy.html").render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response

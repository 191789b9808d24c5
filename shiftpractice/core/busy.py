"""The "busy, try again" page: what a person sees when the database could not take their change in time.

When nothing was saved (the transaction rolled back), the page offers to send the same thing again: a form's
fields come back as hidden inputs under a "Try again" button, with a fresh CSRF token. Passwords and other secrets
never come back (the person types them again). When a transaction of the request had already committed before
the lock error, sending again could save the thing twice, so the page says it may be saved and links back instead.
"""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from .sqlite3.base import is_lock_error

RETRY_AFTER_SECONDS = 5


def is_busy_error(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError) and is_lock_error(exc)


SECRET_WORDS = ("password", "token", "secret")


def _is_secret(request: HttpRequest, name: str) -> bool:
    marked = getattr(request, "sensitive_post_parameters", None)  # set by @sensitive_post_parameters
    return marked == "__ALL__" or name in (marked or ()) or any(w in name.lower() for w in SECRET_WORDS)


def busy_response(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    # No context processors: they would ask the busy database for the navigation.
    fields, secrets = [], False
    if request.method == "POST":
        for name, values in request.POST.lists():
            if name == "csrfmiddlewaretoken":
                continue
            if _is_secret(request, name):
                secrets = True
                continue
            fields.extend((name, value) for value in values)
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = request.get_full_path()
    context = {
        "maybe_saved": bool(getattr(connection, "committed_in_request", False)),
        "back": back,
        "had_secrets": secrets,
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

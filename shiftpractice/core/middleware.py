"""The Content-Security-Policy middleware: django-csp's, with the admin's own policy."""

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from . import memo


class CSPMiddleware(BaseCSPMiddleware):
    """Pages of the admin (its URL namespace) get ``ADMIN_CONTENT_SECURITY_POLICY``; every other page the site's.

    A view's own ``@csp_*`` decorator still wins, as in django-csp.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin_request(request):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


def is_admin_request(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and "admin" in match.namespaces)


class BusyDatabaseMiddleware:
    """A write that could not get the database's lock in time (SQLite under a burst of writers: see
    ``core.sqlite3.base``) is answered with "busy, try again" (503, ``Retry-After``) rather than a server error,
    and a form's contents come back in that page, ready to be sent again. Errors raised outside the view (while
    saving the session, say) get the same page from the 500 handler (``core.views.server_error``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        from django.db import connection

        connection.committed_in_request = False  # set by core.sqlite3 when a transaction commits
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        from .busy import busy_response, is_busy_error

        if is_busy_error(exception):
            return busy_response(request)
        return None


class RequestMemoMiddleware:
    """Opens the request's memo (``core.memo``): reads about the signed-in person made once a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with memo.request_scope():
            return self.get_response(request)

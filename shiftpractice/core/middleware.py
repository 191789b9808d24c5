"""The Content-Security-Policy middleware: django-csp's, with the admin's own policy."""

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


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

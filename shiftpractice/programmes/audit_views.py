"""The audit viewer: what happened in the programmes a lead leads (site staff: everywhere), a page at a time."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shiftpractice.core import paging
from shiftpractice.core.access import deny_unless

from . import audit_log
from .audit_forms import AuditFilterForm

EVENTS_PER_PAGE = 50
NOT_ALLOWED = "Only programme leads and the site's staff can see the audit log."


@require_GET
def audit_viewer(request: HttpRequest) -> HttpResponse:
    """Every audit event the person may see, filtered by programme, person, object, action and dates: the same
    queries for 10 events or 10,000."""
    scope = audit_log.audit_scope(request.user)
    deny_unless(scope is not None, message=NOT_ALLOWED)
    form = AuditFilterForm(request.GET or None, scope=scope)
    if form.is_bound:
        form.is_valid()
    params = {name: request.GET.get(name, "") for name in form.fields if name not in form.errors}
    page = paging.paginate(
        request,
        audit_log.event_list(scope, **form.filters()),
        params=params,
        per_page=EVENTS_PER_PAGE,
        anchor="events",
    )
    page.object_list = audit_log.describe(page.object_list, scope)
    response = render(
        request,
        "programmes/audit_log.html",
        {"form": form, "page": page, "scope": scope, "page_title": "Audit log"},
    )
    response["Cache-Control"] = "private, no-store"
    return response

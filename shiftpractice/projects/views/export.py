"""The QI story as a PDF: served from storage, drawn in the background when the project has changed
(``projects.story_pdf``)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from .. import story_pdf as pdfs
from ..permissions import get_project_for_user

# How often the "Preparing your PDF" page asks again when JavaScript is on (htmx); without it, a link does.
POLL_SECONDS = 3


@login_not_required
def story_pdf(request: HttpRequest, public_id) -> HttpResponse:
    """The stored PDF of the project's current version, or a page saying it is being prepared.

    With htmx, the preparing page asks this view again every few seconds; it gets its status panel, with the
    download, once the PDF is ready. Each visitor may ask a limited number of times in a window
    (``story_pdf.allow_visitor``); past it, a page that says when to try again (429, with ``Retry-After``).
    """
    project = get_project_for_user(request.user, public_id, public_face=True)
    allowed, wait = pdfs.allow_visitor(request)
    if not allowed:
        response = render(
            request,
            "projects/pdf_rate_limited.html",
            {"project": project, "minutes": -(-wait // 60)},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    audience = pdfs.audience_for(request.user, project)
    key = pdfs.version(project, audience)
    pdf = pdfs.stored_pdf(project, audience, key)
    state = None
    if pdf is None:
        state = pdfs.request_build(project, audience, key)
        if state.status == "done":
            pdf = pdfs.stored_pdf(project, audience, key)
    if request.htmx:
        # The preparing page's poller: nothing to swap (204) until the PDF is ready or the build gave up; then
        # the status panel, and 286 tells htmx to stop asking.
        if pdf is None and state.status not in {"failed", "unavailable"}:
            return HttpResponse(status=204)
        context = {"project": project, "state": state, "ready": pdf is not None}
        return render(request, "projects/_pdf_status.html", context, status=286)
    if pdf is not None:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{slugify(project.title)[:60] or "project"}.pdf"'
        )
        return response
    if state.status == "unavailable":  # the Pango library WeasyPrint draws text with is missing
        return render(request, "projects/pdf_unavailable.html", {"project": project}, status=503)
    return render(
        request,
        "projects/pdf_preparing.html",
        {"project": project, "state": state, "ready": False, "poll": POLL_SECONDS},
        status=503 if state.status == "failed" else 202,
    )

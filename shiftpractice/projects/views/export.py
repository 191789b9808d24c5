"""The QI story as a PDF, rendered by WeasyPrint from the same templates as the page."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify

from ..permissions import get_project_for_user
from .projects import _story_context

logger = logging.getLogger(__name__)


def render_story_pdf(request: HttpRequest, project) -> bytes:
    """Render the story with SQUIRE 2.0 headings to PDF bytes (WeasyPrint is imported only when needed)."""
    from weasyprint import HTML

    html = render_to_string(
        "projects/story_pdf.html", {**_story_context(request, project), "squire": True}, request
    )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


@login_not_required
def story_pdf(request: HttpRequest, public_id) -> HttpResponse:
    project = get_project_for_user(request.user, public_id, public_face=True)
    try:
        pdf = render_story_pdf(request, project)
    except OSError:  # the Pango library WeasyPrint draws text with is missing on this machine
        logger.exception("PDF export failed")
        return render(request, "projects/pdf_unavailable.html", {"project": project}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(project.title)[:60] or "project"}.pdf"'
    return response

"""A published version's PDF: drawn once, in the background, and served from storage ever after.

A published version never changes, so its PDF is drawn once (``build``) when it is published and kept. A request
never draws one: it serves the stored file, or asks the worker for it and shows a short "preparing" page. One
build at a time per version: ``pdf_claimed_at`` is claimed by one conditional UPDATE (a lease, so a build whose
worker died is asked for again after ``LEASE``). Visitors are rate limited like the project story's PDF.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from shiftpractice.projects.story_pdf import static_files_fetcher

from .models import PublishedVersion

logger = logging.getLogger(__name__)

FOLDER = "case-study-pdfs"
LEASE = timedelta(minutes=10)


def stored(version: PublishedVersion) -> bytes | None:
    if not version.pdf_name:
        return None
    try:
        with default_storage.open(version.pdf_name, "rb") as f:
            return f.read()
    except (FileNotFoundError, OSError):
        return None


def render(version: PublishedVersion) -> bytes:
    """Raises OSError when the Pango library WeasyPrint draws text with is missing on this machine."""
    from weasyprint import HTML

    from .selectors import published_context

    html = render_to_string("stories/pdf.html", published_context(version, for_pdf=True))
    document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=static_files_fetcher())
    return document.write_pdf(pdf_tags=True)


def build(version_id: int) -> str:
    """Draw and store the version's PDF (the task worker runs this). Returns built, stored, gone or unavailable."""
    version = (
        PublishedVersion.objects.select_related("case_study", "case_study__author")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return "gone"
    try:
        if version.pdf_name and default_storage.exists(version.pdf_name):
            return "stored"
        try:
            pdf = render(version)
        except OSError:
            logger.exception("the case study PDF cannot be drawn on this machine")
            return "unavailable"
        name = default_storage.save(
            f"{FOLDER}/{version.case_study.public_id}-v{version.number}.pdf", ContentFile(pdf)
        )
        PublishedVersion.objects.filter(pk=version.pk).update(pdf_name=name)
        return "built"
    finally:
        PublishedVersion.objects.filter(pk=version_id).update(pdf_claimed_at=None)


def request_build(version: PublishedVersion) -> str:
    """Ask the worker for the PDF unless it is stored or a build holds the lease: "queued", "busy" or the
    finished task's outcome (a backend that runs tasks at once)."""
    from .tasks import build_case_study_pdf

    now = timezone.now()
    free = Q(pdf_claimed_at__isnull=True) | Q(pdf_claimed_at__lte=now - LEASE)
    if not PublishedVersion.objects.filter(free, pk=version.pk, pdf_name="").update(pdf_claimed_at=now):
        return "busy"
    result = build_case_study_pdf.enqueue(version_id=version.pk)
    if result.is_finished:
        from django_tasks import TaskResultStatus

        return str(result.return_value) if result.status == TaskResultStatus.SUCCESSFUL else "failed"
    return "queued"

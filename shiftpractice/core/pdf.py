"""PDFs drawn by WeasyPrint from our own templates, and PDFs of rows that never change, drawn once and kept.

``static_files_fetcher`` lets WeasyPrint read our static files from disk and nothing else: a PDF never calls back
into the app over HTTP, nor leaves the machine. ``FrozenPdf`` serves the PDF of an immutable row (a published
case study version, a published report version): drawn once in the background by the app's own task, stored,
and served from storage ever after; one build at a time per row, through a lease on the row's ``pdf_claimed_at``
claimed by one conditional UPDATE (so a build whose worker died is asked for again after the lease).
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


def static_file(url: str) -> str | None:
    """The file on disk behind one of our static URLs, or None (anything else, or outside the static files)."""
    prefix = settings.SITE_URL + settings.STATIC_URL
    if not url.startswith(prefix):
        return None
    name = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
    if not name or ".." in name.split("/"):
        return None
    try:
        found = finders.find(name)
        if found:
            return str(found)
        path = Path(staticfiles_storage.path(name))  # collected (hashed) files on a deployment
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return str(path) if path.is_file() else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves only this site's static files, read from disk; every other address is refused (ValueError,
        which WeasyPrint reports as a warning and draws the page without the resource)."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file(url)
            if path is None:
                raise ValueError(f"a PDF fetches only static files, not {url[:200]}")
            with open(path, "rb") as f:
                body = f.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticFilesFetcher


def static_files_fetcher():
    """A WeasyPrint URL fetcher that reads only our static files from disk (WeasyPrint imported when needed)."""
    return _fetcher_class()()


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF of our HTML. Raises OSError when the Pango library WeasyPrint draws text with is missing."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=static_files_fetcher())
    return document.write_pdf(pdf_tags=True)


class FrozenPdf:
    """The stored PDF of rows of ``model`` that never change once made (the model has ``pdf_name`` and
    ``pdf_claimed_at``). ``render(row)`` draws it; ``name(row)`` is its file name in ``folder``; the app's task
    calls ``build(pk)``."""

    LEASE = timedelta(minutes=10)

    def __init__(self, *, model, folder: str, name: Callable, render: Callable[..., bytes]):
        self.model, self.folder, self.name, self.render = model, folder, name, render

    def stored(self, row) -> bytes | None:
        if not row.pdf_name:
            return None
        try:
            with default_storage.open(row.pdf_name, "rb") as f:
                return f.read()
        except OSError:
            return None

    def build(self, pk: int) -> str:
        """Draw and store the row's PDF: "built", "stored", "gone" or "unavailable" (no Pango)."""
        row = self.model.objects.filter(pk=pk).first()
        if row is None:
            return "gone"
        try:
            if row.pdf_name and default_storage.exists(row.pdf_name):
                return "stored"
            try:
                pdf = self.render(row)
            except OSError:
                logger.exception("a PDF cannot be drawn on this machine")
                return "unavailable"
            saved = default_storage.save(f"{self.folder}/{self.name(row)}", ContentFile(pdf))
            # Kept only if nobody changed the row's content while it was drawn (a change clears the claim).
            claim = {"pdf_claimed_at": row.pdf_claimed_at} if row.pdf_claimed_at else {}
            if not self.model.objects.filter(pk=pk, pdf_name="", **claim).update(pdf_name=saved):
                default_storage.delete(saved)
                return "stale"
            return "built"
        finally:
            self.model.objects.filter(pk=pk).update(pdf_claimed_at=None)

    def request_build(self, row, task) -> str:
        """Ask the worker (``task.enqueue(pk=...)``) unless it is stored or a build holds the lease: "queued",
        "busy", or the finished task's outcome when the backend runs tasks at once."""
        from django_tasks import TaskResultStatus

        now = timezone.now()
        free = Q(pdf_claimed_at__isnull=True) | Q(pdf_claimed_at__lte=now - self.LEASE)
        if not self.model.objects.filter(free, pk=row.pk, pdf_name="").update(pdf_claimed_at=now):
            return "busy"
        result = task.enqueue(pk=row.pk)
        if result.is_finished:
            return str(result.return_value) if result.status == TaskResultStatus.SUCCESSFUL else "failed"
        return "queued"

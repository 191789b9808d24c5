"""Every upload the app accepts is bounded while the request is read, before anything is stored.

``bounded_uploads`` wraps a view that accepts files: ``LimitedUploadHandler`` goes first and stops taking a
file once it passes the view's limit (``UPLOAD_LIMITS["MAX_BYTES"]`` unless the view names its own), reading
the rest past without keeping it in memory or on disk. The view then finds the refused field in
``request.refused_uploads`` (field name -> bytes received) and says the file was too large.
What a file may contain is checked by the app that takes it (``measures.uploads`` for imports,
``cohorts.uploads`` for workshop materials)."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.views.decorators.csrf import csrf_exempt, csrf_protect


def default_max_bytes() -> int:
    return int(settings.UPLOAD_LIMITS["MAX_BYTES"])


class LimitedUploadHandler(FileUploadHandler):
    """Stops taking a file once it passes ``limit`` bytes: the rest is read past, never kept.

    The form then says the file was too large (``refused_uploads``), instead of the server storing a
    gigabyte to refuse it afterwards."""

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = default_max_bytes() if limit is None else limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            refused = getattr(self.request, "refused_uploads", {})
            refused[self.field_name] = self.received
            self.request.refused_uploads = refused
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file


def bounded_uploads(view=None, *, max_bytes: int | None = None):
    """Decorate a view that accepts files (``@bounded_uploads`` or ``@bounded_uploads(max_bytes=...)``).

    Django's way to change upload handlers for one view: CSRF checking reads the body, so the handler
    has to be in place before it, hence exempt outside and protected inside."""

    def decorate(view):
        protected = csrf_protect(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.upload_handlers.insert(0, LimitedUploadHandler(request, max_bytes))
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapped)

    return decorate(view) if view is not None else decorate


def refused_upload(request, field: str) -> int | None:
    """The bytes received of a file the handler stopped taking for this field, or None."""
    return getattr(request, "refused_uploads", {}).get(field)

"""How long finished data exports are kept (``manage.py apply_retention``, ``core.retention``).

An export that was downloaded, expired or failed goes, row and any file, once it was asked for longer ago than the
period; a prepared export nobody downloaded goes (with its file) once its link has been expired for the period.
"""

from django.db.models import Q

from shiftpractice.core.retention import Rule, register

from .choices import ExportStatus
from .models import DataExport

FINISHED = (ExportStatus.DOWNLOADED, ExportStatus.EXPIRED, ExportStatus.FAILED)

register(
    Rule(
        key="data_exports",
        model=DataExport,
        what="finished data exports",
        old=lambda cutoff: (
            Q(status__in=FINISHED, requested_at__lt=cutoff)
            | Q(status=ExportStatus.READY, expires_at__lt=cutoff)
        ),
        files=("file",),
    ),
)

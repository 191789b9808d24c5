"""How long uploaded import files and the imports that wrote nothing are kept (``manage.py apply_retention``,
``core.retention``).

- ``import_files``: the stored file of an import that is not being checked or written goes after the period (the
  file of a finished import is deleted at once; this catches those left ready, with problems, or failed). A ready
  import whose file goes is marked failed, with a notice to upload the file again, as ``prune_imports`` does.
- ``imports``: imports that ended without writing anything (problems found, failed, cancelled) go, row and file.
  Imports that wrote data stay: the measure's history names the file each change came from.
"""

from django.db.models import Q

from shiftpractice.core.retention import Rule, register

from .choices import ImportStatus
from .imports import GONE
from .models import DataImport

NOT_IN_PROGRESS = (ImportStatus.READY, ImportStatus.INVALID, ImportStatus.FAILED, ImportStatus.DONE)
WROTE_NOTHING = (ImportStatus.INVALID, ImportStatus.FAILED, ImportStatus.CANCELLED)


def _release_file(data_import: DataImport, now) -> bool:
    """Forget the import's stored file (the caller deletes it once this commits)."""
    fields = {"file": ""}
    if data_import.status == ImportStatus.READY:
        fields |= {"status": ImportStatus.FAILED, "finished_at": now, "notices": [*data_import.notices, GONE]}
    return bool(DataImport.objects.filter(pk=data_import.pk, status=data_import.status).update(**fields))


register(
    Rule(
        key="import_files",
        model=DataImport,
        what="stored files of imports",
        old=lambda cutoff: Q(status__in=NOT_IN_PROGRESS, created_at__lt=cutoff) & ~Q(file=""),
        files=("file",),
        each=_release_file,
    ),
    Rule(
        key="imports",
        model=DataImport,
        what="imports that wrote nothing",
        old=lambda cutoff: Q(status__in=WROTE_NOTHING, created_at__lt=cutoff),
        files=("file",),
    ),
)

"""Recover stalled imports and delete the stored files of finished or abandoned ones: ``manage.py prune_imports``.

First, imports whose checking or writing stopped (the worker died, so its lease ran out) are recovered as
``imports.recover`` does: a check is started again on the task worker (at most ``IMPORT_MAX_ATTEMPTS``
tries, then it fails with a message), a write is given back to the person as ready to import, with a
notice that nothing was written. Then files: an uploaded file is kept while its import is being checked,
previewed and written. Once an import is done the file is deleted at once; files of imports that were left
ready, had problems, or failed are deleted here when they are older than ``--days`` (7 by default).
Imports being checked or written are never touched. A ready import whose file is removed is marked failed,
with a notice to upload the file again. Run it every 15 minutes (cron or the scheduler); it is safe to run
again, or twice at once.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from shiftpractice.measures.choices import ImportStatus
from shiftpractice.measures.imports import GONE, recover_stale_imports
from shiftpractice.measures.models import DataImport

PRUNED = (ImportStatus.READY, ImportStatus.INVALID, ImportStatus.FAILED, ImportStatus.DONE)


class Command(BaseCommand):
    help = (
        "Recover imports whose worker stopped, and delete stored upload files of imports (ready, invalid, "
        "failed or done) older than N days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="keep files younger than this (default 7)")

    def handle(self, *args, days: int, **options):
        if days < 0:
            self.stderr.write("--days cannot be negative.")
            return
        recovered = recover_stale_imports()
        self.stdout.write(f"Recovered {recovered} stalled import{'s' if recovered != 1 else ''}.")
        cutoff = timezone.now() - timedelta(days=days)
        pruned = 0
        candidates = DataImport.objects.filter(status__in=PRUNED, created_at__lt=cutoff).exclude(file="")
        for data_import in candidates.iterator(chunk_size=500):
            name = data_import.file.name
            fields = {"file": ""}
            if data_import.status == ImportStatus.READY:
                fields |= {
                    "status": ImportStatus.FAILED,
                    "finished_at": timezone.now(),
                    "notices": [*data_import.notices, GONE],
                }
            # Only if its status is unchanged: an import claimed for writing meanwhile keeps its file.
            if DataImport.objects.filter(pk=data_import.pk, status=data_import.status).update(**fields):
                data_import.file.storage.delete(name)  # a file already missing is not an error
                pruned += 1
        self.stdout.write(f"Removed the stored files of {pruned} import{'s' if pruned != 1 else ''}.")

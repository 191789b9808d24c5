from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shiftpractice.core.backups import ARCHIVE_GLOB, VENDOR_NAMES, BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive of the database and the uploaded files (with a manifest) to BACKUP_DIR or --output. "
        "Safe to run while the site is serving. Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="The archive to write (default: a dated name in BACKUP_DIR)."
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="Afterwards, keep only the newest N dated archives in the archive's folder (0: keep all).",
        )

    def handle(self, *args, output: Path | None = None, keep: int = 0, **options):
        if keep < 0:
            raise CommandError("--keep must be 0 or more.")
        try:
            path, manifest = backup_create(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {path} ({size:,} bytes): {VENDOR_NAMES[manifest['database_vendor']]} database, "
                f"{manifest['media_files']} uploaded file(s), {len(manifest['migrations'])} migrations applied."
            )
        )
        if keep:
            for old in self._older_archives(path.parent, keep):
                old.unlink()
                self.stdout.write(f"Removed the older backup {old}")

    def _older_archives(self, folder: Path, keep: int) -> list[Path]:
        # Only the dated names this command gives; the names sort by date, so newest first by name.
        archives = sorted(folder.glob(ARCHIVE_GLOB), reverse=True)
        return archives[keep:]

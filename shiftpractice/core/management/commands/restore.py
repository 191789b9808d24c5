import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from shiftpractice.core.backups import (
    VENDOR_NAMES,
    BackupError,
    archive_manifest,
    backup_restore,
    restore_check,
)
from shiftpractice.core.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with those in a `manage.py backup` archive. Stop the web "
        "and worker processes first. Asks for confirmation unless --yes is given."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar.gz archive written by `manage.py backup`.")
        parser.add_argument(
            "--yes",
            "--no-input",
            dest="yes",
            action="store_true",
            help="Do not ask for confirmation (for scripts).",
        )

    def handle(self, *args, archive: Path, yes: bool = False, **options):
        try:
            manifest = archive_manifest(archive)
            restore_check(manifest)
        except BackupError as error:
            raise CommandError(str(error)) from error
        settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
        self.stdout.write(
            f"Archive {archive}: made {manifest['created_at']} by shiftpractice {manifest['app_version']}, "
            f"{VENDOR_NAMES[manifest['database_vendor']]} database, {manifest['media_files']} uploaded file(s)."
        )
        self.stdout.write(
            f"Restoring replaces everything in the database {settings_dict['NAME']!s} and the uploaded files "
            "of the same names."
        )
        if not yes:
            self._confirm(options.get("stdin") or sys.stdin)
        try:
            result = backup_restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The archive predates {len(result.pending_migrations)} migration(s) of this version: "
                    "run `manage.py migrate` before starting the site."
                )
            )
        else:
            AuditEvent.objects.create(
                verb="backup.restored",
                object_type="core.backup",
                object_id=archive.name[:64],
                summary=f"Restored the backup made {manifest['created_at']}"[:255],
                data={"archive": str(archive), "media_files": result.media_files},
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the database and {result.media_files} uploaded file(s) from {archive}."
            )
        )

    def _confirm(self, stdin) -> None:
        if not stdin.isatty():
            raise CommandError(
                "Refusing to restore without confirmation: run this in a terminal, or add --yes. "
                "Nothing was changed."
            )
        self.stdout.write("Type 'yes' to replace the data: ", ending="")
        self.stdout.flush()
        if stdin.readline().strip().lower() != "yes":
            raise CommandError("Restore cancelled. Nothing was changed.")

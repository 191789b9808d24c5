"""Remove records older than their retention period: ``manage.py apply_retention [--dry-run] [--rule KEY]``.

The periods are ``settings.RETENTION_DAYS`` (each overridable with ``RETENTION_DAYS_<KEY>``); the rules are declared
by each app's ``retention`` module (``core.retention``). Idempotent, and safe to run twice at the same time.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from shiftpractice.core import retention


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class Command(BaseCommand):
    help = "Remove records (and their stored files) older than the periods in RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be removed, remove nothing"
        )
        parser.add_argument(
            "--rule", action="append", dest="keys", metavar="KEY", help="apply only this rule (repeatable)"
        )

    def handle(self, *args, dry_run: bool, keys: list[str] | None, **options):
        rules = retention.rules()
        if keys:
            unknown = sorted(set(keys) - {rule.key for rule in rules})
            if unknown:
                raise CommandError(
                    f"No retention rule {', '.join(unknown)}. The rules: {', '.join(r.key for r in rules)}."
                )
            rules = [rule for rule in rules if rule.key in keys]
        failed = []
        for rule in rules:
            try:
                outcome = retention.apply(rule, dry_run=dry_run)
            except (DatabaseError, ValueError) as exc:
                failed.append(rule.key)
                self.stderr.write(f"{rule.key}: could not remove {rule.what}: {exc}")
                continue
            if outcome.days is None:
                self.stdout.write(f"{rule.key}: {rule.what} are kept (no period set).")
            elif dry_run:
                self.stdout.write(
                    f"{rule.key}: would remove {outcome.removed:,} {rule.what} "
                    f"(period: {_plural(outcome.days, 'day')})."
                )
            else:
                files = (
                    f"; {_plural(outcome.files, 'stored file')} deleted"
                    if rule.files and not rule.each
                    else ""
                )
                self.stdout.write(
                    f"{rule.key}: removed {outcome.removed:,} {rule.what} "
                    f"(period: {_plural(outcome.days, 'day')}){files}."
                )
        if failed:
            raise CommandError(
                f"Some rules could not be applied: {', '.join(failed)}. Run the command again."
            )

"""Give up on data exports whose worker died: ``manage.py give_up_stuck_exports``.

An export still being prepared half an hour after it was asked for (``services.BUILD_LEASE``) is marked failed and
its person told, so they can ask again (asking again also replaces it). Idempotent; run it every quarter hour.
"""

from django.core.management.base import BaseCommand

from shiftpractice.privacy.services import fail_stale_exports


class Command(BaseCommand):
    help = "Mark data exports stuck in preparation as failed and tell their people."

    def handle(self, *args, **options):
        count = fail_stale_exports()
        self.stdout.write(f"Gave up on {count} stuck export{'s' if count != 1 else ''}.")

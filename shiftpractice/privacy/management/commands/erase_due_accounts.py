"""Erase the accounts whose erasure was confirmed and whose grace period is over: ``manage.py erase_due_accounts``.

Run it daily (cron or the scheduler). It is idempotent and safe to run twice at once: each due request is taken
under a row lock, and an erased, refused or cancelled request is never due again. The only lead of a programme
is not erased: the request is marked refused and the person emailed the reason.
"""

from django.core.management.base import BaseCommand

from shiftpractice.privacy.erasure import erase_due


class Command(BaseCommand):
    help = "Erase the accounts whose confirmed erasure's grace period is over."

    def handle(self, *args, **options):
        counts = erase_due()
        erased, refused = counts["erased"], counts["refused"]
        self.stdout.write(
            f"Erased {erased} account{'s' if erased != 1 else ''}; refused {refused} "
            f"(the only lead of a programme)."
        )

from django.core.management.base import BaseCommand

from shiftpractice.core import emails


class Command(BaseCommand):
    help = (
        "Send outbox emails that are due: first tries the worker missed, retries after back-off, and sends "
        "whose worker died before handing them to the mail server (run every few minutes from cron)."
    )

    def handle(self, *args, **options):
        outcome = emails.emails_process_due()
        self.stdout.write(f"outbox: {outcome or 'nothing due'}")

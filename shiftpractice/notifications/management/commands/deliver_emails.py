from django.core.management.base import BaseCommand

from shiftpractice.notifications import services


class Command(BaseCommand):
    help = "Send outbox emails that are due: first tries the worker missed and retries after back-off."

    def handle(self, *args, **options):
        outcome = services.emails_process_due()
        self.stdout.write(f"outbox: {outcome or 'nothing due'}")

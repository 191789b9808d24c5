from django.core.management.base import BaseCommand

from shiftpractice.core import emails
from shiftpractice.notifications import services


class Command(BaseCommand):
    help = "Email each person one digest of their unread notifications (run once a day from cron; safe to repeat)."

    def handle(self, *args, **options):
        count = services.digests_send()
        outcome = emails.emails_process_due()
        self.stdout.write(f"{count} digest(s) queued; outbox: {outcome or 'nothing due'}")

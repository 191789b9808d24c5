from django.core.management.base import BaseCommand

from shiftpractice.coaching.services.reminders import reminders_send
from shiftpractice.core import emails


class Command(BaseCommand):
    help = (
        "Send due reminders (workshops in 2 days, actions due or overdue, coaching nudges) once each, then send "
        "any outbox email that is due. Safe to run twice, or at the same time: run it from cron every 15 minutes."
    )

    def handle(self, *args, **options):
        counts = reminders_send()
        outcome = emails.emails_process_due()
        summary = ", ".join(f"{k}: {v}" for k, v in counts.items())
        self.stdout.write(f"reminders sent ({summary}); outbox: {outcome or 'nothing due'}")

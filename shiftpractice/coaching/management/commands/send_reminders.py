from django.core.management import call_command
from django.core.management.base import BaseCommand

from shiftpractice.coaching.services.reminders import reminders_send
from shiftpractice.core import emails


class Command(BaseCommand):
    help = (
        "Send due reminders (workshops in 2 days, actions due or overdue, coaching nudges, survey windows) once "
        "each, then send "
        "any outbox email that is due. Safe to run twice, or at the same time: run it from cron every 15 minutes."
    )

    def handle(self, *args, **options):
        counts = reminders_send()
        # Survey windows: the evaluation app's own command (coaching may not import evaluation).
        call_command("send_survey_reminders", stdout=self.stdout)
        outcome = emails.emails_process_due()
        summary = ", ".join(f"{k}: {v}" for k, v in counts.items())
        self.stdout.write(f"reminders sent ({summary}); outbox: {outcome or 'nothing due'}")

from django.core.management.base import BaseCommand

from shiftpractice.evaluation.services import window_reminders_send


class Command(BaseCommand):
    help = (
        "Tell participants who have not submitted that a survey window is open, and again when it closes within "
        "3 days; each reminder once. `send_reminders` runs this too."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"survey reminders sent: {window_reminders_send()}")

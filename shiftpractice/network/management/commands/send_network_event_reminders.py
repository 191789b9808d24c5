from django.core.management.base import BaseCommand

from shiftpractice.network.events import send_reminders


class Command(BaseCommand):
    help = "Remind everyone booked on a network event that starts in the next day (once per event)."

    def handle(self, *args, **options):
        told = send_reminders()
        self.stdout.write(f"Reminded {told} {'person' if told == 1 else 'people'}.")

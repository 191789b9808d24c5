from django.core.management.base import BaseCommand

from shiftpractice.network.digest import send_digests


class Command(BaseCommand):
    help = "Email this month's network digest to every member who asked for it (safe to run again)."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"Sent {sent} network digest{'s' if sent != 1 else ''}.")

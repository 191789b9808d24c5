from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shiftpractice.home.demo import DEMO_PASSWORD, demo_logins, load_demo


class Command(BaseCommand):
    help = (
        "Load the pilot programme as demo data (idempotent). With DEBUG off it refuses unless --demo says this "
        "database is a throw-away demo site (`make run` says so)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            "--force",
            dest="demo",
            action="store_true",
            help="This database is a throw-away demo site: load even with DEBUG off (never on real data).",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, demo: bool = False, quiet_logins: bool = False, **options):
        if not settings.DEBUG and not demo:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: it creates accounts with a published password. "
                "Pass --demo only when this database is a throw-away demo site."
            )
        result = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo programme loaded ({result['people_created']} new people, "
                f"{result['projects_created']} new change projects)."
            )
        )
        if not quiet_logins:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for role, email in demo_logins():
                self.stdout.write(f"  {role:<32} {email}")

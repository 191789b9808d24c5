"""Store every measure's chart summary again: ``manage.py refresh_chart_summaries [--stale] [--programme SLUG]``.

Summaries are written when a measure's data change (``measures.summaries``); this is for data written around
the services (a bulk load, a restore) and after a change to how charts are read that no write announced.
"""

from django.core.management.base import BaseCommand

from shiftpractice.measures.models import Measure
from shiftpractice.measures.summaries import refresh_all


class Command(BaseCommand):
    help = "Compute and store the chart summary of every measure (or only those out of date)."

    def add_arguments(self, parser):
        parser.add_argument("--stale", action="store_true", help="Only summaries missing or out of date.")
        parser.add_argument("--programme", help="Only the measures of this programme (its slug).")

    def handle(self, *args, stale: bool = False, programme: str | None = None, **options):
        measures = Measure.objects.all()
        if programme:
            measures = measures.filter(project__cohort__programme__slug=programme)
        written = refresh_all(measures, only_stale=stale)
        self.stdout.write(f"{written} chart summar{'y' if written == 1 else 'ies'} stored.")

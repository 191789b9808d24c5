"""Delete stored story PDFs nobody needs: ``manage.py prune_story_pdfs [--days N]``.

A story PDF is stored per version of its project (``projects.story_pdf``) and the older versions of the same
audience go when a new one is built; this removes what is left behind: PDFs older than ``--days`` (30 by
default; the next request draws a fresh one) and every PDF of a project that was deleted, since a PDF names
people. Safe to run at any time, or twice at once. Run it daily (cron)."""

from django.core.management.base import BaseCommand

from shiftpractice.projects.story_pdf import prune_stored


class Command(BaseCommand):
    help = "Delete stored story PDFs older than N days (30) and those of deleted projects."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="keep PDFs younger than this (default 30)")

    def handle(self, *args, days: int, **options):
        if days < 0:
            self.stderr.write("--days cannot be negative.")
            return
        removed = prune_stored(days=days)
        self.stdout.write(f"Removed {removed} stored story PDF{'s' if removed != 1 else ''}.")

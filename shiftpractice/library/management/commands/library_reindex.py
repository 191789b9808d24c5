"""Rebuild the library's full-text index from its rows (after a bulk load or a restore)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from shiftpractice.library import search


class Command(BaseCommand):
    help = "Rebuild the library's search index (FTS5 on SQLite, the tsvector column on PostgreSQL)."

    def handle(self, *args, **options):
        with transaction.atomic():
            search.reindex_all()
        self.stdout.write("The library's search index is rebuilt.")

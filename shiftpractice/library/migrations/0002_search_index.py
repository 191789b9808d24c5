"""The full-text index, each database its own: an FTS5 table on SQLite, a GIN index on the tsvector column on
PostgreSQL (shiftpractice/library/search.py). The other database gets nothing."""

from django.db import migrations

SQLITE_UP = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_search USING fts5("
    "title, summary, body, tokenize = 'porter unicode61')"
)
SQLITE_DOWN = "DROP TABLE IF EXISTS library_search"
POSTGRES_UP = (
    "CREATE INDEX IF NOT EXISTS library_item_search ON library_libraryitem USING gin (search_vector)"
)
POSTGRES_DOWN = "DROP INDEX IF EXISTS library_item_search"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_items_and_tags")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

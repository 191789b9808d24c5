"""Full-text search of the library, in the database whichever it is.

PostgreSQL: ``LibraryItem.search_vector``, a tsvector weighted title (A), summary (B), text and tags (C) with the
``english`` configuration (so "charts" finds "chart"), GIN indexed (migration 0002); a search is a
``websearch_to_tsquery`` (words are ANDed, "quoted phrases" and -minus work) ranked with ``ts_rank``.

SQLite: the FTS5 table ``library_search(title, summary, body)`` (rowid = the item's id, ``porter unicode61``
tokenizer, so "charts" finds "chart" here too), made by migration 0002 only on SQLite; a search is every word the
person typed, each quoted (so nothing they type is FTS5 syntax), ranked with ``bm25`` weighting the columns as
PostgreSQL does.

Both indexes are kept in step by the services (``index_item``, inside their transaction); ``reindex_all`` (the
``library_reindex`` command) rebuilds either from the rows. The text indexed holds the tags' labels (lenses,
stages, topics, setting, region), so a search for "ecology" finds what is tagged with that lens.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField
from django.db.models.expressions import RawSQL

from .models import LibraryItem

CONFIG = "english"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _vector():
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("search_text", weight="C", config=CONFIG)
    )


# The SQLite statements, written out (the table names are ours, every value a bound parameter).
_FTS_DELETE = "DELETE FROM library_search WHERE rowid = %s"
_FTS_INSERT = "INSERT INTO library_search (rowid, title, summary, body) VALUES (%s, %s, %s, %s)"
_FTS_CLEAR = "DELETE FROM library_search"
_FTS_FILL = (
    "INSERT INTO library_search (rowid, title, summary, body) "
    "SELECT id, title, summary, search_text FROM library_libraryitem"
)
_FTS_MATCHES = "SELECT rowid FROM library_search WHERE library_search MATCH %s"
# bm25 weights the columns as PostgreSQL's A, B and C weights do; lower is better.
_FTS_RANK = (
    "SELECT bm25(library_search, 10.0, 4.0, 1.0) FROM library_search "
    "WHERE library_search MATCH %s AND library_search.rowid = library_libraryitem.id"
)


def index_item(item: LibraryItem) -> None:
    """Bring the search index up to date with ``item`` as saved (call inside the writing transaction)."""
    if is_postgres():
        LibraryItem.objects.filter(pk=item.pk).update(search_vector=_vector())
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(_FTS_DELETE, [item.pk])
            cursor.execute(_FTS_INSERT, [item.pk, item.title, item.summary, item.search_text])


def reindex_all() -> None:
    """Rebuild the whole index from the rows (after a bulk load, or a restore)."""
    if is_postgres():
        LibraryItem.objects.update(search_vector=_vector())
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(_FTS_CLEAR)
            cursor.execute(_FTS_FILL)


def words_of(q: str) -> list[str]:
    return _WORD.findall(q or "")[:MAX_WORDS]


def fts5_query(q: str) -> str:
    """Every word as a quoted FTS5 string, all required: nothing typed is read as FTS5 syntax."""
    return " ".join(f'"{w}"' for w in words_of(q))


def search(queryset, q: str):
    """``queryset`` narrowed to the items matching ``q``, best first; unchanged for a search with no words."""
    if not words_of(q):
        return queryset
    if is_postgres():
        query = SearchQuery(q, search_type="websearch", config=CONFIG)
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-id")
        )
    match = fts5_query(q)
    rank = RawSQL(_FTS_RANK, [match], output_field=FloatField())  # noqa: S611 - the words are a bound parameter
    matches = RawSQL(_FTS_MATCHES, [match])  # noqa: S611 - the words are a bound parameter
    return queryset.filter(pk__in=matches).annotate(rank=rank).order_by("rank", "-published_at", "-id")

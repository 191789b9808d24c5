"""What every "this list is bounded" test checks: a page of 50 rows and a page of 500 cost the same.

``assert_bounded`` measures a page, grows its list tenfold (in bulk) and measures it again: the same number of
queries, and HTML within 10% of the size. Used by each app's list tests.
"""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

SMALL, LARGE = 50, 500


User = get_user_model()


def measure(client, url: str) -> tuple[int, int]:
    """The number of queries and the bytes of HTML of one request (after one to warm per-process caches)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.content)


def assert_bounded(client, url: str, grow, *, small: int = SMALL, large: int = LARGE) -> tuple[int, int]:
    """``grow(n)`` adds n rows to the list. Returns the two HTML sizes."""
    grow(small)
    queries, size = measure(client, url)
    grow(large - small)
    queries_large, size_large = measure(client, url)
    assert queries_large == queries, f"{queries} queries with {small} rows, {queries_large} with {large}"
    assert abs(size_large - size) <= 0.1 * size, f"{size} bytes with {small} rows, {size_large} with {large}"
    return size, size_large


def bulk_people(n: int, prefix: str) -> list:
    """``n`` accounts with names of one length (so pages of them are the same size), in one insert."""
    start = User.objects.filter(email__startswith=f"{prefix}-").count()
    User.objects.bulk_create(
        User(email=f"{prefix}-{i:05d}@bulk.example", full_name=f"{prefix.title()} {i:05d}", password="!")
        for i in range(start, start + n)
    )
    return list(User.objects.filter(email__startswith=f"{prefix}-").order_by("email")[start:])

"""Writes on SQLite never fail under concurrency: 200 writers at once get slower answers, never a server error,
and a write that cannot get the lock in time gets "busy, try again" with what was typed kept (docs/operations.md).

These tests need a SQLite database in a file (the test database is in memory, where SQLite locks differently):
each copies the migrated test database into a file and points every new connection at it. Skipped on PostgreSQL.
"""

import re
import sqlite3
import threading
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from shiftpractice.core.sqlite3 import base as sqlite_backend
from shiftpractice.measures import services as measure_services
from shiftpractice.measures.models import DataPoint
from shiftpractice.projects import services as project_services
from tests.file_database import shared_database

WRITERS = 200


@pytest.fixture
def measure(world):
    participant = world.people["participant"]
    project = project_services.project_create(
        owner=participant, cohort=world.cohort, title="Writes at once", actor=participant
    )
    return measure_services.measure_create(
        project=project, name="Referrals", measure_type="outcome", data_kind="count", actor=participant
    )


@pytest.fixture
def signed_in(world, measure):
    client = Client()
    client.force_login(world.people["participant"])
    return client


@pytest.fixture
def file_database(tmp_path, signed_in):
    """The test database copied into a file that every new connection uses (tests/file_database.py)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock: PostgreSQL locks rows, not the database")
    with shared_database(tmp_path) as url:
        yield Path(url.removeprefix("sqlite:///"))


def month(i: int) -> date:
    return date(2000 + i // 12, i % 12 + 1, 1)


@pytest.mark.django_db(transaction=True)
def test_200_writers_at_once_get_no_server_error_and_lose_nothing(signed_in, measure, file_database):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    connection.close()
    url = reverse("measures:data", args=[measure.public_id])
    cookies = signed_in.cookies
    start = threading.Barrier(WRITERS)
    answers: dict[int, list[int]] = {}

    def writer(i: int) -> None:
        client = Client()
        client.cookies = cookies
        statuses = answers.setdefault(i, [])
        start.wait()
        try:
            # As a person would: "busy, try again" is sent again (a few times at most).
            for _ in range(5):
                response = client.post(url, {"add-period": month(i).isoformat(), "add-value": str(i)})
                statuses.append(response.status_code)
                if response.status_code != 503:
                    break
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    every = [status for statuses in answers.values() for status in statuses]
    assert len(answers) == WRITERS
    assert 500 not in every, f"server errors: {every.count(500)}"
    assert all(statuses[-1] == 302 for statuses in answers.values()), sorted(set(every))
    saved = dict(DataPoint.objects.filter(measure=measure).values_list("period", "value"))
    assert saved == {month(i): float(i) for i in range(WRITERS)}


@pytest.mark.django_db(transaction=True)
def test_a_write_that_cannot_get_the_lock_is_told_busy_and_keeps_what_was_typed(
    signed_in, measure, file_database, monkeypatch
):
    connection.settings_dict["OPTIONS"]["timeout"] = connections.settings["default"]["OPTIONS"]["timeout"] = (
        0.2
    )
    monkeypatch.setattr(sqlite_backend, "RETRY_PAUSES", (0.01, 0.02))
    url = reverse("measures:data", args=[measure.public_id])
    note = 'Ward 7 "closed"\nfor cleaning & <checks>'
    with connection.cursor() as cursor:  # the site's first connection puts the file in WAL mode
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    connection.close()
    holder = sqlite3.connect(file_database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # someone else holds the write lock for longer than anyone waits
    try:
        response = signed_in.post(url, {"add-period": "2024-03-01", "add-value": "17", "add-note": note})
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "The service is busy" in page and "Try again" in page
    kept = {
        unescape(n): unescape(v) for n, v in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }
    assert kept["add-period"] == "2024-03-01" and kept["add-value"] == "17" and kept["add-note"] == note
    assert re.search(rf'<form method="post" action="{re.escape(url)}"', page)
    assert not DataPoint.objects.filter(measure=measure).exists()

    # "Try again" sends the same fields (with the page's fresh CSRF token), and now it is saved.
    response = signed_in.post(url, kept)
    assert response.status_code == 302
    point = DataPoint.objects.get(measure=measure)
    assert (point.period, point.value, point.note) == (date(2024, 3, 1), 17.0, note)

"""The test database where other threads and processes can reach it (tests/test_sqlite_writes.py and
tests/test_two_workers.py): on SQLite, a copy in a file that every connection opened from then on uses (WAL,
immediate transactions and the busy timeout, as the site's); on PostgreSQL, the test database itself."""

import sqlite3
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, connections


@contextmanager
def shared_database(folder: Path):
    """Yields a ``DATABASE_URL`` for the test database that other processes can open too. Use it in a test with
    real transactions (``django_db(transaction=True)``)."""
    if connection.vendor != "sqlite":
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        yield f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        return
    path = folder / "site.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    # This thread's settings and the ones other threads' connections are made from (one dict or two).
    dicts = list({id(d): d for d in (connection.settings_dict, connections.settings["default"])}.values())
    name, options = dicts[0]["NAME"], dict(dicts[0]["OPTIONS"])
    # The in-memory database lives while a connection to it is open: keep this one aside, unclosed.
    in_memory, connection.connection = connection.connection, None
    for settings_dict in dicts:
        settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        for settings_dict in dicts:
            settings_dict["NAME"], settings_dict["OPTIONS"] = name, dict(options)
        connection.connection = in_memory

"""Django's SQLite backend, with a write transaction that waits its turn.

The settings open every transaction with ``BEGIN IMMEDIATE`` (the write lock taken up front, so two writers
queue rather than one failing half-way) and give SQLite a busy timeout, during which it retries by itself. When
the lock is still held after that (hundreds of writers at once), or SQLite answers "busy" without waiting (a WAL
checkpoint or recovery), starting the transaction is tried again a few times after a short, jittered pause.
Nothing has been read or written in the transaction yet, so trying again is always safe. Whatever still fails
reaches ``core.middleware.BusyDatabaseMiddleware``, which answers "busy, try again" and keeps what was typed.
"""

import random
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# Pauses before each new attempt to begin (seconds, each with up to half again of jitter), on top of the busy
# timeout SQLite waits within each attempt.
RETRY_PAUSES = (0.05, 0.2, 0.5)


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


class DatabaseWrapper(base.DatabaseWrapper):
    # Set when a transaction commits; ``BusyDatabaseMiddleware`` clears it as a request starts, so the busy page
    # knows whether part of what was sent may already be saved (and must not simply be sent again).
    committed_in_request = False

    def _commit(self):
        result = super()._commit()
        self.committed_in_request = True
        return result

    def _start_transaction_under_autocommit(self):
        for pause in (*RETRY_PAUSES, None):
            try:
                return super()._start_transaction_under_autocommit()
            except OperationalError as exc:
                if pause is None or not is_lock_error(exc):
                    raise
                time.sleep(pause * (1 + random.random() / 2))

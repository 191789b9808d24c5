"""A task for tests/test_two_workers.py: it appends its number to a file, so running it twice shows."""

import time

from django_tasks import task


@task()
def record_run(*, path: str, n: int) -> int:
    time.sleep(0.2)  # long enough for two workers to be at the queue together
    with open(path, "a") as ledger:
        ledger.write(f"{n}\n")
    return n

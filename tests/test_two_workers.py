"""A task is done once however many workers run: two `manage.py db_worker` processes share one queue
(docs/operations.md, "Scale-out"). On SQLite and on PostgreSQL (where claims skip rows another worker holds)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from tests.file_database import shared_database
from tests.once_tasks import record_run

ROOT = Path(__file__).resolve().parents[1]
TASKS = 30


@pytest.mark.django_db(transaction=True)
def test_two_workers_do_each_task_once(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ledger = tmp_path / "runs.txt"
    with shared_database(tmp_path) as url:
        for n in range(TASKS):
            record_run.enqueue(path=str(ledger), n=n)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "CACHE_BACKEND": "locmem",
        }
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--batch",
                    "--no-startup-delay",
                    "--interval",
                    "0.1",
                    "--worker-id",
                    f"worker-{i}",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in (1, 2)
        ]
        for worker in workers:
            _, errors = worker.communicate(timeout=300)
            assert worker.returncode == 0, errors
        results = list(DBTaskResult.objects.values_list("status", "worker_ids"))

    assert sorted(int(line) for line in ledger.read_text().split()) == list(range(TASKS))
    assert len(results) == TASKS and {status for status, _ in results} == {"SUCCESSFUL"}
    assert all(len(ids) == 1 for _, ids in results)

"""Background work survives a dead worker: claims have leases, a stale claim is picked up again or given back,
nothing is ever written twice, and the cancel message says what is true."""

import io
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.measures import imports, tasks
from shiftpractice.measures.models import DataImport, DataPoint, DataPointChange

from .conftest import make_measure

ROWS = 12


class WorkerKilled(BaseException):
    """What a killed process looks like from inside: not an Exception, so no handler records anything."""


def _ready_import(project, measure):
    content = "period,value\n" + "".join(f"2022-{m:02d}-01,{m}\n" for m in range(1, ROWS + 1))
    imp = imports.import_upload(
        measure=measure, uploaded=SimpleUploadedFile("d.csv", content.encode()), actor=project.owner
    )
    imports.import_check(imp)
    assert imp.status == "ready", imp.errors
    return imp


def _kill_mid_write(monkeypatch, after_batches: int = 1):
    """The worker dies after writing ``after_batches`` batches, inside the transaction."""
    monkeypatch.setattr(imports, "BATCH", 3)
    real = imports._executemany
    calls = {"n": 0}

    def dying(cursor, sql, rows):
        calls["n"] += 1
        if calls["n"] > after_batches:
            raise WorkerKilled
        return real(cursor, sql, rows)

    monkeypatch.setattr(imports, "_executemany", dying)
    return calls


def _after_the_lease(settings):
    return time_machine.travel(
        timezone.now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS + 1), tick=False
    )


def test_a_worker_killed_mid_import_is_recovered_and_nothing_is_written_twice(
    client, project, settings, monkeypatch, django_capture_on_commit_callbacks
):
    measure = make_measure(project, values=[1], frequency="month")
    imp = _ready_import(project, measure)
    client_for(client, project.owner)
    monkeypatch.setattr(imports, "INLINE_BYTES", 10)  # the write goes to the task worker
    queued, worker = [], tasks.commit_import
    monkeypatch.setattr(tasks, "commit_import", SimpleNamespace(enqueue=lambda **kw: queued.append(kw)))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("measures:import_commit", args=[imp.public_id]))
    imp.refresh_from_db()
    assert imp.status == "importing" and imp.lease_expires > timezone.now()
    assert queued == [{"import_id": imp.pk, "actor_id": project.owner.pk, "token": str(imp.lease_token)}]
    # The worker picks the task up, writes a batch, and is killed.
    with monkeypatch.context() as m:
        _kill_mid_write(m)
        with pytest.raises(WorkerKilled):
            worker.call(**queued[0])
    imp.refresh_from_db()
    assert imp.status == "importing"  # what a dead worker leaves behind
    assert DataPoint.objects.filter(measure=measure).count() == 1  # its transaction went with it
    # While the lease runs, the page says it is importing, and cancelling says (truly) why it cannot.
    page = client.get(imp.get_absolute_url()).content.decode()
    assert "Importing 12 rows" in page and "cannot be stopped part way" in page
    response = client.post(reverse("measures:import_cancel", args=[imp.public_id]), follow=True)
    assert "being imported now and cannot be stopped part way" in response.content.decode()
    assert "already been written" not in response.content.decode()
    # Once the lease has run out, the person gets the import back, ready to import, told nothing was written.
    with _after_the_lease(settings):
        page = client.get(imp.get_absolute_url()).content.decode()
        imp.refresh_from_db()
        assert imp.status == "ready" and imp.lease_token is None
        assert "Importing stopped before it finished" in page and "nothing was written" in page
        assert "Import 12 rows" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("measures:import_commit", args=[imp.public_id]))
        worker.call(**queued[1])  # the next worker
    imp.refresh_from_db()
    assert imp.status == "done"
    assert DataPoint.objects.filter(measure=measure).count() == 1 + ROWS  # the point there before, and 12
    assert DataPointChange.objects.filter(source=imp).count() == ROWS
    # The first task, delivered again late (a queue that retries), writes nothing: its claim is gone.
    assert worker.call(**queued[0]) == "done"
    assert DataPoint.objects.filter(measure=measure).count() == 1 + ROWS
    assert DataPointChange.objects.filter(source=imp).count() == ROWS


def test_an_attempt_whose_claim_was_given_back_rolls_back_whatever_it_wrote(project, settings):
    """The fence: rows and DONE are one transaction, recorded only while the attempt's token is current."""
    measure = make_measure(project, values=[], frequency="month")
    imp = _ready_import(project, measure)
    assert imports.claim(imp)
    old_token = imp.lease_token
    with _after_the_lease(settings):
        assert imports.recover(DataImport.objects.get(pk=imp.pk))
        again = DataImport.objects.get(pk=imp.pk)
        assert imports.claim(again) and again.lease_token != old_token
        with pytest.raises(imports._ClaimLost):
            imports._write_all(imp, project.owner, old_token)  # the slow first worker, finishing late
        assert not DataPoint.objects.filter(measure=measure).exists()
        imports.import_commit(data_import=again, actor=project.owner, claimed=True)
    assert DataPoint.objects.filter(measure=measure).count() == ROWS
    assert DataPointChange.objects.filter(source=imp).count() == ROWS


def test_a_check_whose_worker_died_is_picked_up_again_by_the_next_worker(
    project, settings, monkeypatch, django_capture_on_commit_callbacks
):
    measure = make_measure(project, values=[], frequency="month")
    content = "period,value\n" + "".join(f"2022-{m:02d}-01,{m}\n" for m in range(1, ROWS + 1))
    imp = imports.import_upload(
        measure=measure, uploaded=SimpleUploadedFile("d.csv", content.encode()), actor=project.owner
    )
    token = imports.claim_check(imp)  # claimed by a worker that then dies without a word
    assert imp.status == "checking" and imp.attempts == 1
    queued, worker = [], tasks.check_import
    monkeypatch.setattr(tasks, "check_import", SimpleNamespace(enqueue=lambda **kw: queued.append(kw)))
    assert imports.recover_stale_imports() == 0  # the lease is still running
    with _after_the_lease(settings), django_capture_on_commit_callbacks(execute=True):
        call_command("prune_imports", stdout=io.StringIO())
    imp.refresh_from_db()
    assert imp.status == "checking" and imp.attempts == 2 and imp.lease_token != token
    assert queued == [{"import_id": imp.pk, "token": str(imp.lease_token)}]
    # The dead worker's check, if it ever finished, would record nothing; the next worker's does.
    imports.import_check(DataImport.objects.get(pk=imp.pk), token=token)
    assert DataImport.objects.get(pk=imp.pk).status == "checking"
    assert worker.call(**queued[0]) == "ready"
    imp.refresh_from_db()
    assert (imp.rows_new, imp.lease_token) == (ROWS, None)


def test_a_check_that_keeps_dying_is_given_back_failed_with_a_message(
    client, project, settings, monkeypatch, django_capture_on_commit_callbacks
):
    measure = make_measure(project, values=[], frequency="month")
    imp = imports.import_upload(
        measure=measure,
        uploaded=SimpleUploadedFile("d.csv", b"period,value\n2022-01-01,1\n"),
        actor=project.owner,
    )
    monkeypatch.setattr(
        tasks, "check_import", SimpleNamespace(enqueue=lambda **kw: None)
    )  # every worker dies
    client_for(client, project.owner)
    now = timezone.now()
    for attempt in range(1, settings.IMPORT_MAX_ATTEMPTS + 1):
        now += timedelta(seconds=settings.IMPORT_LEASE_SECONDS + 1)
        with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
            client.get(reverse("measures:import_status", args=[imp.public_id]))
        imp.refresh_from_db()
        if attempt < settings.IMPORT_MAX_ATTEMPTS:
            assert imp.status == "checking" and imp.attempts == attempt + 1
    assert imp.status == "failed"
    page = client.get(imp.get_absolute_url()).content.decode()
    assert "Checking the file stopped before it finished, 3 times" in page


def test_a_live_check_is_not_taken_over_while_it_renews_its_lease(project, settings, monkeypatch):
    """The heartbeat: a long check renews its lease every PROGRESS_EVERY rows, so it is never recovered."""
    measure = make_measure(project, values=[], frequency="day")
    content = "period,value\n" + "".join(f"2022-01-{d:02d},{d}\n" for d in range(1, 29))
    imp = imports.import_upload(
        measure=measure, uploaded=SimpleUploadedFile("d.csv", content.encode()), actor=project.owner
    )
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 5)
    start = timezone.now()
    seen = []
    real_parse = imports._parse_number

    def slow(v):  # each row takes a sixth of the lease: the lease is renewed every five rows
        traveller.shift(timedelta(seconds=settings.IMPORT_LEASE_SECONDS / 6))
        row = DataImport.objects.get(pk=imp.pk)
        seen.append(imports.recover(row))
        return real_parse(v)

    monkeypatch.setattr(imports, "_parse_number", slow)
    with time_machine.travel(start, tick=False) as traveller:
        imports.import_check(imp)
    assert imp.status == "ready" and imp.rows_new == 28
    assert seen and not any(seen)


def test_cancelling_says_what_is_true(client, project, settings):
    measure = make_measure(project, values=[], frequency="month")
    client_for(client, project.owner)
    done = _ready_import(project, measure)
    imports.import_commit(data_import=done, actor=project.owner)
    response = client.post(reverse("measures:import_cancel", args=[done.public_id]), follow=True)
    assert "already been written, so it cannot be cancelled" in response.content.decode()
    # A stale write (the worker died) can be cancelled, and then nothing is written.
    stale = _ready_import(project, make_measure(project, name="Second", values=[]))
    assert imports.claim(stale)
    with _after_the_lease(settings):
        response = client.post(reverse("measures:import_cancel", args=[stale.public_id]), follow=True)
    assert "Import cancelled: nothing was imported." in response.content.decode()
    stale.refresh_from_db()
    assert stale.status == "cancelled" and not stale.file
    with pytest.raises(ValidationError, match="not waiting to be written"):
        imports.import_commit(data_import=stale, actor=project.owner, claimed=True)
    assert not DataPoint.objects.filter(measure__name="Second").exists()
    response = client.post(reverse("measures:import_cancel", args=[stale.public_id]), follow=True)
    assert "already cancelled" in response.content.decode()


def test_imports_left_in_progress_before_leases_existed_are_recovered(project):
    measure = make_measure(project, values=[], frequency="month")
    imp = _ready_import(project, measure)
    DataImport.objects.filter(pk=imp.pk).update(status="importing", lease_token=None, lease_expires=None)
    call_command("prune_imports", stdout=io.StringIO())
    imp.refresh_from_db()
    assert imp.status == "ready" and imports.WRITE_INTERRUPTED in imp.notices


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a writer in another thread needs PostgreSQL's row locks"
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_write_still_going_when_its_lease_runs_out_is_left_alone(project, settings, monkeypatch):
    """A slow worker holds the measure's lock while it writes: recovery sees it and does not take over."""
    measure = make_measure(project, values=[], frequency="month")
    imp = _ready_import(project, measure)
    assert imports.claim(imp)
    writing, release = threading.Event(), threading.Event()
    monkeypatch.setattr(imports, "BATCH", 3)
    real = imports._executemany

    def paused(cursor, sql, rows):
        if not writing.is_set():
            writing.set()
            release.wait(30)
        return real(cursor, sql, rows)

    monkeypatch.setattr(imports, "_executemany", paused)
    outcome = {}

    def worker():
        try:
            done = imports.import_commit(
                data_import=DataImport.objects.get(pk=imp.pk), actor=None, claimed=True
            )
            outcome["status"] = done.status
        except Exception as exc:  # reported by the assertion below
            outcome["status"] = repr(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert writing.wait(30)
        with _after_the_lease(settings):
            assert not imports.recover(DataImport.objects.get(pk=imp.pk))
            assert imports.recover_stale_imports() == 0
            assert DataImport.objects.get(pk=imp.pk).status == "importing"
    finally:
        release.set()
        thread.join(60)
    assert outcome == {"status": "done"}
    assert DataPoint.objects.filter(measure=measure).count() == ROWS
    assert DataPointChange.objects.filter(source=imp).count() == ROWS

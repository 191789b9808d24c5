"""Retention (``manage.py apply_retention``): each rule removes only what is older than its period (a row just inside
it stays), stored files go with their rows, a second run removes nothing, and two runs at once on PostgreSQL
remove each row once between them, without errors (and on SQLite, through its one write lock)."""

import io
import re
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shiftpractice.cohorts.models import Invitation
from shiftpractice.core import retention
from shiftpractice.core.models import AuditEvent, EmailDelivery
from shiftpractice.measures import services as measure_services
from shiftpractice.measures.imports import GONE
from shiftpractice.measures.models import DataImport
from shiftpractice.notifications.models import Notification
from shiftpractice.privacy.models import DataExport
from shiftpractice.projects import services as project_services
from tests.factories import UserFactory
from tests.file_database import shared_database

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAYS = django_settings.RETENTION_DAYS
# The failed import older than both import periods: ``import_files`` (applied first) takes its file, then
# ``imports`` its row.
OVERLAP = {"import_files": 1}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _at(when):
    return time_machine.travel(when, tick=False)


def _ages(key: str) -> tuple[datetime, datetime]:
    """A moment just past the rule's period (old) and one just inside it (kept), seen from NOW."""
    cutoff = NOW - timedelta(days=DAYS[key])
    return cutoff - timedelta(minutes=1), cutoff + timedelta(minutes=1)


def _run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def _removed(output: str) -> dict[str, int]:
    return {key: int(n.replace(",", "")) for key, n in re.findall(r"^(\w+): removed ([\d,]+) ", output, re.M)}


def _task(status, finished_at) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        finished_at=finished_at,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="shiftpractice.core.tasks.deliver_email",
        backend_name="default",
        run_after=finished_at or NOW,
        exception_class_path="",
        traceback="",
    )


def _email(status, when) -> EmailDelivery:
    with _at(when):
        return EmailDelivery.objects.create(
            to_address="someone@example.org",
            purpose="other",
            subject="Hello",
            text="Hello",
            status=status,
            next_attempt_at=when,
            sent_at=when if status == "sent" else None,
        )


def _audit(when) -> AuditEvent:
    with _at(when):
        return AuditEvent.objects.create(verb="test.done", object_type="test", object_id="1")


def _notification(user, when, *, read: bool) -> Notification:
    with _at(when):
        return Notification.objects.create(
            recipient=user, kind="action_due", title="Due", read_at=when if read else None
        )


def _invitation(cohort, expires_at, *, accepted: bool = False) -> Invitation:
    return Invitation.objects.create(
        cohort=cohort,
        email=f"{uuid.uuid4().hex[:8]}@example.org",
        role="participant",
        token_hash=uuid.uuid4().hex,
        expires_at=expires_at,
        accepted_at=expires_at - timedelta(days=1) if accepted else None,
    )


def _import(measure, when, status, *, with_file: bool = True) -> DataImport:
    with _at(when):
        imp = DataImport.objects.create(
            measure=measure, original_name="data.csv", file_format="csv", sha256="0" * 64, status=status
        )
    if with_file:
        imp.file.save("data.csv", ContentFile(b"period,value\n2024-01-01,1\n"))
    return imp


def _export(user, when, status, *, expires_at=None) -> DataExport:
    with _at(when):
        export = DataExport.objects.create(user=user, status=status, expires_at=expires_at)
    export.file.save("x.zip", ContentFile(b"PK"))
    return export


def _exists(row) -> bool:
    return type(row)._base_manager.filter(pk=row.pk).exists()


def _stored(name: str) -> bool:
    return default_storage.exists(name)


@pytest.fixture
def rows(world):
    """For each rule: rows just past its period (old) and rows just inside it, or of a kind it keeps (kept)."""
    people = world.people
    p = people["participant"]
    project = project_services.project_create(owner=p, cohort=world.cohort, title="Clinic", actor=p)
    measure = measure_services.measure_create(
        project=project, name="Referrals", measure_type="outcome", data_kind="count", actor=p
    )
    made = {}

    old, kept = _ages("task_results")
    made["task_results"] = (
        [_task(TaskResultStatus.SUCCESSFUL, old)],
        [
            _task(TaskResultStatus.SUCCESSFUL, kept),
            _task(TaskResultStatus.FAILED, old),
            _task(TaskResultStatus.READY, None),
        ],
    )
    old, kept = _ages("task_results_failed")
    made["task_results_failed"] = (
        [_task(TaskResultStatus.FAILED, old)],
        [_task(TaskResultStatus.FAILED, kept)],
    )

    old, kept = _ages("emails")
    made["emails"] = (
        [_email("sent", old), _email("cancelled", old)],
        [_email("sent", kept), _email("pending", old - timedelta(days=400)), _email("failed", old)],
    )
    old, kept = _ages("emails_failed")
    made["emails_failed"] = ([_email("failed", old)], [_email("failed", kept)])

    old, kept = _ages("audit_events")
    made["audit_events"] = ([_audit(old)], [_audit(kept)])

    old, kept = _ages("notifications_read")
    made["notifications_read"] = (
        [_notification(p, old, read=True)],
        [_notification(p, kept, read=True), _notification(p, old, read=False)],
    )
    old, kept = _ages("notifications_unread")
    made["notifications_unread"] = ([_notification(p, old, read=False)], [_notification(p, kept, read=False)])

    old, kept = _ages("invitations")
    made["invitations"] = (
        [_invitation(world.cohort, old)],
        [_invitation(world.cohort, kept), _invitation(world.other_cohort, old, accepted=True)],
    )

    old, kept = _ages("import_files")
    made["import_files"] = (
        [_import(measure, old, "ready"), _import(measure, old, "done"), _import(measure, old, "invalid")],
        [
            _import(measure, kept, "ready"),
            _import(measure, old, "checking"),
            _import(measure, old, "importing"),
        ],
    )
    old, kept = _ages("imports")
    made["imports"] = (
        [_import(measure, old, "failed"), _import(measure, old, "cancelled", with_file=False)],
        [_import(measure, kept, "failed", with_file=False), _import(measure, old, "done", with_file=False)],
    )

    old, kept = _ages("data_exports")
    made["data_exports"] = (
        [_export(p, old, "downloaded"), _export(p, NOW - timedelta(days=200), "ready", expires_at=old)],
        [_export(p, kept, "failed"), _export(p, NOW - timedelta(days=200), "ready", expires_at=kept)],
    )
    return made


def test_every_rule_is_covered_and_has_a_period():
    keys = [rule.key for rule in retention.rules()]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(DAYS)


@pytest.mark.world_per_module
@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(DAYS))
def test_a_rule_removes_only_what_is_older_than_its_period(key, rows, django_capture_on_commit_callbacks):
    others = [row for other, (old, kept) in rows.items() if other != key for row in old + kept]
    old, kept = rows[key]
    files = {row.pk: row.file.name for row in old if getattr(row, "file", None)}
    with _at(NOW), django_capture_on_commit_callbacks(execute=True):
        output = _run("--rule", key)
    assert _removed(output) == {key: len(old) + OVERLAP.get(key, 0)}, output
    assert all(_exists(row) for row in kept + others)
    assert all(_stored(row.file.name) for row in kept if getattr(row, "file", None))
    assert not any(_stored(name) for name in files.values())
    if key == "import_files":  # the rows stay, their files go; a ready import is told why it cannot go on
        for row in old:
            row.refresh_from_db()
            assert not row.file
        assert old[0].status == "failed" and old[0].notices[-1] == GONE
        assert [row.status for row in old[1:]] == ["done", "invalid"]
        assert f"removed {len(files) + OVERLAP[key]} stored files of imports (period: 7 days)." in output
    else:
        assert not any(_exists(row) for row in old)
    if key in ("imports", "data_exports"):
        assert f"; {len(files)} stored file{'s' if len(files) != 1 else ''} deleted." in output


@pytest.mark.world_per_module
@pytest.mark.django_db
def test_all_rules_at_once_then_again_removes_nothing(rows, django_capture_on_commit_callbacks):
    expected = {key: len(old) + OVERLAP.get(key, 0) for key, (old, kept) in rows.items()}
    with _at(NOW), django_capture_on_commit_callbacks(execute=True):
        first = _run()
        second = _run()
    assert _removed(first) == expected, first
    assert _removed(second) == dict.fromkeys(expected, 0), second
    assert all(_exists(row) for old, kept in rows.values() for row in kept)


@pytest.mark.world_per_module
@pytest.mark.django_db
def test_a_dry_run_counts_and_removes_nothing(rows):
    with _at(NOW):
        output = _run("--dry-run")
    for key, (old, kept) in rows.items():
        assert f"{key}: would remove {len(old) + OVERLAP.get(key, 0)} " in output
        assert all(_exists(row) for row in old + kept)
    assert all(
        _stored(row.file.name) for old, _ in rows.values() for row in old if getattr(row, "file", None)
    )


@pytest.mark.world_per_module
@pytest.mark.django_db
def test_a_period_set_to_never_keeps_everything(rows, settings):
    settings.RETENTION_DAYS = {**DAYS, "audit_events": None}
    with _at(NOW):
        output = _run("--rule", "audit_events")
    assert "audit_events: audit events are kept (no period set)." in output
    assert all(_exists(row) for row in rows["audit_events"][0])


def test_an_unknown_rule_or_a_bad_period_is_refused(settings):
    with pytest.raises(CommandError, match="No retention rule nonsense"):
        _run("--rule", "nonsense")
    settings.RETENTION_DAYS = {**DAYS, "audit_events": -1}
    with pytest.raises(CommandError, match="audit_events"):
        _run("--rule", "audit_events")


def _old_rows(person, *, notifications=300, audit_events=300, emails=60) -> None:
    old, kept = _ages("notifications_read")
    with _at(old):
        Notification.objects.bulk_create(
            Notification(recipient=person, kind="action_due", title=f"n{i}", read_at=old)
            for i in range(notifications)
        )
    with _at(kept):
        Notification.objects.bulk_create(
            Notification(recipient=person, kind="action_due", title=f"k{i}", read_at=kept) for i in range(5)
        )
    old, kept = _ages("audit_events")
    with _at(old):
        AuditEvent.objects.bulk_create(
            AuditEvent(verb="test.done", object_type="test", object_id=str(i)) for i in range(audit_events)
        )
    old, kept = _ages("emails")
    for i in range(emails):  # deleting an email lets go of the notifications that point at it
        Notification.objects.filter(title=f"k{i % 5}").update(email=_email("sent", old))


def _left(person) -> tuple[int, int, int, int]:
    mine = Notification.objects.filter(recipient=person)
    return (
        mine.count(),
        mine.exclude(email=None).count(),
        AuditEvent.objects.filter(object_type="test").count(),
        EmailDelivery.objects.filter(to_address="someone@example.org").count(),
    )


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_remove_each_row_once(monkeypatch, tmp_path):
    """Two commands started together, in small batches so that they interleave: between them they remove
    exactly what is old, each row once, and neither fails (PostgreSQL: each skips the rows the other has locked;
    SQLite, on a database file both reach: one writes at a time)."""
    monkeypatch.setattr(retention, "BATCH", 20)
    person = UserFactory()
    _old_rows(person)
    start, outputs, errors = threading.Barrier(2), [], []

    def run():
        try:
            start.wait(10)
            with _at(NOW):
                outputs.append(_run())
        except Exception as exc:  # reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    with shared_database(tmp_path):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        left = _left(person)
    assert errors == [] and len(outputs) == 2
    removed = [_removed(output) for output in outputs]
    total = {key: removed[0].get(key, 0) + removed[1].get(key, 0) for key in DAYS}
    assert total == {**dict.fromkeys(DAYS, 0), "notifications_read": 300, "audit_events": 300, "emails": 60}
    assert left == (5, 0, 0, 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: SQLite locks the whole database")
@pytest.mark.django_db(transaction=True)
def test_rows_another_run_has_locked_are_left_to_it_without_waiting(monkeypatch):
    """A run meeting rows another transaction holds goes past them at once; the next run removes them."""
    monkeypatch.setattr(retention, "BATCH", 20)
    person = UserFactory()
    _old_rows(person, emails=0)
    locked, release = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                rows = AuditEvent.objects.select_for_update().filter(object_type="test").order_by("pk")
                list(rows[:30].values_list("pk", flat=True))
                locked.set()
                release.wait(60)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert locked.wait(30)
        with _at(NOW):
            first = _removed(_run("--rule", "audit_events"))
        assert first == {"audit_events": 270}
    finally:
        release.set()
        thread.join(60)
    with _at(NOW):
        assert _removed(_run("--rule", "audit_events")) == {"audit_events": 30}
    assert AuditEvent.objects.filter(object_type="test").count() == 0

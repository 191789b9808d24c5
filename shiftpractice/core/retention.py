"""How long records are kept: one registry of retention rules, applied by ``manage.py apply_retention``.

Each app declares the rules for its own tables in a ``retention.py`` module of its own (found by name, as the admin
finds ``admin.py``), so core imports no app above it and no app writes another's tables. A rule names the model,
what "old" means for it (a filter built from the cut-off time), the key of its period in
``settings.RETENTION_DAYS``, the file fields whose stored files go with a row, and optionally a per-row clean-up
that replaces deleting the row (an import whose file alone is removed).

Applying a rule is idempotent and safe while another run applies it: rows are taken in bounded batches in primary
key order, each batch in its own transaction; on PostgreSQL the batch is locked with ``FOR UPDATE SKIP LOCKED``, so
two runs at once take different rows, and each removes only what it locked (SQLite runs one write transaction at a
time). Files are deleted after the batch commits (a crash between leaves an unreferenced file, never a row whose
file is gone); a file already missing is not an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .choices import EmailStatus
from .models import AuditEvent, EmailDelivery

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True)
class Rule:
    key: str  # the period's key in settings.RETENTION_DAYS
    model: type[models.Model]
    what: str  # what is removed, in plain words: "read notifications"
    old: Callable[[datetime], Q]  # the cut-off time -> the rows old enough to go
    files: tuple[str, ...] = ()  # file fields whose stored files are deleted with the row
    # Instead of deleting the row: clean it up (inside the batch's transaction, the row locked) and say whether
    # anything was removed; the files named in ``files`` are then deleted for the rows it returned True for.
    each: Callable[[models.Model, datetime], bool] | None = None


_rules: dict[str, Rule] = {}
_discovered = False


def register(*rules: Rule) -> None:
    """Add rules to the registry; called at import time by each app's ``retention`` module."""
    for rule in rules:
        known = _rules.get(rule.key)
        if known is not None and known != rule:
            raise ValueError(f"Two retention rules use the key {rule.key!r}.")
        _rules[rule.key] = rule


def rules() -> list[Rule]:
    """Every app's rules, in the order they were registered (core's first, then apps in INSTALLED_APPS order)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("retention")
        _discovered = True
    return list(_rules.values())


def period(rule: Rule) -> int | None:
    """The rule's period in days, or None when its records are kept (the key is unset or set to None)."""
    days = getattr(settings, "RETENTION_DAYS", {}).get(rule.key)
    if days is None:
        return None
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ValueError(f"RETENTION_DAYS[{rule.key!r}] must be a whole number of days, 0 or more, or None.")
    return days


@dataclass
class Outcome:
    rule: Rule
    days: int | None
    removed: int = 0
    files: int = 0  # stored files of what was removed (deleted once their batch commits)


def _batch_of(rule: Rule, old: Q, after) -> list:
    rows = rule.model._base_manager.filter(old)
    if after is not None:
        rows = rows.filter(pk__gt=after)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return list(rows.order_by("pk").values_list("pk", flat=True)[:BATCH])


def _stored(instance: models.Model, fields: tuple[str, ...]) -> list:
    stored = []
    for name in fields:
        field_file = getattr(instance, name)
        if field_file:
            stored.append((field_file.storage, field_file.name))
    return stored


def _delete_files(stored: list) -> None:
    for storage, name in stored:
        try:
            storage.delete(name)  # a missing file is not an error for Django's storages
        except OSError:
            logger.warning("Could not delete the stored file %s; it is no longer referenced.", name)


def apply(rule: Rule, *, now: datetime | None = None, dry_run: bool = False) -> Outcome:
    """Remove what is older than the rule's period; with ``dry_run``, count it without removing anything."""
    days = period(rule)
    outcome = Outcome(rule=rule, days=days)
    if days is None:
        return outcome
    now = now or timezone.now()
    old = rule.old(now - timedelta(days=days))
    if dry_run:
        outcome.removed = rule.model._base_manager.filter(old).count()
        return outcome
    after = None
    while True:
        stored: list = []
        with transaction.atomic():
            pks = _batch_of(rule, old, after)
            if not pks:
                break
            after = pks[-1]
            # Read again inside the lock, with the filter: a row changed or removed meanwhile is left alone.
            batch = rule.model._base_manager.filter(old, pk__in=pks)
            if rule.each is not None:
                for instance in batch.order_by("pk"):
                    files = _stored(instance, rule.files)
                    if rule.each(instance, now):
                        outcome.removed += 1
                        stored += files
            else:
                if rule.files:
                    for instance in batch.only("pk", *rule.files):
                        stored += _stored(instance, rule.files)
                _, per_model = batch.delete()
                outcome.removed += per_model.get(rule.model._meta.label, 0)
            outcome.files += len(stored)
            transaction.on_commit(partial(_delete_files, stored))
    return outcome


# Core's own tables, and the task queue's (django-tasks-db, which core sits on).
register(
    Rule(
        key="task_results",
        model=DBTaskResult,
        what="finished background tasks",
        old=lambda cutoff: Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=cutoff),
    ),
    Rule(
        key="task_results_failed",
        model=DBTaskResult,
        what="failed background tasks",
        old=lambda cutoff: Q(status=TaskResultStatus.FAILED, finished_at__lt=cutoff),
    ),
    Rule(
        key="emails",
        model=EmailDelivery,
        what="sent or unneeded emails in the outbox",
        old=lambda cutoff: Q(status__in=[EmailStatus.SENT, EmailStatus.CANCELLED], created_at__lt=cutoff),
    ),
    Rule(
        key="emails_failed",
        model=EmailDelivery,
        what="failed emails in the outbox",
        old=lambda cutoff: Q(status=EmailStatus.FAILED, created_at__lt=cutoff),
    ),
    Rule(
        key="audit_events",
        model=AuditEvent,
        what="audit events",
        old=lambda cutoff: Q(at__lt=cutoff),
    ),
)

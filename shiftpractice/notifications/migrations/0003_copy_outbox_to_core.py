"""The outbox moved to ``core`` (every app sends mail through it): copy each row across with its id, so
notifications keep pointing at their email and tasks already queued with a ``delivery_id`` still find it.

A row the old code had claimed ("sending") cannot say whether it reached the mail server, so it arrives as
handed over: the outbox then marks it failed for an operator once its lease is over, rather than resending it.
"""

from datetime import timedelta

from django.core.management.color import no_style
from django.db import migrations

FIELDS = [
    "id",
    "recipient_id",
    "to_address",
    "purpose",
    "subject",
    "text",
    "html",
    "status",
    "attempts",
    "next_attempt_at",
    "claimed_at",
    "sent_at",
    "last_error",
    "created_at",
]
LEASE = timedelta(minutes=10)


def _reset_sequence(schema_editor, model):
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    Old = apps.get_model("notifications", "EmailDelivery")
    New = apps.get_model("core", "EmailDelivery")
    copied = []
    for old in Old.objects.order_by("id").iterator():
        new = New(**{name: getattr(old, name) for name in FIELDS})
        if old.status == "sending":
            claimed = old.claimed_at or old.next_attempt_at
            new.lease_expires_at = claimed + LEASE
            new.handed_over_at = claimed
        copied.append(new)
    created = {row.id: row.created_at for row in copied}
    New.objects.bulk_create(copied, batch_size=500)
    # created_at is auto_now_add, so the insert stamped it with now: put the original times back.
    for row in copied:
        row.created_at = created[row.id]
    New.objects.bulk_update(copied, ["created_at"], batch_size=500)
    _reset_sequence(schema_editor, New)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_coaching_privacy_kind"),
        ("core", "0002_email_outbox"),
    ]

    # The copied rows keep their ids, so they must arrive before core adds any row of its own.
    run_before = [("core", "0003_seal_legacy_email_tasks")]

    # Going back, the old table only exists again once 0005 is undone: it copies the rows back then.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

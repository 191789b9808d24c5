"""The old outbox table goes. Undone, it comes back and is filled from ``core`` (notification emails only)
before 0004's foreign key points at it again."""

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


def copy_back(apps, schema_editor):
    Old = apps.get_model("notifications", "EmailDelivery")
    New = apps.get_model("core", "EmailDelivery")
    copied = [
        Old(**{name: getattr(new, name) for name in FIELDS})
        for new in New.objects.filter(purpose__in=["immediate", "digest"]).order_by("id").iterator()
    ]
    created = {row.id: row.created_at for row in copied}
    Old.objects.bulk_create(copied, batch_size=500)
    for row in copied:  # auto_now_add stamped them with now
        row.created_at = created[row.id]
    Old.objects.bulk_update(copied, ["created_at"], batch_size=500)
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Old]):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_notification_email_in_core_outbox")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, copy_back),
        migrations.DeleteModel(name="EmailDelivery"),
    ]

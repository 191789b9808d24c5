"""Emails queued by the old ``core.tasks.send_email`` task carried their whole text (invitation and password reset
links included) in the task queue's arguments, readable in the database and the admin. Move each one into the
outbox with its body sealed, and delete the task rows.

Not yet run: pending in the outbox, sent by the worker as usual. Running (a worker may or may not have handed
it to the mail server) and failed: kept as failed, for an operator to check and retry. Finished: deleted.

Migrations never import app code, so the sealing (Fernet with an HKDF key from SECRET_KEY) is spelled out
here; it must match ``shiftpractice.core.sealing`` v1, which a test checks.
"""

import base64
import json

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import migrations
from django.utils import timezone

LEGACY_TASK = "shiftpractice.core.tasks.send_email"


def _seal(data):
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"shiftpractice.core.sealing v1").derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(raw)).encrypt(json.dumps(data).encode()).decode("ascii")


def move_to_outbox(apps, schema_editor):
    TaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    EmailDelivery = apps.get_model("core", "EmailDelivery")
    now = timezone.now()
    legacy = TaskResult.objects.filter(task_path=LEGACY_TASK)
    for row in legacy.exclude(status="SUCCESSFUL").iterator():
        kwargs = (row.args_kwargs or {}).get("kwargs", {})
        if row.status == "READY":
            status, error = "pending", ""
        elif row.status == "RUNNING":
            status, error = (
                "failed",
                "Moved from the old task queue while it was being sent: check the mail log.",
            )
        else:
            status, error = "failed", "Failed in the old task queue before the outbox existed."
        for address in kwargs.get("to") or []:
            EmailDelivery.objects.create(
                to_address=address,
                purpose="other",
                subject=(kwargs.get("subject") or "")[:200],
                sealed=_seal({"text": kwargs.get("text", ""), "html": kwargs.get("html", "")}),
                status=status,
                last_error=error,
                next_attempt_at=now,
            )
    legacy.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_email_outbox"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(move_to_outbox, migrations.RunPython.noop)]

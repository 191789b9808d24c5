"""Keep every edit of a PDSA cycle (CycleEdit), and copy the corrections made so far into that history.

Corrections recorded before this migration did not note the revision they made, so their edits get revision 0:
they show in the history, and never count as a change since any form a person has open.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

CHUNK = 500


def forwards(apps, schema_editor):
    CycleCorrection = apps.get_model("projects", "CycleCorrection")
    CycleEdit = apps.get_model("projects", "CycleEdit")
    done = set(CycleEdit.objects.exclude(correction=None).values_list("correction_id", flat=True))
    batch = []
    for c in CycleCorrection.objects.order_by("id").iterator(chunk_size=CHUNK):
        if c.pk in done:
            continue
        batch.append(
            CycleEdit(
                cycle_id=c.cycle_id,
                revision=0,
                field=c.field,
                old_value=c.old_value,
                new_value=c.new_value,
                made_by_id=c.made_by_id,
                made_at=c.made_at,
                correction_id=c.pk,
            )
        )
        if len(batch) >= CHUNK:
            CycleEdit.objects.bulk_create(batch)
            batch = []
    CycleEdit.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_constraint_messages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CycleEdit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "revision",
                    models.PositiveIntegerField(
                        help_text="The cycle's revision this change produced; 0 for corrections made before edits were kept."
                    ),
                ),
                ("field", models.CharField(max_length=40)),
                ("old_value", models.TextField(blank=True)),
                ("new_value", models.TextField(blank=True)),
                ("made_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "correction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="edit",
                        to="projects.cyclecorrection",
                    ),
                ),
                (
                    "cycle",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="edits", to="projects.cycle"
                    ),
                ),
                (
                    "made_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["cycle", "revision", "id"],
                "indexes": [
                    models.Index(fields=["cycle", "field", "revision"], name="cycle_edit_field_revision")
                ],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]

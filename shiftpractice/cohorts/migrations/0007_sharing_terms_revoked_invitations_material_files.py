"""Invitations can be withdrawn (and get a public id for their pages); members record when they accepted the
programme's sharing terms; workshop materials can be uploaded files.

Existing materials (all links) and invitations get a public id each, then the column is made unique.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def give_public_ids(apps, schema_editor):
    for name in ("WorkshopMaterial", "Invitation"):
        model = apps.get_model("cohorts", name)
        for row in model.objects.filter(public_id__isnull=True).only("pk"):
            row.public_id = uuid.uuid4()
            row.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0006_invitation_one_open_per_person"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="revoked_at",
            field=models.DateTimeField(
                blank=True, help_text="When a lead withdrew the invitation.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="superseded_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the invitation was closed: a newer one to the same person replaced it, or a lead "
                "withdrew it (then revoked_at is set too).",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="sharing_terms_accepted_at",
            field=models.DateTimeField(
                blank=True,
                null=True,
                help_text="When the person accepted the programme's sharing terms on joining (empty for members "
                "who joined before the terms were shown, or whom a lead added directly).",
            ),
        ),
        migrations.AddField(
            model_name="workshopmaterial",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="invitation",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitation",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="workshopmaterial",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="workshopmaterial",
            name="url",
            field=models.URLField(blank=True),
        ),
        migrations.AddField(
            model_name="workshopmaterial",
            name="file",
            field=models.FileField(blank=True, max_length=200, upload_to="workshop-materials/%Y/%m/"),
        ),
        migrations.AddField(
            model_name="workshopmaterial",
            name="filename",
            field=models.CharField(blank=True, max_length=200, verbose_name="original file name"),
        ),
        migrations.AddField(
            model_name="workshopmaterial",
            name="content_type",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="workshopmaterial",
            name="size",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="workshopmaterial",
            name="added_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="workshopmaterial",
            constraint=models.CheckConstraint(
                condition=(models.Q(url="") & ~models.Q(file="")) | (~models.Q(url="") & models.Q(file="")),
                name="material_link_or_file",
                violation_error_message="Give either a link or a file, not both.",
            ),
        ),
    ]

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_copy_outbox_to_core"),
        ("core", "0002_email_outbox"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="email",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="notifications",
                to="core.emaildelivery",
            ),
        ),
    ]

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0005_close_duplicate_invitations")]

    operations = [
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.UniqueConstraint(
                models.F("cohort"),
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("accepted_at__isnull", True), ("superseded_at__isnull", True)),
                name="invitation_one_open_per_person",
                violation_error_message="This person already has an invitation to the cohort.",
            ),
        ),
    ]

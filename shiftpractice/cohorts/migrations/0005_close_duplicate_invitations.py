"""Before the database refuses a second open invitation to the same person in a cohort, close any duplicates
already there: the newest stays open (its email is the latest the person got), older ones are marked
superseded."""

from django.db import migrations
from django.db.models.functions import Lower
from django.utils import timezone


def close_duplicates(apps, schema_editor):
    Invitation = apps.get_model("cohorts", "Invitation")
    now = timezone.now()
    open_ones = Invitation.objects.filter(accepted_at__isnull=True, superseded_at__isnull=True)
    seen = set()
    for invitation in open_ones.annotate(address=Lower("email")).order_by("-created_at", "-id").iterator():
        key = (invitation.cohort_id, invitation.address)
        if key in seen:
            Invitation.objects.filter(pk=invitation.pk).update(superseded_at=now)
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0004_invitation_superseded_and_delivery")]

    operations = [migrations.RunPython(close_duplicates, migrations.RunPython.noop)]

"""Fill in the new fields for what was written before them, and drop the content references of private
reflections (the references are listed in the admin, where a private reflection must not exist).

- A reflection shared beyond its author is taken as shared with the author's coach in its cohort now (the
  coach it was shared with was not recorded before; this is the best the data can say).
- A coach's note is readable by the programme's leads only when the policy lets them now AND has not changed
  since the note was written (the policy row's last save is before the note). Earlier notes stay for the coach
  alone: nobody can tell what the policy was when they were written, so the stricter rule applies.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery

CHUNK = 500


def forwards(apps, schema_editor):
    JournalEntry = apps.get_model("coaching", "JournalEntry")
    CoachAssignment = apps.get_model("coaching", "CoachAssignment")
    CoachNote = apps.get_model("coaching", "CoachNote")
    CoachingPolicy = apps.get_model("coaching", "CoachingPolicy")
    ContentReference = apps.get_model("content", "ContentReference")

    coach = CoachAssignment.objects.filter(
        cohort_id=OuterRef("cohort_id"), participant_id=OuterRef("author_id")
    ).values("coach_id")[:1]
    JournalEntry.objects.exclude(privacy="private").update(shared_with_coach_id=Subquery(coach))

    for policy in CoachingPolicy.objects.filter(leads_read_coach_notes=True):
        CoachNote.objects.filter(
            contact__assignment__cohort__programme_id=policy.programme_id, created_at__gte=policy.updated_at
        ).update(leads_may_read=True)

    private = [str(pk) for pk in JournalEntry.objects.filter(privacy="private").values_list("pk", flat=True)]
    for start in range(0, len(private), CHUNK):
        ContentReference.objects.filter(
            object_type="coaching.journalentry", object_id__in=private[start : start + CHUNK]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0002_note_policy_and_shared_coach"),
        ("content", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

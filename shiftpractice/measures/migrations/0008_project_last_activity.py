"""A project's ``updated_at`` is its last activity from now on: the writes of its measures, their points and
phases move it, as the writes of its cycles already did. Existing projects take the latest change of their
cycles and measures, where that is later, so no project looks quieter than it was."""

from django.db import migrations
from django.db.models import DateTimeField, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest


def forward(apps, schema_editor):
    ChangeProject = apps.get_model("projects", "ChangeProject")
    Cycle = apps.get_model("projects", "Cycle")
    Measure = apps.get_model("measures", "Measure")

    def latest(model):
        changed = (
            model.objects.filter(project=OuterRef("pk")).order_by("-updated_at").values("updated_at")[:1]
        )
        return Coalesce(Subquery(changed), "updated_at", output_field=DateTimeField())

    # One statement (``update`` leaves ``auto_now`` alone); SQLite's MAX of a NULL is NULL, hence Coalesce.
    ChangeProject.objects.update(updated_at=Greatest("updated_at", latest(Cycle), latest(Measure)))


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0007_chart_summary_page"),
        ("projects", "0006_latest_change_index"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

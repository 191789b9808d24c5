"""Migration 0008: a project whose cycles or measures changed after it takes their latest change as its own
(its last activity); a project changed after them keeps its time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.migrations import latest, migrate

BEFORE = [("measures", "0007_chart_summary_page")]
AFTER = [("measures", "0008_project_last_activity")]


@pytest.mark.django_db(transaction=True)
def test_projects_take_the_latest_change_of_their_cycles_and_measures():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Programme = old.get_model("programmes", "Programme")
    Cohort = old.get_model("cohorts", "Cohort")
    Project = old.get_model("projects", "ChangeProject")
    Cycle = old.get_model("projects", "Cycle")
    Measure = old.get_model("measures", "Measure")
    now = timezone.now()
    programme = Programme.objects.create(name="P", slug="p", organisation="O", summary="S")
    cohort = Cohort.objects.create(
        programme=programme, name="C", slug="c", start_date=now.date(), end_date=now.date(), capacity=5
    )
    owner = User.objects.create(email="owner@example.org", full_name="O")
    by_cycle, by_measure, own, bare = (
        Project.objects.create(owner=owner, cohort=cohort, title=t).pk
        for t in ("cycle", "measure", "own", "bare")
    )
    Cycle.objects.create(project_id=by_cycle, number=1, title="C")
    Measure.objects.create(project_id=by_measure, name="M", position=1)
    Cycle.objects.create(project_id=own, number=1, title="C")
    Measure.objects.create(project_id=own, name="M", position=1)
    ago = {n: now - timedelta(days=n) for n in (5, 20, 30, 40)}
    Project.objects.update(updated_at=ago[40])
    Cycle.objects.filter(project_id=by_cycle).update(updated_at=ago[20])
    Measure.objects.filter(project_id=by_measure).update(updated_at=ago[30])
    Cycle.objects.filter(project_id=own).update(updated_at=ago[30])
    Measure.objects.filter(project_id=own).update(updated_at=ago[30])
    Project.objects.filter(pk=own).update(updated_at=ago[5])

    new = migrate(AFTER)
    times = dict(new.get_model("projects", "ChangeProject").objects.values_list("pk", "updated_at"))
    assert times == {by_cycle: ago[20], by_measure: ago[30], own: ago[5], bare: ago[40]}
    migrate(latest())

"""The demo loader: three domains, one story per participant, a closed round per cohort and a closed
programme round stacked on them; a second run changes nothing."""

import pytest

from shiftpractice.msc import selectors
from shiftpractice.msc.demo import load_demo_msc
from shiftpractice.msc.models import Choice, Domain, Round, Story

from .helpers import participants


@pytest.mark.django_db
def test_the_demo_loads_once_and_reports_read_it(world):
    participants(world.cohort, 4, prefix="a")
    participants(world.other_cohort, 4, prefix="b")
    people = world.people
    for _ in range(2):
        load_demo_msc(
            programme=world.programme,
            lead=people["lead"],
            friends=[people["critical_friend"]],
            coaches=[people["coach"]],
        )
    assert Domain.objects.count() == 3
    assert Story.objects.count() == 10
    assert Story.objects.values("author").distinct().count() == 10
    assert Round.objects.filter(closed_at__isnull=False).count() == 3
    programme_round = Round.objects.get(cohort=None)
    assert programme_round.stacked.count() == 2
    assert Choice.objects.filter(round=programme_round).count() == 3
    cohort_a = Round.objects.get(cohort=world.cohort)
    assert people["coach"] in cohort_a.panel.all()
    report = selectors.chosen_for_report(world.programme)
    assert len(report) == 3 and all(row["title"] and row["reasons"] for row in report)
    assert len(selectors.chosen_for_report(world.programme, world.cohort)) == 3

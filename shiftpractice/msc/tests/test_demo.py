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


@pytest.mark.django_db
def test_the_admin_changelists_run_the_same_queries_for_one_row_and_for_many(world, client):
    """tests/test_admin_changelists.py checks this on the home demo once it loads this app's demo; until then,
    here on the world's programme with the demo's rows."""
    from django.contrib import admin
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from conftest import client_for
    from tests.factories import UserFactory

    participants(world.cohort, 4, prefix="a")
    participants(world.other_cohort, 4, prefix="b")
    people = world.people
    load_demo_msc(
        programme=world.programme, lead=people["lead"], friends=[people["critical_friend"]], coaches=[]
    )
    client_for(client, UserFactory(is_staff=True, is_superuser=True))
    for model in (Domain, Story, Round, Choice):
        model_admin = admin.site._registry[model]
        url = reverse(f"admin:msc_{model._meta.model_name}_changelist")
        counts = []
        for per_page in (1, 500):
            model_admin.list_per_page = per_page
            try:
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
            finally:
                model_admin.list_per_page = 100
            counts.append(len(queries))
        assert counts[0] == counts[1], (model.__name__, counts)

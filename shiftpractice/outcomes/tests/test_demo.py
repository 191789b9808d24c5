"""The demo's harvest, on projects named as the demo names them: twelve outcomes, eight substantiated (one by the
outside person's link), loaded once however often the loader runs."""

import pytest

from shiftpractice.outcomes import selectors
from shiftpractice.outcomes.demo import OUTCOMES, load_demo_outcomes
from shiftpractice.outcomes.models import Substantiation
from tests.factories import MembershipFactory, UserFactory

from .helpers import make_project


@pytest.fixture
def demo_projects(world):
    for n, title in enumerate(dict.fromkeys(spec.project for spec in OUTCOMES)):
        owner = UserFactory(email=f"demo{n}@example.org")
        cohort = world.cohort if n % 2 else world.other_cohort
        MembershipFactory(cohort=cohort, user=owner, role="participant")
        make_project(world, owner=owner, cohort=cohort, title=title)


def test_the_demo_harvest_loads_once(world, demo_projects):
    second = UserFactory()
    MembershipFactory(cohort=world.other_cohort, user=second, role="critical_friend")
    friends = [world.people["critical_friend"], second]
    assert load_demo_outcomes(programme=world.programme, lead=world.people["lead"], friends=friends) == 12
    assert load_demo_outcomes(programme=world.programme, lead=world.people["lead"], friends=friends) == 0
    summary = selectors.harvest_summary(world.programme)
    assert summary["total"] == 12 and summary["substantiated"] == 8
    assert summary["by_substantiation"] == {"none": 4, "agree": 5, "partly": 2, "disagree": 1}
    assert Substantiation.objects.filter(via_link=True).count() == 1
    assert summary["examples"] == []  # the projects are shared with their cohort, not the whole programme

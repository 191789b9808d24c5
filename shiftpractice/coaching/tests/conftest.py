"""A coaching world on top of the shared personas: the coach coaches the participant, who has a project
with a PDSA cycle, two peers in the same cohort, a triad, and a superuser."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from shiftpractice.coaching.choices import PeerGroupKind
from shiftpractice.coaching.services import peers as peer_services
from shiftpractice.coaching.services import support as services
from shiftpractice.projects import services as project_services
from tests.factories import MembershipFactory, UserFactory


@dataclass
class Coaching:
    world: object
    assignment: object
    project: object
    cycle: object
    triad: object
    people: dict

    def user(self, persona):
        return self.people.get(persona)


@pytest.fixture
def coaching(world) -> Coaching:
    people = dict(world.people)
    cohort = world.cohort
    people["peer"] = UserFactory(full_name="Petra Peer", email="peer@example.org")
    people["third"] = UserFactory(full_name="Tariq Third", email="third@example.org")
    people["outsider"] = UserFactory(full_name="Otto Outsider", email="outsider@example.org")
    people["superuser"] = UserFactory(
        full_name="Sue Super", email="super@example.org", is_staff=True, is_superuser=True
    )
    for key in ("peer", "third"):
        MembershipFactory(cohort=cohort, user=people[key], role="participant")
    today = timezone.localdate()
    assignment = services.assignment_create(
        cohort=cohort,
        coach=people["coach"],
        participant=people["participant"],
        starts_on=today - timedelta(days=60),
        actor=people["lead"],
    )
    project = project_services.project_create(
        owner=people["participant"], cohort=cohort, title="Greener inhalers", actor=people["participant"]
    )
    cycle = project_services.cycle_create(project=project, title="Try a leaflet", actor=people["participant"])
    triad = peer_services.peer_group_create(
        cohort=cohort,
        kind=PeerGroupKind.TRIAD,
        name="Triad one",
        members=[people["participant"], people["peer"], people["third"]],
        actor=people["lead"],
    )
    return Coaching(
        world=world, assignment=assignment, project=project, cycle=cycle, triad=triad, people=people
    )

"""`world_per_module` (root conftest.py): the personas' world is built once for the module, and each test still
starts from it as built, whatever an earlier test wrote or changed in memory. The two tests below do the same
thing, so whichever runs second proves it."""

import pytest
from django.db import connection

import conftest
from shiftpractice.cohorts.models import Cohort, Membership
from shiftpractice.programmes.models import Programme
from tests.factories import UserFactory

pytestmark = pytest.mark.world_per_module

built = []  # the module's shared world as each test found it: one world means one object


def writes_everywhere(world) -> None:
    assert world.programme.name == "Pilot programme" and world.cohort.name == "Cohort A"
    assert not Programme.objects.exclude(pk=world.programme.pk).exists()
    assert Membership.objects.filter(cohort=world.cohort).count() == 3
    assert world.people["participant"].full_name == "Pat Participant"
    built.append(conftest._SHARED.get("world"))
    assert built[0] is not None and all(shared is built[0] for shared in built), "the world was built again"
    # Write, as tests do: new rows, changed rows, removed rows, and objects changed only in memory.
    UserFactory(email="someone.later@example.org")
    Cohort.objects.filter(pk=world.cohort.pk).update(name="Renamed")
    Membership.objects.filter(cohort=world.cohort, user=world.people["coach"]).delete()
    world.programme.name = "Changed in memory"
    world.people["participant"].full_name = "Changed in memory"


def test_a_test_that_writes(world):
    writes_everywhere(world)


def test_another_test_that_writes(world):
    writes_everywhere(world)


@pytest.mark.django_db(transaction=True)
def test_a_test_with_real_transactions_gets_a_world_of_its_own(world):
    # No shared world is open around it (a live server could not see inside that transaction)...
    assert not connection.in_atomic_block and not conftest._SHARED
    # ...and it finds its own, as built, whatever the tests before it wrote.
    assert Programme.objects.get().pk == world.programme.pk
    assert Cohort.objects.get(pk=world.cohort.pk).name == "Cohort A"
    assert Membership.objects.filter(cohort=world.cohort).count() == 3

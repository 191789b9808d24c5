import pytest

from shiftpractice.projects import services


@pytest.fixture
def project(world):
    """A team-only project of the world's participant, with an aim."""
    return services.project_create(
        owner=world.people["participant"],
        cohort=world.cohort,
        title="Green social prescribing for low mood",
        actor=world.people["participant"],
        aim_what="Increase referrals to nature-based activities",
        aim_for_whom="adults with low mood at the practice",
        aim_how_much="from 2 to 20 a month",
        aim_by_when="2030-12-31",
    )

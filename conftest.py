"""Personas shared by every test: one small programme with two cohorts, a person in each role and an outsider
(signed in, in no programme)."""

from dataclasses import dataclass

import pytest

from tests.factories import (
    PASSWORD,
    CohortFactory,
    MembershipFactory,
    MilestoneFactory,
    ProgrammeFactory,
    UserFactory,
    WorkshopFactory,
)

PERSONAS = ["lead", "coach", "participant", "other_participant", "critical_friend", "outsider", "anonymous"]


@dataclass
class World:
    programme: object
    cohort: object
    other_cohort: object
    workshop: object
    other_workshop: object
    shared_workshop: object
    milestone: object
    people: dict

    def user(self, persona: str):
        return self.people.get(persona)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Pages cache fragments keyed by ids and times; start every test with nothing cached."""
    from django.core.cache import cache

    cache.clear()


def _empties_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    requested = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    return bool(requested) or bool(marker is not None and marker.kwargs.get("transaction"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test with real transactions (a live server, threads) ends by emptying every table, the default model
    that content's data migration loaded included. Put it back once that is done (after every fixture of the
    test is torn down), so each test starts from a migrated database whichever test ran before it on its
    worker: pytest-django runs such tests last, but a parallel worker is handed files one after another."""
    yield
    if _empties_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        from shiftpractice.content.services import default_model_ensure

        with item.config.stash[blocking_manager_key].unblock():
            default_model_ensure()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests create many accounts, so they hash with MD5 (never in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    lead = UserFactory(full_name="Lena Lead", email="lead@example.org")
    people = {
        "lead": lead,
        "coach": UserFactory(full_name="Cara Coach", email="coach@example.org"),
        "participant": UserFactory(full_name="Pat Participant", email="participant@example.org"),
        "other_participant": UserFactory(full_name="Olu Other", email="other@example.org"),
        "critical_friend": UserFactory(full_name="Chris Friend", email="friend@example.org"),
        # Signed in, but in no programme: sees of a public project only what an anonymous visitor sees.
        "outsider": UserFactory(full_name="Ola Outsider", email="ola.outsider@example.org"),
        "anonymous": None,
    }
    programme = ProgrammeFactory(slug="pilot", name="Pilot programme", leads=[lead])
    cohort = CohortFactory(programme=programme, slug="cohort-a", name="Cohort A")
    other = CohortFactory(programme=programme, slug="cohort-b", name="Cohort B")
    MembershipFactory(cohort=cohort, user=people["participant"], role="participant")
    MembershipFactory(cohort=cohort, user=people["coach"], role="coach")
    MembershipFactory(cohort=cohort, user=people["critical_friend"], role="critical_friend")
    MembershipFactory(cohort=other, user=people["other_participant"], role="participant")
    return World(
        programme=programme,
        cohort=cohort,
        other_cohort=other,
        workshop=WorkshopFactory(programme=programme, cohorts=[cohort], title="Workshop A1"),
        other_workshop=WorkshopFactory(programme=programme, cohorts=[other], title="Workshop B1"),
        shared_workshop=WorkshopFactory(
            programme=programme, cohorts=[cohort, other], number=3, title="Shared"
        ),
        milestone=MilestoneFactory(programme=programme),
        people=people,
    )


def client_for(client, user):
    """Log the test client in as ``user`` (or leave it anonymous for None)."""
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def login(client):
    def _login(user):
        return client_for(client, user)

    return _login


@pytest.fixture
def password() -> str:
    return PASSWORD

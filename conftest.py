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

    def fresh(self) -> "World":
        """The same rows read again: a test that changes an object in memory leaves the next test none of it."""
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.in_bulk([u.pk for u in self.people.values() if u is not None])
        again = {
            name: type(getattr(self, name))._base_manager.get(pk=getattr(self, name).pk) for name in ROWS
        }
        people = {key: None if u is None else users[u.pk] for key, u in self.people.items()}
        return World(**again, people=people)


ROWS = ["programme", "cohort", "other_cohort", "workshop", "other_workshop", "shared_workshop", "milestone"]
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "world_per_module: the module's consecutive tests that use `world` share one, built once; each test's "
        "writes are rolled back (a savepoint inside the module's transaction), so tests stay independent",
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Pages cache fragments keyed by ids and times; start every test with nothing cached."""
    from django.core.cache import cache

    cache.clear()


def _empties_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    real = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
    requested = real & set(getattr(item, "fixturenames", ()))
    kwargs = marker.kwargs if marker is not None else {}
    return bool(requested) or any(
        kwargs.get(k) for k in ("transaction", "reset_sequences", "serialized_rollback")
    )


# The world shared by the running module's tests, while one is open: {"module", "atomic", "world"}.
_SHARED: dict = {}


def _shares_the_world(item) -> bool:
    return (
        item.get_closest_marker("world_per_module") is not None
        and "world" in getattr(item, "fixturenames", ())
        and not _empties_the_database(item)
    )


def _blocker(config):
    from pytest_django.plugin import blocking_manager_key

    return config.stash[blocking_manager_key]


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    """Open the module's shared world just before pytest-django opens the test's own transaction (its private
    `_django_db_helper` fixture, after the test database exists), so the test's transaction nests inside it as a
    savepoint, as in Django's TestCase.setUpTestData. Should that name change, nothing opens and `world` builds
    one for each test, as before."""
    item = request.node
    if fixturedef.argname != "_django_db_helper" or not _shares_the_world(item):
        return None
    if _SHARED.get("module") is item.module:
        return None
    _close_the_shared_world(item.config)
    from django.db import transaction
    from django.test import override_settings

    with _blocker(item.config).unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # a durable block inside a test is still allowed, as in a TestCase
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                world = build_world()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    _SHARED.update(module=item.module, atomic=atomic, world=world)
    # Closed with the module at the latest: before the session's fixtures, the test database's, are torn down.
    module = item.module
    item.getparent(pytest.Module).addfinalizer(lambda: _close_the_shared_world(item.config, module))
    return None


def _close_the_shared_world(config, module=None) -> None:
    if not _SHARED or (module is not None and _SHARED["module"] is not module):
        return
    from django.db import transaction

    with _blocker(config).unblock():
        transaction.set_rollback(True)
        _SHARED["atomic"].__exit__(None, None, None)
    _SHARED.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test with real transactions (a live server, threads) ends by emptying every table, the default model
    that content's data migration loaded included. Put it back once that is done (after every fixture of the
    test is torn down), so each test starts from a migrated database whichever test ran before it on its
    worker: pytest-django runs such tests last, but a parallel worker is handed files one after another."""
    yield
    if _SHARED and nextitem is not None and not _shares_the_world(nextitem):
        _close_the_shared_world(item.config)  # the next test of the module must not see the world
    # With no next test the session's fixtures are already gone, the test database with them: writing now
    # would reach the database the settings name outside tests.
    if _empties_the_database(item) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        from shiftpractice.content.services import default_model_ensure

        with item.config.stash[blocking_manager_key].unblock():
            default_model_ensure()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests create many accounts, so they hash with MD5 (never in production)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def world(request, db) -> World:
    """The personas' programme. In a module marked `world_per_module` it is built once and read again for each
    test; anywhere else (and in any test with real transactions) it is built for the test."""
    if _SHARED.get("module") is request.node.module and _shares_the_world(request.node):
        return _SHARED["world"].fresh()
    return build_world()


def build_world() -> World:
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

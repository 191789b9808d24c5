"""Fixtures for the content tests: the default model (loaded by migration 0002) and a draft drafted from it."""

import pytest

from shiftpractice.content import selectors, services


@pytest.fixture
def v1(db):
    # A transactional test elsewhere may have flushed the migration's rows: put them back the same way.
    services.default_model_ensure()
    return selectors.current_version()


@pytest.fixture
def lead(world):
    return world.people["lead"]


@pytest.fixture
def draft(v1, lead):
    return services.version_draft(actor=lead, source=v1, name="v2 test draft")

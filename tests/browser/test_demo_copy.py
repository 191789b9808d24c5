"""The browser tests' `demo` (tests/browser/conftest.py): loaded once for the module, and each test starts from
it as loaded, which the live server sees too, whatever an earlier test wrote. The two tests do the same thing, so
whichever runs second proves it."""

from html import escape
from urllib.request import urlopen

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from shiftpractice.content.models import ModelVersion
from shiftpractice.home.demo import MODEL_V2_NAME, PROGRAMME_SLUG
from shiftpractice.programmes.models import Programme

pytestmark = [pytest.mark.browser]

NAME = "Shifting mindsets, shifting practice"
seen = []  # the demo copy each test was given: one load means one copy


def served(live_server) -> str:
    with urlopen(live_server.url + reverse("content:versions")) as response:  # noqa: S310 - the test's own server
        return response.read().decode()


def writes_everywhere(live_server, copy) -> None:
    seen.append(copy)
    assert all(c is seen[0] for c in seen), "the demo was loaded again"
    assert Programme.objects.get(slug=PROGRAMME_SLUG).name == NAME
    assert not get_user_model().objects.filter(email="someone.later@example.org").exists()
    assert escape(MODEL_V2_NAME) in served(live_server)  # the live server reads the same rows
    # Write, as a journey does: a new row, a changed row, a removed row; the live server sees them.
    get_user_model().objects.create_user(email="someone.later@example.org", password="x" * 20)
    Programme.objects.filter(slug=PROGRAMME_SLUG).update(name="Renamed by a test")
    ModelVersion.objects.filter(name=MODEL_V2_NAME).update(name="Renamed version")
    assert escape(MODEL_V2_NAME) not in served(live_server)


def test_a_test_that_writes(live_server, demo, _demo_once):
    writes_everywhere(live_server, _demo_once)


def test_another_test_that_writes(live_server, demo, _demo_once):
    writes_everywhere(live_server, _demo_once)

"""The outcome admin's changelists run the same queries for one row a page as for every row (the demo, which
tests/test_admin_changelists.py walks, has no outcomes until home's loader calls ours)."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from shiftpractice.outcomes import services
from shiftpractice.outcomes.models import Outcome, Substantiation, SubstantiationRequest
from tests.factories import UserFactory

from .helpers import make_outcome, make_project


def _queries(client, model, per_page: int) -> int:
    model_admin = admin.site._registry[model]
    before, model_admin.list_per_page = model_admin.list_per_page, per_page
    try:
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse(f"admin:outcomes_{model._meta.model_name}_changelist")).status_code == 200
            )
    finally:
        model_admin.list_per_page = before
    return len(queries)


@pytest.mark.parametrize("model", [Outcome, Substantiation, SubstantiationRequest])
def test_each_changelist_costs_the_same_for_one_row_and_many(world, client, model):
    project = make_project(world)
    for n in range(4):
        outcome = make_outcome(project, who_changed=f"Team {n}")
        services.substantiate(outcome=outcome, actor=world.people["lead"], verdict="agree")
        services.link_send(
            outcome=outcome, actor=world.people["lead"], name="A", email="a@b.example", role="R"
        )
    client_for(client, UserFactory(is_staff=True, is_superuser=True))
    _queries(client, model, 1)
    assert _queries(client, model, 1) == _queries(client, model, 100)

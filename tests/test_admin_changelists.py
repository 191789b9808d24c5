"""Every admin changelist runs the same number of queries whatever it shows: no query per row.

The rows are the demo's (every model the demo fills), with a few threads, comments and the notifications and
emails they bring. Every model the admin shows that still has fewer than ``ROWS`` rows then gets made-up rows
(model_bakery fills each required field and makes each row's related objects), so no changelist is left out.
Each changelist is read showing one row a page and then showing every row (up to 500): the query count must be
the same. A relation read row by row shows up as more queries for more rows.
"""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from conftest import client_for
from shiftpractice.accounts.models import User
from shiftpractice.home.demo import load_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()
        add_news()
        fill_every_changelist()
        yield
        from django.core.management import call_command

        call_command("flush", "--noinput", verbosity=0)
        from shiftpractice.content.services import default_model_ensure

        default_model_ensure()


def add_news() -> None:
    """What the demo does not make: threads, comments, the notifications and digest emails they bring."""
    from shiftpractice.coaching.services import discussions
    from shiftpractice.notifications.services import digests_send
    from shiftpractice.programmes.models import Programme
    from shiftpractice.projects.models import ChangeProject

    lead = User.objects.get(email="lead@shiftpractice.example")
    board = discussions.board_for_programme(Programme.objects.order_by("id").first())
    project = ChangeProject.objects.order_by("id").first()
    for i in range(2):
        discussions.thread_start(board=board, title=f"Admin walk {i}", body="Hello", actor=lead)
        discussions.comment_add(project=project, body=f"Comment {i}", actor=lead)
    digests_send()


REGISTERED = sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label)
ROWS = 3
# What model_bakery cannot guess: values the models' check constraints ask for.
BAKE_WITH = {
    "api.ApiToken": lambda: {"expires_at": timezone.now() + timezone.timedelta(days=30)},
    "reports.Report": lambda: {"kind": "final"},
    "reports.ReportVersion": lambda: {"report__kind": "final"},
}


def fill_every_changelist() -> None:
    baker.seed(ROWS)  # the same made-up values in every run
    for model, _model_admin in REGISTERED:
        wanted = ROWS - model._default_manager.count()
        if wanted > 0:
            extra = BAKE_WITH.get(model._meta.label, dict)()
            baker.make(model, _quantity=wanted, **extra)


def changelist_queries(client, url: str, model_admin, per_page: int) -> int:
    before = model_admin.list_per_page
    model_admin.list_per_page = per_page
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    finally:
        model_admin.list_per_page = before
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=[m._meta.label for m, _ in REGISTERED])
def test_a_changelist_runs_the_same_queries_for_one_row_and_for_many(demo, client, model, model_admin):
    rows = model._default_manager.count()
    assert rows >= ROWS, f"{model._meta.label}: {rows} row(s), too few to compare"
    staff = User.objects.get(email="admin@shiftpractice.example")
    client_for(client, staff)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    one = changelist_queries(client, url, model_admin, 1)
    many = changelist_queries(client, url, model_admin, 500)
    assert many == one, f"{model._meta.label}: {one} queries for one row, {many} for {min(rows, 500)}"

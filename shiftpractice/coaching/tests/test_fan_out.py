"""A thread on a programme's board tells every member, however many, from a background task: the request runs
the same queries for 10 members or 10,000, and the task tells each member once even when it runs twice."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from conftest import client_for
from shiftpractice.accounts.models import User
from shiftpractice.cohorts.models import Cohort, Membership
from shiftpractice.notifications import tasks
from shiftpractice.notifications.choices import Delivery
from shiftpractice.notifications.models import Broadcast, Notification, NotificationPreference

MEMBERS = 10_000


@pytest.fixture
def queued(settings):
    """Tasks wait in the database queue, as on the site, instead of running inside the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def add_members(programme, count: int, start: int) -> None:
    cohort = Cohort.objects.create(
        programme=programme,
        name=f"Big cohort {start}",
        slug=f"big-{start}",
        start_date="2024-01-01",
        end_date="2024-12-31",
        capacity=count,
    )
    users = User.objects.bulk_create(
        User(email=f"m{start + i}@example.org", full_name=f"Member {start + i}", password="!")
        for i in range(count)
    )
    Membership.objects.bulk_create(Membership(cohort=cohort, user=u, role="participant") for u in users)


def start_thread(client, programme, title: str) -> int:
    url = reverse("coaching:programme_board", args=[programme.slug])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"title": title, "body": "Shall we share our driver diagrams?"})
    assert response.status_code == 302
    return len(queries)


@pytest.mark.django_db
def test_a_thread_for_10000_members_costs_the_request_what_it_costs_for_ten(world, queued):
    lead = world.people["lead"]
    client = client_for(Client(), lead)
    add_members(world.programme, 10, start=0)
    client.get(reverse("coaching:programme_board", args=[world.programme.slug]))  # the board exists
    small = start_thread(client, world.programme, "First")

    add_members(world.programme, MEMBERS - 10, start=10)
    big = start_thread(client, world.programme, "Second")

    assert big == small
    assert not Notification.objects.filter(
        kind="discussion_thread"
    ).exists()  # nobody told inside the request
    news = Broadcast.objects.get(title__endswith="Second")
    queued_tasks = DBTaskResult.objects.filter(task_path=tasks.deliver_broadcast.module_path)
    assert queued_tasks.count() == 2

    # One member wants news straight away: their copy is emailed, everyone else's waits for the digest.
    keen = User.objects.get(email="m42@example.org")
    NotificationPreference.objects.create(user=keen, kind="discussion_thread", delivery=Delivery.IMMEDIATE)
    told = tasks.deliver_broadcast.call(broadcast_id=news.pk)
    audience = MEMBERS + 4  # the world's programme members, without the lead who started it
    assert told == audience
    assert Notification.objects.filter(broadcast=news).count() == audience
    assert not Notification.objects.filter(broadcast=news, recipient=lead).exists()
    keen_note = Notification.objects.get(broadcast=news, recipient=keen)
    assert keen_note.email is not None and keen_note.email.to_address == "m42@example.org"
    assert Notification.objects.filter(broadcast=news, email__isnull=False).count() == 1

    # Run again (a worker died after finishing, say): nobody is told twice.
    news.refresh_from_db()
    assert news.done_at is not None and news.told == audience
    Broadcast.objects.filter(pk=news.pk).update(done_at=None)  # even without the "done" mark
    assert tasks.deliver_broadcast.call(broadcast_id=news.pk) == 0
    assert Notification.objects.filter(broadcast=news).count() == audience
    assert Notification.objects.filter(broadcast=news, email__isnull=False).count() == 1

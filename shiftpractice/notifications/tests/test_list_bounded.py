"""The notifications page shows a page of the person's own notifications, filtered in the database."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONAS, client_for
from shiftpractice.core.tests.bounded import assert_bounded
from shiftpractice.notifications.models import Notification


def add(user, n: int, **fields) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="comment", title="A comment on your project", **fields)
        for _ in range(n)
    )


def test_500_notifications_make_the_page_of_50(client, world):
    participant = world.people["participant"]
    client_for(client, participant)
    assert_bounded(client, reverse("notifications:list"), lambda n: add(participant, n))


def test_unread_and_kind_filters_run_over_all_of_them(client, world):
    participant = world.people["participant"]
    add(participant, 40, read_at=timezone.now())
    Notification.objects.create(recipient=participant, kind="action_agreed", title="The one unread")
    client_for(client, participant)
    page = client.get(reverse("notifications:list"), {"show": "unread"}).content.decode()
    assert "The one unread" in page and "A comment on your project" not in page
    page = client.get(reverse("notifications:list"), {"kind": "comment", "page": "last"}).content.decode()
    assert "The one unread" not in page and "Showing 26 to 40 of 40 notifications" in page


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("participant", "anonymous")])
def test_no_parameter_lists_someone_elses_notifications(client, world, persona):
    add(world.people["participant"], 3)
    client_for(client, world.people[persona])
    for params in ({}, {"show": "all"}, {"show": "unread"}, {"kind": "comment"}, {"page": "last"}):
        page = client.get(reverse("notifications:list"), params).content.decode()
        assert "A comment on your project" not in page, params

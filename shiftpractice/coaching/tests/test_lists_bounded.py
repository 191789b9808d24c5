"""Threads, boards, the list of boards and the coach dashboard show a page of rows whatever the data, and no
search, sort, period or page parameter shows anyone what they may not read."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.coaching.models import CoachAssignment, Post, Thread
from shiftpractice.coaching.services import discussions
from shiftpractice.cohorts.models import Membership
from shiftpractice.cohorts.tests.bulk import add_cohorts
from shiftpractice.core.tests.bounded import assert_bounded, bulk_people

BODY = "<p>A reply of one length.</p>"


def add_posts(thread, author, n: int) -> None:
    Post.objects.bulk_create(
        Post(thread=thread, author=author, body="A reply of one length.", body_html=BODY) for _ in range(n)
    )


def add_threads(board, author, n: int) -> None:
    start = board.threads.count()
    now = timezone.now()
    Thread.objects.bulk_create(
        Thread(board=board, author=author, title=f"Thread {i:05d}", last_post_at=now - timedelta(minutes=i))
        for i in range(start, start + n)
    )


def test_a_thread_of_500_posts_is_the_size_of_one_of_50(client, coaching):
    people = coaching.people
    board = discussions.board_for_cohort(coaching.world.cohort)
    thread = discussions.thread_start(board=board, title="Busy", body="First", actor=people["participant"])
    client_for(client, people["peer"])
    assert_bounded(client, thread.get_absolute_url(), lambda n: add_posts(thread, people["peer"], n))
    last = client.get(thread.get_absolute_url(), {"page": "last"}).content.decode()
    assert "of 501 posts" in last and 'aria-current="page">26<' in last


def test_a_reply_goes_to_the_page_it_is_on(client, coaching):
    people = coaching.people
    board = discussions.board_for_cohort(coaching.world.cohort)
    thread = discussions.thread_start(board=board, title="Busy", body="First", actor=people["participant"])
    add_posts(thread, people["peer"], 45)
    client_for(client, people["peer"])
    response = client.post(thread.get_absolute_url(), {"body": "The newest reply"})
    post = thread.posts.get(body="The newest reply")
    assert response.url == f"{thread.get_absolute_url()}?page=3#post-{post.public_id}"
    assert "The newest reply" in client.get(response.url).content.decode()


def test_a_board_with_500_threads_is_the_size_of_one_with_50(client, coaching):
    people = coaching.people
    board = discussions.board_for_cohort(coaching.world.cohort)
    client_for(client, people["peer"])
    url = reverse("coaching:cohort_board", args=[coaching.world.cohort.slug])
    assert_bounded(client, url, lambda n: add_threads(board, people["participant"], n))
    page = client.get(url, {"q": "Thread 00321"}).content.decode()
    assert "Thread 00321" in page and "Thread 00001" not in page
    page = client.get(url, {"sort": "title", "page": "last"}).content.decode()
    assert "Thread 00499" in page and "Thread 00000" not in page


def test_the_list_of_boards_of_a_lead_of_500_cohorts_is_the_size_of_one_of_50(client, coaching):
    def grow(n):
        add_cohorts(coaching.world, n)

    client_for(client, coaching.people["lead"])
    assert_bounded(client, reverse("coaching:boards"), grow)


def test_a_dashboard_of_500_coachees_is_the_size_of_one_of_50(client, coaching):
    world, coach = coaching.world, coaching.people["coach"]
    today = timezone.localdate()

    def grow(n):
        people = bulk_people(n, "coachee")
        cohort = world.other_cohort
        Membership.objects.bulk_create(Membership(cohort=cohort, user=p, role="participant") for p in people)
        CoachAssignment.objects.bulk_create(
            CoachAssignment(cohort=cohort, coach=coach, participant=p, starts_on=today - timedelta(days=9))
            for p in people
        )

    client_for(client, coach)
    assert_bounded(client, reverse("coaching:dashboard"), grow)
    page = client.get(reverse("coaching:dashboard"), {"q": "Coachee 00444"}).content.decode()
    assert "Coachee 00444" in page and "Coachee 00001" not in page
    page = client.get(reverse("coaching:dashboard"), {"sort": "quiet"}).content.decode()
    assert "Current (501)" in page


@pytest.mark.parametrize("persona", ["participant", "peer", "other_participant", "lead", "outsider"])
def test_no_parameter_shows_another_coachs_coachees(client, coaching, persona):
    """Only the coach sees the people they coach; any period, search, sort or page shows others nothing."""
    client_for(client, coaching.people[persona])
    for params in (
        {},
        {"period": "ended"},
        {"period": "upcoming"},
        {"q": "Pat"},
        {"sort": "next", "page": "2"},
    ):
        page = client.get(reverse("coaching:dashboard"), params).content.decode()
        assert "Your coachees" not in page, params
    client_for(client, coaching.people["coach"])
    assert (
        "Pat Participant" in client.get(reverse("coaching:dashboard"), {"period": "bogus"}).content.decode()
    )


@pytest.mark.parametrize("persona", ["other_participant", "outsider"])
def test_no_parameter_opens_a_board_or_thread_to_someone_outside_it(client, coaching, persona):
    board = discussions.board_for_cohort(coaching.world.cohort)
    thread = discussions.thread_start(
        board=board, title="Ours", body="b", actor=coaching.people["participant"]
    )
    client_for(client, coaching.people[persona])
    board_url = reverse("coaching:cohort_board", args=[coaching.world.cohort.slug])
    assert client.get(board_url, {"q": "Ours", "sort": "title"}).status_code == 404
    assert client.get(thread.get_absolute_url(), {"page": "last"}).status_code == 404
    boards = client.get(reverse("coaching:boards"), {"q": "Cohort A", "page": "last"}).content.decode()
    assert "Cohort A discussions" not in boards


def add_entries(author, cohort, n: int, *, privacy: str = "private") -> None:
    from shiftpractice.coaching.models import JournalEntry

    start = JournalEntry.objects.filter(author=author).count()
    JournalEntry.objects.bulk_create(
        JournalEntry(
            author=author,
            cohort=cohort,
            privacy=privacy,
            title=f"Entry {i:05d}",
            body="b",
            body_html="<p>b</p>",
        )
        for i in range(start, start + n)
    )


@pytest.mark.parametrize("whose", ["mine", "shared"])
def test_a_journal_of_500_entries_is_the_size_of_one_of_50(client, coaching, whose):
    """Both lists of the journal's index, the person's own entries and those shared with them, show a page."""
    people, cohort = coaching.people, coaching.world.cohort
    if whose == "mine":
        reader = people["participant"]

        def grow(n):
            add_entries(reader, cohort, n)
    else:
        reader = people["peer"]

        def grow(n):
            add_entries(people["participant"], cohort, n, privacy="cohort")

    client_for(client, reader)
    assert_bounded(client, reverse("coaching:journal"), grow)
    param = "mine" if whose == "mine" else "page"
    page = client.get(reverse("coaching:journal"), {param: "last"}).content.decode()
    assert "Showing 476 to 500 of 500 entries" in page and "Entry 00000" in page


def test_no_page_of_the_journal_shows_a_private_entry_of_someone_else(client, coaching):
    people = coaching.people
    add_entries(people["participant"], coaching.world.cohort, 30)
    for persona in ("peer", "coach", "lead", "outsider"):
        client_for(client, people[persona])
        for params in ({}, {"page": "last"}, {"mine": "last"}, {"page": "2", "mine": "2"}):
            response = client.get(reverse("coaching:journal"), params)
            assert "Entry 00001" not in response.content.decode(), (persona, params)


def test_a_cohort_of_500_coachees_is_the_size_of_one_of_50_on_the_leads_overview(client, coaching):
    world, coach = coaching.world, coaching.people["coach"]
    today = timezone.localdate()
    cohort = world.other_cohort

    def grow(n):
        people = bulk_people(n, "coachee")
        Membership.objects.bulk_create(Membership(cohort=cohort, user=p, role="participant") for p in people)
        CoachAssignment.objects.bulk_create(
            CoachAssignment(cohort=cohort, coach=coach, participant=p, starts_on=today - timedelta(days=9))
            for p in people
        )

    client_for(client, coaching.people["lead"])
    url = reverse("coaching:cohort", args=[cohort.slug])
    assert_bounded(client, url, grow)
    page = client.get(url, {"page": "last"}).content.decode()
    assert "of 500 coachees" in page and "Coachee 00499" in page

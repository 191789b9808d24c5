"""Deleting a post, a comment or a reflection asks first (``core.confirm``): the page shows what goes, and only
the author's confirmed POST deletes it."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for
from shiftpractice.coaching.choices import Privacy
from shiftpractice.coaching.models import Comment, JournalEntry, Post
from shiftpractice.coaching.services import discussions, journal
from shiftpractice.core.models import AuditEvent
from shiftpractice.projects import services as project_services

CONFIRM = {"confirm": "yes"}


@pytest.fixture
def post(coaching):
    thread = discussions.thread_start(
        board=discussions.board_for_cohort(coaching.world.cohort),
        title="Room bookings",
        body="Does anyone know how to book **the seminar room**?",
        actor=coaching.people["participant"],
    )
    return thread.posts.get()


def test_deleting_a_post_shows_it_first_and_changes_nothing(client, coaching, post):
    client_for(client, coaching.people["participant"])
    thread_page = client.get(post.thread.get_absolute_url()).content.decode()
    url = reverse("coaching:post_delete", args=[post.public_id])
    assert f'href="{url}"' in thread_page and f'action="{url}"' not in thread_page  # a link, not a button
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and "Delete your post?" in body
    assert "<strong>the seminar room</strong>" in body and "“Room bookings”" in body
    assert "Yes, delete it" in body and post.thread.get_absolute_url() in body
    before = AuditEvent.objects.count()
    assert client.post(url, {}).status_code == 200  # not confirmed: asked again
    post.refresh_from_db()
    assert post.deleted_at is None and AuditEvent.objects.count() == before
    assert client.post(url, CONFIRM).status_code == 302
    post.refresh_from_db()
    assert post.deleted_at and post.body == "" and Post.objects.filter(pk=post.pk).exists()
    assert AuditEvent.objects.filter(verb="post.deleted").count() == 1
    assert client.get(url).status_code == 403  # a deleted post cannot be deleted again


def test_deleting_a_reflection_shows_it_first(client, coaching):
    entry = journal.entry_create(
        author=coaching.people["participant"],
        cohort=coaching.world.cohort,
        title="What the walk taught me",
        body="Words",
        privacy=Privacy.COACH,
    )
    client_for(client, coaching.people["participant"])
    url = reverse("coaching:journal_delete", args=[entry.public_id])
    assert f'href="{url}"' in client.get(entry.get_absolute_url()).content.decode()
    body = client.get(url).content.decode()
    assert "Delete your reflection “What the walk taught me”?" in body
    assert "Who can read it now: Me and my coach." in body and "download your journal" in body
    client.post(url, {})
    assert JournalEntry.objects.filter(pk=entry.pk).exists()
    response = client.post(url, CONFIRM)
    assert response.status_code == 302 and response.url == reverse("coaching:journal")
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(verb="journal_entry.deleted").count() == 1


@pytest.fixture
def comment(coaching):
    project_services.project_update(
        project=coaching.project, visibility="programme", actor=coaching.people["participant"]
    )
    return discussions.comment_add(
        project=coaching.project, body="Have you asked the *pharmacist*?", actor=coaching.people["coach"]
    )


def test_deleting_a_comment_shows_it_first(client, coaching, comment):
    client_for(client, coaching.people["coach"])
    url = reverse("coaching:comment_delete", args=[comment.public_id])
    assert f'href="{url}"' in client.get(coaching.project.get_absolute_url()).content.decode()
    body = client.get(url).content.decode()
    assert "Delete your comment?" in body and "<em>pharmacist</em>" in body
    client.post(url, {})
    comment.refresh_from_db()
    assert comment.deleted_at is None
    response = client.post(url, CONFIRM)
    assert response.url == coaching.project.get_absolute_url() + "#comments"
    comment.refresh_from_db()
    assert comment.deleted_at and comment.body == ""


# The project is the programme's to read: everyone in it may see the comment, only its author deletes it.
COMMENT_EXPECTED = {
    "coach": 200,
    "participant": 403,
    "peer": 403,
    "lead": 403,
    "critical_friend": 403,
    "other_participant": 403,
    "outsider": 404,
    "superuser": 404,
    "anonymous": 302,
}


def test_only_its_author_reaches_a_comment_s_confirmation(coaching, comment):
    url = reverse("coaching:comment_delete", args=[comment.public_id])
    for persona, expected in COMMENT_EXPECTED.items():
        client = client_for(Client(), coaching.user(persona))
        assert client.get(url).status_code == expected, persona
        if persona != "coach":
            assert client.post(url, CONFIRM).status_code == expected, persona
    comment.refresh_from_db()
    assert comment.deleted_at is None and Comment.objects.count() == 1


def test_the_confirmations_run_a_fixed_number_of_queries(
    client, coaching, post, django_assert_max_num_queries
):
    client_for(client, coaching.people["participant"])
    for _ in range(20):
        discussions.post_reply(thread=post.thread, body="More", actor=coaching.people["peer"], quiet=True)
    with django_assert_max_num_queries(10):
        client.get(reverse("coaching:post_delete", args=[post.public_id]))

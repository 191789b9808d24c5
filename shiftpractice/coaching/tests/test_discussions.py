"""Discussion boards, posts (sanitised markdown, own edits, soft delete, hiding with a reason) and comments
on projects and PDSA cycles that follow the project's visibility."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from shiftpractice.coaching.models import Board, Comment, Post, Thread
from shiftpractice.coaching.services import discussions
from shiftpractice.notifications.models import Notification
from shiftpractice.projects import services as project_services


def test_a_thread_and_replies_with_markdown_sanitised(client, coaching, world):
    client_for(client, coaching.people["participant"])
    board_url = reverse("coaching:cohort_board", args=[world.cohort.slug])
    response = client.post(
        board_url, {"title": "Green inhalers", "body": "**Bold** <script>alert(1)</script>"}
    )
    thread = Thread.objects.get()
    assert response.url == thread.get_absolute_url()
    assert Board.objects.get().cohort == world.cohort  # made lazily, once
    post = thread.posts.get()
    assert "<strong>Bold</strong>" in post.body_html and "<script>" not in post.body_html
    assert Notification.objects.filter(kind="discussion_thread", recipient=coaching.people["peer"]).exists()

    client_for(client, coaching.people["peer"])
    client.post(thread.get_absolute_url(), {"body": "Count me in"})
    assert Notification.objects.filter(
        kind="discussion_reply", recipient=coaching.people["participant"]
    ).exists()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Count me in" in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("body", ["", "   ", "\n\t \n"])
def test_a_post_of_only_whitespace_is_refused(client, coaching, world, body):
    client_for(client, coaching.people["participant"])
    response = client.post(
        reverse("coaching:cohort_board", args=[world.cohort.slug]), {"title": "T", "body": body}
    )
    assert response.status_code == 400 and not Thread.objects.exists()
    thread = discussions.thread_start(
        board=discussions.board_for_cohort(world.cohort),
        title="T",
        body="b",
        actor=coaching.people["participant"],
    )
    response = client.post(thread.get_absolute_url(), {"body": body})
    assert response.status_code == 400 and thread.posts.count() == 1


def test_people_edit_and_delete_their_own_posts_only(client, coaching, world):
    thread = discussions.thread_start(
        board=discussions.board_for_cohort(world.cohort),
        title="T",
        body="first",
        actor=coaching.people["participant"],
    )
    post = thread.posts.get()
    client_for(client, coaching.people["peer"])
    assert (
        client.post(reverse("coaching:post_edit", args=[post.public_id]), {"body": "hijack"}).status_code
        == 403
    )
    client_for(client, coaching.people["participant"])
    client.post(reverse("coaching:post_edit", args=[post.public_id]), {"body": "edited *text*"})
    post.refresh_from_db()
    assert post.body == "edited *text*" and post.edited_at and "<em>text</em>" in post.body_html
    client.post(reverse("coaching:post_delete", args=[post.public_id]))
    post.refresh_from_db()
    assert post.deleted_at and post.body == "" and Post.objects.filter(pk=post.pk).exists()
    assert "deleted by its author" in client.get(thread.get_absolute_url()).content.decode()


def test_the_lead_hides_a_post_with_a_reason_everyone_sees(client, coaching, world):
    thread = discussions.thread_start(
        board=discussions.board_for_cohort(world.cohort),
        title="T",
        body="rude words",
        actor=coaching.people["participant"],
    )
    post = thread.posts.get()
    client_for(client, coaching.people["lead"])
    url = reverse("coaching:post_hide", args=[post.public_id])
    assert client.post(url, {"reason": "  "}).status_code == 400
    assert client.post(url, {"reason": "Personal details of a patient"}).status_code == 302
    client_for(client, coaching.people["peer"])
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "rude words" not in page and "Personal details of a patient" in page
    assert Notification.objects.filter(kind="post_hidden", recipient=coaching.people["participant"]).exists()
    with pytest.raises(ValidationError):
        discussions.post_hide(post=post, reason="", actor=coaching.people["lead"])


def test_comments_follow_the_project_visibility(client, coaching):
    project, cycle, people = coaching.project, coaching.cycle, coaching.people
    client_for(client, people["coach"])
    client.post(reverse("coaching:comment_add", args=[project.public_id]), {"body": "Nice aim"})
    client.post(
        reverse("coaching:comment_add", args=[project.public_id]),
        {"body": "On the cycle", "cycle": cycle.number},
    )
    assert Comment.objects.filter(cycle=cycle).count() == 1
    assert Notification.objects.filter(kind="comment", recipient=people["participant"]).count() == 2
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Nice aim" in page and "On the cycle" not in page
    assert "On the cycle" in client.get(cycle.get_absolute_url()).content.decode()

    client_for(client, people["peer"])  # the project is for its team and coach only
    assert (
        client.post(reverse("coaching:comment_add", args=[project.public_id]), {"body": "x"}).status_code
        == 404
    )
    project_services.project_update(project=project, actor=people["participant"], visibility="cohort")
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Nice aim" in page and "Post the comment" in page
    assert (
        client.post(reverse("coaching:comment_add", args=[project.public_id]), {"body": "   "}).status_code
        == 302
    )
    assert Comment.objects.count() == 2  # the empty one was refused

    comment = Comment.objects.get(body="Nice aim")
    assert client.post(reverse("coaching:comment_delete", args=[comment.public_id])).status_code == 403
    client_for(client, people["coach"])
    client.post(reverse("coaching:comment_delete", args=[comment.public_id]))
    comment.refresh_from_db()
    assert comment.deleted_at and comment.body == ""

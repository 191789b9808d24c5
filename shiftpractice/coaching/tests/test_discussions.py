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

# The personas' world is built once for the module; each test's writes are rolled back (root conftest.py).
pytestmark = pytest.mark.world_per_module


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
    client.post(reverse("coaching:post_delete", args=[post.public_id]), {"confirm": "yes"})
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
    delete = reverse("coaching:comment_delete", args=[comment.public_id])
    assert client.post(delete, {"confirm": "yes"}).status_code == 403
    client_for(client, people["coach"])
    client.post(delete, {"confirm": "yes"})
    comment.refresh_from_db()
    assert comment.deleted_at and comment.body == ""


@pytest.fixture
def public_project(coaching):
    """The participant's project, published with a lead's approval, with a comment from the coach."""
    project, people = coaching.project, coaching.people
    project_services.project_update(project=project, actor=people["participant"], visibility="public")
    project_services.project_approve_public(project=project, actor=people["lead"])
    discussions.comment_add(project=project, body="TEAM-COMMENT on the aim", actor=people["coach"])
    discussions.comment_add(
        project=project, cycle=coaching.cycle, body="TEAM-COMMENT on the cycle", actor=people["coach"]
    )
    return project


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_a_published_project_shows_its_readers_no_comments_and_takes_none_from_them(
    client, coaching, public_project, persona
):
    user = coaching.user(persona)
    client_for(client, user)
    for url in (public_project.get_absolute_url(), coaching.cycle.get_absolute_url()):
        response = client.get(url)
        body = response.content.decode()
        if url == coaching.cycle.get_absolute_url():  # not part of the public face: refused to the public
            assert response.status_code == (302 if user is None else 404)
            continue
        assert response.status_code == 200, url  # the published story is theirs to read
        assert "TEAM-COMMENT" not in body and "Post the comment" not in body
        assert "Comments are shown to signed-in members of the programme" in body
    add = reverse("coaching:comment_add", args=[public_project.public_id])
    for data in ({"body": "drive-by"}, {"body": "drive-by", "cycle": coaching.cycle.number}):
        response = client.post(add, data)
        assert response.status_code == (404 if user else 302)
    assert not Comment.objects.filter(body__contains="drive-by").exists()
    theirs = Comment.objects.create(project=public_project, author=user, body="old", body_html="<p>old</p>")
    response = client.post(reverse("coaching:comment_delete", args=[theirs.public_id]), {"confirm": "yes"})
    assert response.status_code == (404 if user else 302)
    theirs.refresh_from_db()
    assert theirs.deleted_at is None


def test_the_programme_still_comments_on_a_published_project(client, coaching, public_project):
    client_for(client, coaching.people["other_participant"])  # another cohort of the same programme
    assert "TEAM-COMMENT on the aim" in client.get(public_project.get_absolute_url()).content.decode()
    client.post(reverse("coaching:comment_add", args=[public_project.public_id]), {"body": "From cohort B"})
    assert Comment.objects.filter(body="From cohort B").exists()


@pytest.mark.parametrize("cycle", ["abc", "1.5", "-1", "\u0661", "9" * 30, " 1 1"])
def test_a_comment_on_a_cycle_that_is_not_a_number_is_a_bad_request(client, coaching, cycle):
    client_for(client, coaching.people["participant"])
    url = reverse("coaching:comment_add", args=[coaching.project.public_id])
    response = client.post(url, {"body": "On which cycle?", "cycle": cycle})
    assert response.status_code == 400
    assert "not a cycle number" in response.content.decode()
    assert client.post(url, {"body": "On which cycle?", "cycle": "99"}).status_code == 404
    assert not Comment.objects.exists()
    client.post(url, {"body": "On the first", "cycle": f" {coaching.cycle.number} "})
    assert Comment.objects.get().cycle == coaching.cycle


def test_the_board_counts_each_threads_live_replies(client, coaching):
    people = coaching.people
    board = discussions.board_for_cohort(coaching.world.cohort)
    busy = discussions.thread_start(board=board, title="Busy", body="Opening", actor=people["participant"])
    for n in range(3):
        discussions.post_reply(thread=busy, body=f"Reply {n}", actor=people["peer"])
    discussions.post_delete(post=busy.posts.order_by("-id").first(), actor=people["peer"])
    discussions.thread_start(board=board, title="Quiet", body="Anyone?", actor=people["participant"])
    client_for(client, people["participant"])
    page = client.get(board.get_absolute_url()).content.decode()
    assert "2 replies" in page and "0 replies" in page and "3 replies" not in page

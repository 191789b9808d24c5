"""Writes on discussion boards and comments. Markdown is rendered and sanitised once, on write."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shiftpractice.accounts.models import User
from shiftpractice.core.audit import audit
from shiftpractice.core.text import render_markdown
from shiftpractice.notifications.broadcasts import broadcast
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import notify

from ..models import Board, Comment, Post, Thread

MAX_POST = 20_000


def _clean_body(body: str, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({field: "Write something: the post is empty."})
    if len(body) > MAX_POST:
        raise ValidationError({field: f"Keep it under {MAX_POST:,} characters."})
    return body


def board_for_cohort(cohort) -> Board:
    board, _ = Board.objects.get_or_create(cohort=cohort)
    return board


def board_for_programme(programme) -> Board:
    board, _ = Board.objects.get_or_create(programme=programme)
    return board


def board_audience(key: str):
    """The people a new thread on board ``key`` is told to (``notifications.broadcasts``)."""
    board = Board.objects.select_related("cohort").filter(pk=key).first()
    return board_people(board) if board else User.objects.none()


def thread_audience(key: str):
    """The people a reply in thread ``key`` is told to: everyone who has posted in it."""
    return User.objects.filter(
        pk__in=Post.objects.filter(thread_id=key, deleted_at__isnull=True).values("author_id")
    )


def board_people(board: Board):
    """Everyone who reads the board: the cohort's (or programme's) members and the programme's leads."""
    if board.cohort_id:
        return User.objects.filter(
            Q(memberships__cohort_id=board.cohort_id) | Q(led_programmes__id=board.cohort.programme_id)
        ).distinct()
    return User.objects.filter(
        Q(memberships__cohort__programme_id=board.programme_id) | Q(led_programmes__id=board.programme_id)
    ).distinct()


@transaction.atomic
def thread_start(*, board: Board, title: str, body: str, actor, quiet: bool = False) -> Thread:
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Give the thread a title."
    try:
        body = _clean_body(body)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    thread = Thread.objects.create(board=board, title=title.strip(), author=actor, last_post_at=now)
    Post.objects.create(thread=thread, author=actor, body=body, body_html=render_markdown(body))
    audit(actor=actor, verb="thread.started", obj=thread, summary=thread.title)
    if quiet:
        return thread
    # Everyone who reads the board (a programme's may hold thousands): told by a background task, in batches.
    broadcast(
        audience="board",
        key=board.pk,
        kind=Kind.DISCUSSION_THREAD,
        title=f"New thread on {board.name}: {thread.title}",
        url=thread.get_absolute_url(),
        actor=actor,
    )
    return thread


@transaction.atomic
def post_reply(*, thread: Thread, body: str, actor, quiet: bool = False) -> Post:
    body = _clean_body(body)
    post = Post.objects.create(thread=thread, author=actor, body=body, body_html=render_markdown(body))
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
    audit(actor=actor, verb="post.created", obj=post, summary=thread.title)
    if quiet:
        return post
    broadcast(
        audience="thread",
        key=thread.pk,
        kind=Kind.DISCUSSION_REPLY,
        title=f"{actor} replied in “{thread.title}”",
        url=thread.get_absolute_url() + f"#post-{post.public_id}",
        actor=actor,
    )
    return post


@transaction.atomic
def post_edit(*, post: Post, body: str, actor) -> Post:
    if post.author_id != actor.pk or post.deleted_at:
        raise ValidationError("You can only edit your own posts.")
    body = _clean_body(body)
    post.body, post.body_html, post.edited_at = body, render_markdown(body), timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at", "updated_at"])
    audit(actor=actor, verb="post.edited", obj=post)
    return post


@transaction.atomic
def post_delete(*, post: Post, actor) -> Post:
    """Delete your own post: its words go, a "deleted" line keeps the thread readable."""
    if post.author_id != actor.pk:
        raise ValidationError("You can only delete your own posts.")
    post.deleted_at = timezone.now()
    post.body = post.body_html = ""
    post.save(update_fields=["deleted_at", "body", "body_html", "updated_at"])
    audit(actor=actor, verb="post.deleted", obj=post)
    return post


@transaction.atomic
def post_hide(*, post: Post, reason: str, actor) -> Post:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why you are hiding the post: its author and readers see it."})
    post.hidden_at, post.hidden_by, post.hidden_reason = timezone.now(), actor, reason[:300]
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit(actor=actor, verb="post.hidden", obj=post, summary=reason[:200])
    if post.author_id:
        notify(
            recipients=[post.author],
            kind=Kind.POST_HIDDEN,
            title=f"A programme lead hid your post in “{post.thread.title}”",
            body=f"The reason given: {reason}",
            url=post.thread.get_absolute_url(),
            actor=actor,
        )
    return post


@transaction.atomic
def comment_add(*, project, cycle=None, body: str, actor) -> Comment:
    body = _clean_body(body)
    comment = Comment.objects.create(
        project=project, cycle=cycle, author=actor, body=body, body_html=render_markdown(body)
    )
    audit(actor=actor, verb="comment.created", obj=comment, summary=str(cycle or project))
    team = [project.owner, *[m.user for m in project.members.select_related("user")]]
    target = cycle or project
    notify(
        recipients=team,
        kind=Kind.COMMENT,
        title=f"{actor} commented on {target}",
        url=target.get_absolute_url() + "#comments",
        actor=actor,
    )
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor) -> Comment:
    if comment.author_id != actor.pk:
        raise ValidationError("You can only delete your own comments.")
    comment.deleted_at = timezone.now()
    comment.body = comment.body_html = ""
    comment.save(update_fields=["deleted_at", "body", "body_html", "updated_at"])
    audit(actor=actor, verb="comment.deleted", obj=comment)
    return comment

"""Discussion boards (cohort and programme), threads, posts, moderation, and comments on projects."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST

from shiftpractice.cohorts.models import Cohort
from shiftpractice.core import paging
from shiftpractice.core.access import deny_unless
from shiftpractice.core.confirm import Removal, confirm_removal
from shiftpractice.core.forms import add_service_errors
from shiftpractice.programmes.models import Programme
from shiftpractice.projects.models import ChangeProject
from shiftpractice.projects.permissions import get_project_for_user

from ..forms import CommentForm, HideForm, PostForm, ThreadForm
from ..models import Comment, Post
from ..permissions import (
    can_moderate,
    get_cohort_board_cohort,
    get_post_for_user,
    get_programme_board_programme,
    get_thread_for_user,
)
from ..services import discussions as services
from .common import form_page

THREAD_SORTS = {
    "active": ("Latest post first", ("-last_post_at", "-id")),
    "new": ("Newest thread first", ("-created_at", "-id")),
    "title": ("Title, A to Z", ("title", "id")),
}


def board_list(request: HttpRequest) -> HttpResponse:
    """The boards the person may open: every programme's, then a page of their cohorts' (a lead may have
    hundreds), searched by name in the database."""
    params = {"q": paging.search_term(request)}
    cohorts = Cohort.objects.visible_to(request.user).select_related("programme").order_by("start_date", "id")
    if params["q"]:
        cohorts = cohorts.filter(name__icontains=params["q"])
    programmes = Programme.objects.visible_to(request.user).order_by("name")
    return render(
        request,
        "coaching/discussions/list.html",
        {
            "cohorts": paging.paginate(request, cohorts, params=params),
            "programmes": paging.paginate(request, programmes, page_param="programmes"),
            "params": params,
        },
    )


def _board_page(request, board, *, title: str, back_url: str) -> HttpResponse:
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(board=board, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your thread is posted.")
            return redirect(thread)
    params = {
        "q": paging.search_term(request),
        "sort": paging.choice(request, "sort", THREAD_SORTS, "active"),
    }
    threads = board.threads.all()
    if params["q"]:
        threads = threads.filter(title__icontains=params["q"])
    threads = paging.paginate(
        request,
        threads.select_related("author").order_by(*THREAD_SORTS[params["sort"]][1]),
        params=params,
        anchor="threads",
    )
    # The replies of the page's threads only, counted once the page is chosen: as a subquery of the list,
    # PostgreSQL counted them for every thread of the board before sorting (9 ms at 1,000 threads).
    shown = list(threads.object_list)
    live = dict(
        Post.objects.filter(thread__in=shown, deleted_at__isnull=True)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values_list("thread", "n")
    )
    for thread in shown:
        thread.replies = live.get(thread.pk, 0) - 1  # (the first post is the thread's, not a reply)
    threads.object_list = shown
    return render(
        request,
        "coaching/discussions/board.html",
        {
            "board": board,
            "threads": threads,
            "params": params,
            "sorts": [(k, label) for k, (label, _order) in THREAD_SORTS.items()],
            "form": form,
            "title": title,
            "back_url": back_url,
        },
        status=400 if form.errors else 200,
    )


def cohort_board(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_board_cohort(request.user, slug)
    board = services.board_for_cohort(cohort)
    board.cohort = cohort
    return _board_page(request, board, title=f"{cohort.name} discussions", back_url=cohort.get_absolute_url())


def programme_board(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_board_programme(request.user, slug)
    board = services.board_for_programme(programme)
    board.programme = programme
    return _board_page(
        request, board, title=f"{programme.name} discussions", back_url=programme.get_absolute_url()
    )


POSTS_PER_PAGE = 20


def post_url(post) -> str:
    """The address of a post: the page of its thread it is on (oldest first), at the post."""
    before = (
        Post.objects.filter(thread_id=post.thread_id)
        .filter(Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, id__lt=post.pk))
        .count()
    )
    page = paging.page_of_position(before, POSTS_PER_PAGE)
    return f"{post.thread.get_absolute_url()}?page={page}#post-{post.public_id}"


def thread_detail(request: HttpRequest, public_id) -> HttpResponse:
    thread = get_thread_for_user(request.user, public_id)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_reply(thread=thread, body=form.cleaned_data["body"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your reply is posted.")
            return redirect(post_url(post))
    posts = thread.posts.select_related("author", "hidden_by").order_by("created_at", "id")
    return render(
        request,
        "coaching/discussions/thread.html",
        {
            "thread": thread,
            "posts": paging.paginate(request, posts, per_page=POSTS_PER_PAGE),
            "form": form,
            "can_moderate": can_moderate(request.user, thread.board),
        },
        status=400 if form.errors else 200,
    )


def post_edit(request: HttpRequest, public_id) -> HttpResponse:
    post = get_post_for_user(request.user, public_id, own=True)
    form = PostForm(request.POST or None, initial={"body": post.body})
    form.fields["body"].label = "Your post"
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(post=post, body=form.cleaned_data["body"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your post is saved.")
            return redirect(post_url(post))
    return form_page(request, form, title="Edit your post", back_url=post_url(post))


def post_delete(request: HttpRequest, public_id) -> HttpResponse:
    """Confirm, then delete your own post (``core.confirm``)."""
    post = get_post_for_user(request.user, public_id, own=True)
    back = post_url(post)
    removal = Removal(
        title="Delete your post?",
        cancel_url=back,
        button="Yes, delete it",
        quote_html=post.body_html,  # rendered and sanitised once, on write
        details=[
            f"Your post of {date_format(localtime(post.created_at), 'j M Y, H:i')} in “{post.thread.title}”. Its "
            "words go for good; the thread keeps a line saying a post was deleted by its author, so the "
            "replies still read in order."
        ],
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.post_delete(post=post, actor=request.user),
        done_url=back,
        done_message="Your post is deleted.",
    )


def post_hide(request: HttpRequest, public_id) -> HttpResponse:
    post = get_post_for_user(request.user, public_id, moderate=True)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_hide(post=post, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The post is hidden, with your reason shown in its place.")
            return redirect(post_url(post))
    return form_page(
        request,
        form,
        title="Hide a post",
        intro="The post's words are hidden from everyone; your reason is shown in its place.",
        submit="Hide the post",
        back_url=post_url(post),
        template="coaching/discussions/hide.html",
        post=post,
    )


def _project_for_comments(user, public_id) -> ChangeProject:
    """Comments are a conversation among the programme's people: a project someone reads only because it is
    published is not one they may read or write comments on (404, as for any page beyond the public face)."""
    return get_project_for_user(user, public_id)


@require_POST
def comment_add(request: HttpRequest, public_id) -> HttpResponse:
    """Anyone signed in who can read the project (other than as a published project) may comment on it or on
    one of its cycles."""
    project = _project_for_comments(request.user, public_id)
    cycle = None
    number = request.POST.get("cycle", "").strip()
    if number:
        if not (number.isascii() and number.isdigit() and len(number) <= 6):
            return HttpResponseBadRequest("The PDSA cycle to comment on is not a cycle number.")
        cycle = get_object_or_404(project.cycles, number=int(number))
    target = cycle or project
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                project=project, cycle=cycle, body=form.cleaned_data["body"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Your comment is posted.")
    else:
        messages.error(request, "Write something: the comment is empty.")
    return redirect(target.get_absolute_url() + "#comments")


def comment_delete(request: HttpRequest, public_id) -> HttpResponse:
    """Confirm, then delete your own comment (``core.confirm``)."""
    comment = get_object_or_404(Comment.objects.select_related("project", "cycle"), public_id=public_id)
    project = _project_for_comments(request.user, comment.project.public_id)
    deny_unless(comment.author_id == request.user.pk and comment.deleted_at is None)
    target = comment.cycle or project
    back = target.get_absolute_url() + "#comments"
    removal = Removal(
        title="Delete your comment?",
        cancel_url=back,
        button="Yes, delete it",
        quote_html=comment.body_html,  # rendered and sanitised once, on write
        details=[
            f"Your comment of {date_format(localtime(comment.created_at), 'j M Y, H:i')} on {target}. Its words "
            "go for good; a line saying a comment was deleted stays in its place."
        ],
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.comment_delete(comment=comment, actor=request.user),
        done_url=back,
        done_message="Your comment is deleted.",
    )

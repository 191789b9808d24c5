"""The reflective journal. Every read goes through ``JournalEntry.objects.visible_to``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

from shiftpractice.cohorts.models import Membership
from shiftpractice.content import selectors as content_selectors
from shiftpractice.content.choices import Kind as ContentKind
from shiftpractice.core import paging
from shiftpractice.core.confirm import Removal, confirm_removal
from shiftpractice.core.forms import add_service_errors

from ..forms import JournalEntryForm
from ..models import JournalEntry, PeerGroup
from ..permissions import get_entry_for_user
from ..prompts import reflection_prompts, timely_prompts
from ..selectors import cohort_workshops
from ..services import journal as services
from ..services.journal import WRITERS


def _writer_memberships(user) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, role__in=WRITERS)
        .select_related("cohort", "cohort__programme")
        .order_by("-cohort__start_date")
    )


def journal_index(request: HttpRequest) -> HttpResponse:
    memberships = _writer_memberships(request.user)
    cohorts = [m.cohort for m in memberships]
    workshops = cohort_workshops(cohorts) if cohorts else []
    now = timezone.now()
    prompt_sets = []
    for cohort in cohorts:
        model = content_selectors.model_for_cohort(cohort)
        own = [w for w in workshops if any(c.pk == cohort.pk for c in w.cohorts.all())]
        timely = timely_prompts(model, cohort, own, now)
        timely_slugs = {t.item.slug for t in timely}
        prompt_sets.append(
            {
                "cohort": cohort,
                "timely": timely,
                "others": [p for p in reflection_prompts(model) if p.slug not in timely_slugs],
            }
        )
    visible = (
        JournalEntry.objects.visible_to(request.user)
        .select_related("author", "cohort", "peer_group")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "coaching/journal/index.html",
        {
            "mine": paging.paginate(
                request, visible.filter(author=request.user), page_param="mine", anchor="your-entries"
            ),
            "shared": paging.paginate(
                request, visible.exclude(author=request.user), anchor="shared-with-you"
            ),
            "prompt_sets": prompt_sets,
            "can_write": bool(memberships),
        },
    )


def journal_new(request: HttpRequest) -> HttpResponse:
    memberships = _writer_memberships(request.user)
    if not memberships:
        raise Http404("You are not in a cohort where you can keep a journal.")
    slug = request.GET.get("cohort") or request.POST.get("cohort")
    membership = next((m for m in memberships if m.cohort.slug == slug), memberships[0])
    cohort = membership.cohort
    prompt = None
    prompt_slug = request.GET.get("prompt", "")
    if prompt_slug:
        model = content_selectors.model_for_cohort(cohort)
        prompt = model.by_slug.get(prompt_slug) if model else None
        if prompt is None or prompt.kind != ContentKind.PROMPT:
            raise Http404("That prompt is not in your cohort's model.")
    groups = PeerGroup.objects.filter(cohort=cohort, members__user=request.user)
    form = JournalEntryForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.entry_create(
                author=request.user,
                cohort=cohort,
                title=data["title"],
                body=data["body"],
                privacy=data["privacy"],
                tags=data["tags"],
                peer_group=data.get("peer_group"),
                prompt=prompt,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Saved. {entry.get_privacy_display()} can read it.")
            return redirect(entry)
    return render(
        request,
        "coaching/journal/form.html",
        {
            "form": form,
            "prompt": prompt,
            "cohort": cohort,
            "memberships": memberships,
            "title": "Write a reflection",
        },
        status=400 if form.errors else 200,
    )


def journal_entry(request: HttpRequest, public_id) -> HttpResponse:
    entry = get_entry_for_user(request.user, public_id)
    prompt = content_selectors.item_for_ref(entry.prompt_ref) if entry.prompt_ref else None
    return render(
        request,
        "coaching/journal/entry.html",
        {"entry": entry, "prompt": prompt, "is_author": entry.author_id == request.user.pk},
    )


def journal_edit(request: HttpRequest, public_id) -> HttpResponse:
    entry = get_entry_for_user(request.user, public_id, write=True)
    groups = PeerGroup.objects.filter(cohort=entry.cohort, members__user=request.user)
    initial = {
        "title": entry.title,
        "body": entry.body,
        "tags": ", ".join(entry.tags),
        "privacy": entry.privacy,
        "peer_group": entry.peer_group,
    }
    form = JournalEntryForm(request.POST or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.entry_update(
                entry=entry,
                actor=request.user,
                title=data["title"],
                body=data["body"],
                privacy=data["privacy"],
                tags=data["tags"],
                peer_group=data.get("peer_group"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your reflection is saved.")
            return redirect(entry)
    return render(
        request,
        "coaching/journal/form.html",
        {"form": form, "entry": entry, "cohort": entry.cohort, "title": "Edit your reflection"},
        status=400 if form.errors else 200,
    )


def journal_delete(request: HttpRequest, public_id) -> HttpResponse:
    """Confirm, then delete your own reflection (``core.confirm``)."""
    entry = get_entry_for_user(request.user, public_id, write=True)
    written = date_format(localtime(entry.created_at), "j F Y")
    removal = Removal(
        title=f"Delete your reflection “{entry.title}”?",
        cancel_url=entry.get_absolute_url(),
        button="Yes, delete it",
        details=[
            f"You wrote it on {written}. Who can read it now: {entry.get_privacy_display()}.",
            "Deleting it cannot be undone: it goes from your journal and from everyone it is shared with. To "
            "keep a copy, download your journal first (the link is on the journal page).",
        ],
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.entry_delete(entry=entry, actor=request.user),
        done_url=reverse("coaching:journal"),
        done_message="The reflection is deleted.",
    )


def journal_export(request: HttpRequest) -> HttpResponse:
    """Download your own journal as a markdown file: only entries you wrote, whatever their privacy."""
    entries = list(
        JournalEntry.objects.visible_to(request.user)
        .filter(author=request.user)
        .select_related("cohort")
        .order_by("created_at")
    )
    text = render_to_string("coaching/journal/export.md", {"entries": entries, "user": request.user})
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-journal.md"'
    response["Cache-Control"] = "private, no-store"
    return response

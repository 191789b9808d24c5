"""The QI story as a PDF: drawn once per version of the project, in the background, and kept in storage.

A PDF takes seconds of CPU (tens of seconds for long measures), and anonymous visitors reach public projects'
PDFs, so a request never draws one itself: it serves the stored PDF of the project's current version, or asks
the task worker for it (``tasks.build_story_pdf``) and shows a short "Preparing your PDF" page that works
without JavaScript. The version is everything the PDF shows (``version``): the project's ``updated_at``, which
every projects service that changes the story moves (``touch_project``); what apps above this one add (the
measures' data versions and chart settings, registered through ``register_version_source``); the audience
(people in the programme see the influence map, the public does not); and the day, so the "Exported" date
and any renamed person are at most a day old. One build at a time per project, whatever the version or the
audience: a lease on the project's ``StoryPdfBuild`` row, claimed with one conditional UPDATE, holds the task's
id while it is queued or running (``request_build``), so concurrent requests on any number of processes never
start a second build. Each chart is drawn at its window (the latest points, ``measures.charts.window``), so
a build's cost does not grow with the data. Visitors are rate limited (``allow_visitor``): a public project's
PDF cannot be used to keep the server busy.

WeasyPrint never fetches over HTTP: ``StaticFilesFetcher`` serves our static files from disk and refuses every
other address, so a PDF never calls back into the app, nor leaves the machine.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from shiftpractice.core import ratelimit
from shiftpractice.core.pdf import html_to_pdf, static_files_fetcher  # noqa: F401 (the print tests read it here)

from .models import ChangeProject, StoryPdfBuild
from .permissions import reads_private_parts

logger = logging.getLogger(__name__)

# Raise when the PDF's templates or styles change, so no stored PDF of the old look is served again.
PDF_VERSION = 3  # 3: charts printed at a window of their points, fixed-layout tables
FOLDER = "story-pdfs"
# How long a claimed build may take before another request may ask for it again (a worker that died).
BUILD_LEASE_SECONDS = 10 * 60
PROGRAMME, PUBLIC = "programme", "public"

# Apps above this one add to the version without this app importing them (measures: its data versions and
# the programme's chart settings). Each takes a project and returns a string.
VERSION_SOURCES: list[Callable[[ChangeProject], str]] = []


def register_version_source(source: Callable[[ChangeProject], str]) -> None:
    """Called from an AppConfig.ready(); registering the same source twice has no effect."""
    if source not in VERSION_SOURCES:
        VERSION_SOURCES.append(source)


def audience_for(user, project: ChangeProject) -> str:
    """Which PDF the person gets: people who read the project beyond its public face see its influence map."""
    return PROGRAMME if reads_private_parts(user, project) else PUBLIC


def version(project: ChangeProject, audience: str) -> str:
    """A short fingerprint of everything the audience's PDF shows."""
    parts = [
        str(PDF_VERSION),
        str(project.pk),
        audience,
        project.updated_at.isoformat(),
        timezone.localdate().isoformat(),
        *(source(project) for source in VERSION_SOURCES),
    ]
    return hashlib.blake2b("|".join(parts).encode(), digest_size=10).hexdigest()


def stored_name(project: ChangeProject, audience: str, key: str) -> str:
    return f"{FOLDER}/{project.public_id}/{audience}-{key}.pdf"


def stored_pdf(project: ChangeProject, audience: str, key: str) -> bytes | None:
    """The stored PDF of this version, or None. A file still being written (no end marker yet) is not served."""
    name = stored_name(project, audience, key)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as f:
        data = f.read()
    return data if data.rstrip().endswith(b"%%EOF") else None


# ---- drawing ------------------------------------------------------------------------------------------


def render(project: ChangeProject, audience: str) -> bytes:
    """Draw the story with SQUIRE 2.0 headings as a tagged PDF, as the audience sees it.

    Raises OSError when the Pango library WeasyPrint draws text with is missing on this machine.
    """
    from .views.projects import _story_context

    viewer = project.owner if audience == PROGRAMME else AnonymousUser()
    request = _ViewerRequest(viewer)
    html = render_to_string("projects/story_pdf.html", {**_story_context(request, project), "squire": True})
    return html_to_pdf(html)


@dataclass
class _ViewerRequest:
    """What the story's context reads of a request: who is looking (a PDF is drawn for an audience, not a
    request, so the worker can draw it)."""

    user: object


# ---- building in the background ---------------------------------------------------------------------


def build(project_id: int, audience: str, claimed: str = "") -> str:
    """Draw and store the project's current PDF for the audience (the task worker runs this).

    ``claimed`` is the token of the project's build lease the request claimed; the lease is given back whatever
    happens, so a later request can ask again. Returns "built", "stored" (another build got there first),
    "gone" or "unavailable" (no Pango).
    """
    project = (
        ChangeProject.objects.select_related("owner", "cohort", "cohort__programme", "public_approved_by")
        .prefetch_related("members__user", "cohort__programme__leads")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        return "gone"
    key = version(project, audience)
    outcome = "failed"
    try:
        if stored_pdf(project, audience, key) is not None:
            return "stored"
        try:
            pdf = render(project, audience)
        except OSError:
            logger.exception("the story PDF cannot be drawn on this machine")
            outcome = "unavailable"
            return outcome
        name = stored_name(project, audience, key)
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(pdf))
            if saved != name:  # a concurrent build saved the same version first: keep one copy
                default_storage.delete(saved)
        fresh = ChangeProject.objects.select_related("cohort").filter(pk=project_id).first()
        if fresh is not None and version(fresh, audience) == key:
            _prune(project, audience, keep=name)  # (not when it changed while drawing: keep the newer PDF)
        outcome = "built"
        return outcome
    finally:
        release(project_id, claimed, outcome)


def _prune(project: ChangeProject, audience: str, *, keep: str) -> None:
    """Remove the audience's older versions of this project's PDF."""
    folder = f"{FOLDER}/{project.public_id}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for filename in files:
        name = f"{folder}/{filename}"
        if filename.startswith(f"{audience}-") and name != keep:
            default_storage.delete(name)


def prune_stored(*, days: int) -> int:
    """Delete stored PDFs older than ``days`` and every PDF of a project that no longer exists (it named
    people). Returns how many files went. ``manage.py prune_story_pdfs`` runs it."""
    try:
        folders, _files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    existing = {
        str(pid)
        for pid in ChangeProject.objects.filter(public_id__in=_uuids(folders)).values_list(
            "public_id", flat=True
        )
    }
    cutoff = timezone.now() - timedelta(days=days)
    removed = 0
    for folder in folders:
        _dirs, files = default_storage.listdir(f"{FOLDER}/{folder}")
        for filename in files:
            name = f"{FOLDER}/{folder}/{filename}"
            if folder not in existing or default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                removed += 1
    return removed


def _uuids(names: list[str]) -> list[uuid.UUID]:
    out = []
    for name in names:
        try:
            out.append(uuid.UUID(name))
        except ValueError:
            continue  # not a project's folder: its files are removed as a deleted project's would be
    return out


@dataclass
class BuildState:
    """Where a requested PDF is: "queued", "running", "done", "unavailable" or "failed"; since when."""

    status: str
    started: datetime


def release(project_pk: int, token: str, outcome: str = "") -> None:
    """Give back the project's build lease, if this token still holds it."""
    if not token:
        return
    try:
        token_uuid = uuid.UUID(str(token))
    except ValueError:
        return
    StoryPdfBuild.objects.filter(pk=project_pk, token=token_uuid).update(
        token=None, lease_expires=None, last_result=outcome[:12]
    )


def _claim(project: ChangeProject, audience: str, key: str, now) -> uuid.UUID | None:
    """The project's build lease, if no build holds it: one conditional UPDATE, so exactly one of several
    concurrent requests (on any process) gets it. None when a build is queued or running."""
    if not StoryPdfBuild.objects.filter(pk=project.pk).exists():
        try:
            with transaction.atomic():
                StoryPdfBuild.objects.create(project=project)
        except IntegrityError:
            pass  # another request made the row first: the UPDATE below decides
    token = uuid.uuid4()
    free = Q(lease_expires__isnull=True) | Q(lease_expires__lte=now)
    claimed = StoryPdfBuild.objects.filter(free, pk=project.pk).update(
        audience=audience,
        version=key,
        token=token,
        task_id="",
        started_at=now,
        lease_expires=now + timedelta(seconds=BUILD_LEASE_SECONDS),
    )
    return token if claimed else None


def request_build(project: ChangeProject, audience: str, key: str) -> BuildState:
    """Ask the worker for this version's PDF, unless a build of the project is already queued or running:
    later requests see that build and its task's state (a build of another version or audience is waited
    for; the request after it ends claims the lease)."""
    from django_tasks import TaskResultStatus, default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

    from .tasks import build_story_pdf

    now = timezone.now()
    token = _claim(project, audience, key, now)
    if token is not None:
        result = build_story_pdf.enqueue(project_id=project.pk, audience=audience, claimed=str(token))
        if result.is_finished:  # a backend that runs tasks at once (tests, development without a worker)
            release(project.pk, str(token), _finished_status(result))
            return BuildState(_finished_status(result), now)
        StoryPdfBuild.objects.filter(pk=project.pk, token=token).update(task_id=str(result.id))
        return BuildState("queued", now)
    held = StoryPdfBuild.objects.filter(pk=project.pk).first()
    if held is None or held.token is None:  # given back between the claim and this read: ask again next time
        return BuildState("queued", now)
    started = held.started_at or now
    if held.version != key or held.audience != audience:
        return BuildState("queued", started)  # another version or audience is being drawn first
    if not held.task_id or not default_task_backend.supports_get_result:
        return BuildState("queued", started)
    try:
        result = build_story_pdf.get_result(held.task_id)
    except TaskResultDoesNotExist:
        release(project.pk, str(held.token), "failed")
        return BuildState("failed", started)
    if result.is_finished:
        release(
            project.pk, str(held.token), _finished_status(result)
        )  # the next request asks again if needed
        return BuildState(_finished_status(result), started)
    return BuildState("running" if result.status == TaskResultStatus.RUNNING else "queued", started)


def _finished_status(result) -> str:
    from django_tasks import TaskResultStatus

    if result.status != TaskResultStatus.SUCCESSFUL:
        return "failed"
    return "unavailable" if result.return_value == "unavailable" else "done"


# ---- visitors ------------------------------------------------------------------------------------------

# Requests for a story PDF a visitor (a signed-in person, or an address) may make in a window of seconds; the
# "Preparing" page asks every few seconds while it waits, so the limit leaves room for that.
RATE = (60, 10 * 60)


def visitor(request) -> str:
    """Who is asking: the person when signed in, else the client's address as login throttling reads it
    (``TRUSTED_PROXY_COUNT``), so a rate limit cannot be dodged by a forged header."""
    from axes.helpers import get_client_ip_address

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"a{get_client_ip_address(request) or '-'}"


def allow_visitor(request) -> tuple[bool, int]:
    """(allowed, seconds until the window ends): a fixed window per visitor, counted in the cache (shared by
    every web process when ``REDIS_URL`` is set)."""
    limit, seconds = getattr(settings, "STORY_PDF_RATE", RATE)
    allowed, wait = ratelimit.hit("story-pdf", visitor(request), limit=limit, seconds=seconds)
    return allowed, int(wait)

"""A person's export of their data: asked for on their profile, built in the background, downloaded once.

``export_request`` reuses an export still being built (two clicks make one export); ``export_build`` writes the
ZIP (``contents``), keeps it for ``READY_FOR_DAYS`` and tells the person (a notification, emailed as they chose);
``export_take`` hands it over once and deletes it, so the download link works a single time and never after it
expires.

A build whose worker died would leave its export "being prepared" for ever, and with it the person's every new
request (one export is prepared at a time). So an export still being prepared ``BUILD_LEASE`` after it was
asked for is given up: ``export_request`` then marks it failed and starts a new one, and ``fail_stale_exports``
(run with the other housekeeping) marks it failed and tells the person. A worker that was only slow finds its
export given up when it finishes, and keeps nothing.
"""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from shiftpractice.core.access_log import record_read
from shiftpractice.core.audit import audit
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import notify

from . import contents
from .choices import READY_FOR_DAYS, ExportStatus
from .models import DataExport

logger = logging.getLogger(__name__)

README = """Your data from shiftpractice
============================

Made on {made} for {name} <{email}>.

The files
---------
profile.json             your profile, the programmes you lead and your place in each cohort
projects.json            the change projects you own or are on the team of, with their PDSA cycles and measures
measures.csv             the data of those measures, one row per period
journal.json             every reflective journal entry you wrote, private ones included
coaching.json            the coaching you received (contact summaries shared with you, agreed actions) and,
                         if you coach or coached, the contacts you logged with your own private notes
                         (people since handed to another coach included)
posts_and_comments.json  what you wrote in discussions and comments
survey_answers.csv       your answers to evaluation surveys, one row per question
activity.json            the changes you made, as the audit log records them
network.json             your network directory entry, the network events you booked, whom you block, and
                         what you sent through a programme's open call from your address
case_studies.json        the case studies you wrote or are named in, and every consent you gave to one
uploads/                 the data files you uploaded that are still stored

Nothing private of anyone else is included: other people's journal entries, answers and notes stay theirs.

Coaching notes about you
------------------------
Notes a coach keeps about conversations with you are not included. The coaching policy that applied:
{policies}
"""


# An export still being prepared this long after it was asked for is taken to have lost its worker (a build
# takes seconds, a few minutes for the busiest coach): it is marked failed and may be asked for again.
BUILD_LEASE = timedelta(minutes=30)
STALE_PROBLEM = "The export was not finished: the work preparing it stopped. Ask for a new one."
FAILED_PROBLEM = "The export could not be made."


def _give_up(export: DataExport, *, now, problem: str = STALE_PROBLEM) -> bool:
    """Mark an export that is still being prepared as failed; False if it is no longer being prepared."""
    given_up = DataExport.objects.filter(pk=export.pk, status=ExportStatus.BUILDING).update(
        status=ExportStatus.FAILED, finished_at=now, problem=problem
    )
    if given_up:
        export.status, export.finished_at, export.problem = ExportStatus.FAILED, now, problem
        audit(actor=None, verb="privacy.export_failed", obj=export, problem=problem)
    return bool(given_up)


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def _tell(export: DataExport) -> None:
    """Tell the person their export is ready, or could not be made (a notification; an email as they chose)."""
    url = reverse("privacy_pages:data")
    if export.status == ExportStatus.READY:
        notify(
            recipients=[export.user],
            kind=Kind.DATA_EXPORT,
            title="The copy of your data you asked for is ready to download",
            body=(
                f"Download it from the Your data page of your profile by {_day(export.expires_at)}. "
                "It can be downloaded once, and is then deleted."
            ),
            url=url,
        )
    else:
        notify(
            recipients=[export.user],
            kind=Kind.DATA_EXPORT,
            title="The copy of your data you asked for could not be made",
            body=f"{export.problem} You can ask for a new one on the Your data page of your profile.",
            url=url,
        )


@transaction.atomic
def export_request(*, user, actor, now=None) -> DataExport:
    """Ask for an export; one still being prepared is reused rather than started again, unless it has been
    prepared for longer than ``BUILD_LEASE`` (its worker died): that one is marked failed and a new one starts."""
    now = now or timezone.now()
    building = DataExport.objects.select_for_update().filter(user=user, status=ExportStatus.BUILDING).first()
    if building is not None:
        if building.requested_at > now - BUILD_LEASE:
            return building
        _give_up(building, now=now)
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
    except IntegrityError:  # another request made one at the same moment: that one is reused
        return DataExport.objects.get(user=user, status=ExportStatus.BUILDING)
    audit(actor=actor, verb="privacy.export_requested", obj=export)
    from . import tasks

    transaction.on_commit(lambda: tasks.build_export.enqueue(export_id=export.pk))
    return export


class Built(NamedTuple):
    data: bytes
    names: list[str]
    coached: list  # the coach assignments whose contacts are in the file


def build_zip(user) -> Built:
    files: dict[str, bytes] = {}
    for part in contents.PARTS:
        files.update(part(user))
    coaching_files, policies, coached = contents.coaching(user)
    files.update(coaching_files)
    readme = README.format(
        made=timezone.now().strftime("%-d %B %Y at %H:%M UTC"),
        name=user.full_name,
        email=user.email,
        policies="\n".join(f"- {p}" for p in policies) or "- You have had no coach on this platform.",
    )
    files = {"README.txt": readme.encode(), **dict(sorted(files.items()))}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"shiftpractice-data/{name}", data)
    return Built(buffer.getvalue(), list(files), coached)


def export_build(export: DataExport) -> DataExport:
    """Build the ZIP of an export being prepared (the task worker calls it); a failure is recorded, not raised."""
    if export.status != ExportStatus.BUILDING:
        return export
    try:
        data, names, coached = build_zip(export.user)
    except Exception:
        logger.exception("data export %s failed", export.public_id)
        with transaction.atomic():
            if _give_up(export, now=timezone.now(), problem=FAILED_PROBLEM):
                _tell(export)
        export.refresh_from_db()
        return export
    now = timezone.now()
    with transaction.atomic():
        # Still being prepared? An export given up on past its lease (a newer one replaces it) keeps nothing.
        if (
            not DataExport.objects.select_for_update()
            .filter(pk=export.pk, status=ExportStatus.BUILDING)
            .exists()
        ):
            export.refresh_from_db()
            return export
        export.file.save(f"{export.public_id.hex}.zip", ContentFile(data), save=False)
        export.size, export.files = len(data), names
        export.status, export.finished_at = ExportStatus.READY, now
        export.expires_at = now + timedelta(days=READY_FOR_DAYS)
        export.save()
        audit(actor=None, verb="privacy.export_ready", obj=export, files=len(names), size=len(data))
        _record_coaching_reads(export.user, coached)
        _tell(export)
    return export


def _record_coaching_reads(coach, assignments) -> None:
    """A coach's export holds the contacts (and their own notes) of the people they coached: each of those
    people sees on their access page that the records left the platform in the coach's copy."""
    seen = set()
    for a in assignments:
        if (a.participant_id, a.cohort_id) in seen:
            continue
        seen.add((a.participant_id, a.cohort_id))
        record_read(
            actor=coach,
            subject=a.participant,
            obj=a,
            kind="coaching_export",
            what="Coaching contacts with you, in a copy of their own data they downloaded",
            programme_id=a.cohort.programme_id,
        )


def fail_stale_exports(now=None) -> int:
    """Give up on every export still being prepared ``BUILD_LEASE`` after it was asked for (its worker died),
    telling each person it could not be made; returns how many (idempotent: run it with the housekeeping)."""
    now = now or timezone.now()
    stale = DataExport.objects.filter(
        status=ExportStatus.BUILDING, requested_at__lte=now - BUILD_LEASE
    ).select_related("user")
    count = 0
    for export in stale:
        with transaction.atomic():
            if _give_up(export, now=now):
                _tell(export)
                count += 1
    return count


def export_take(*, export: DataExport, actor, now=None) -> bytes:
    """The ZIP, once: it is marked downloaded and deleted in the same step, so a second use finds nothing."""
    now = now or timezone.now()
    if export.expires_at is not None and export.expires_at <= now and export.status == ExportStatus.READY:
        export_expire(export)
    with transaction.atomic():
        taken = DataExport.objects.filter(pk=export.pk, status=ExportStatus.READY, expires_at__gt=now).update(
            status=ExportStatus.DOWNLOADED, downloaded_at=now
        )
        if not taken:
            export.refresh_from_db()
            raise ValidationError(_refusal(export))
        with export.file.storage.open(export.file.name, "rb") as f:
            data = f.read()
        audit(actor=actor, verb="privacy.export_downloaded", obj=export)
    export.file.delete(save=False)
    DataExport.objects.filter(pk=export.pk).update(file="")
    export.refresh_from_db()
    return data


def _refusal(export: DataExport) -> str:
    if export.status == ExportStatus.DOWNLOADED:
        return "This export has already been downloaded, and was then deleted. Ask for a new one."
    if export.status == ExportStatus.EXPIRED:
        return "This export has expired and was deleted. Ask for a new one."
    if export.status == ExportStatus.BUILDING:
        return "This export is still being prepared. Come back in a few minutes."
    return "This export could not be made. Ask for a new one."


def export_expire(export: DataExport) -> None:
    """Delete a prepared export nobody downloaded in time."""
    if DataExport.objects.filter(pk=export.pk, status=ExportStatus.READY).update(status=ExportStatus.EXPIRED):
        if export.file:
            export.file.delete(save=False)
        DataExport.objects.filter(pk=export.pk).update(file="")
        export.refresh_from_db()


def expire_exports(now=None) -> int:
    """Expire every prepared export past its date (idempotent)."""
    now = now or timezone.now()
    stale = DataExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now)
    count = 0
    for export in stale:
        export_expire(export)
        count += 1
    return count

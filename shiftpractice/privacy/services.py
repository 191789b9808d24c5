"""A person's export of their data: asked for on their profile, built in the background, downloaded once.

``export_request`` reuses an export still being built (two clicks make one export); ``export_build`` writes the
ZIP (``contents``) and keeps it for ``READY_FOR_DAYS``; ``export_take`` hands it over once and deletes it, so
the download link works a single time and never after it expires.
"""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from shiftpractice.core.audit import audit

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
                         if you coach, the contacts you logged with your own private notes
posts_and_comments.json  what you wrote in discussions and comments
survey_answers.csv       your answers to evaluation surveys, one row per question
activity.json            the changes you made, as the audit log records them
uploads/                 the data files you uploaded that are still stored

Nothing private of anyone else is included: other people's journal entries, answers and notes stay theirs.

Coaching notes about you
------------------------
Notes a coach keeps about conversations with you are not included. The coaching policy that applied:
{policies}
"""


@transaction.atomic
def export_request(*, user, actor) -> DataExport:
    """Ask for an export; one still being prepared is reused rather than started again."""
    building = DataExport.objects.filter(user=user, status=ExportStatus.BUILDING).first()
    if building is not None:
        return building
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
    except IntegrityError:  # another request made one at the same moment: that one is reused
        return DataExport.objects.get(user=user, status=ExportStatus.BUILDING)
    audit(actor=actor, verb="privacy.export_requested", obj=export)
    from . import tasks

    transaction.on_commit(lambda: tasks.build_export.enqueue(export_id=export.pk))
    return export


def build_zip(user) -> tuple[bytes, list[str]]:
    files: dict[str, bytes] = {}
    for part in contents.PARTS:
        files.update(part(user))
    coaching_files, policies = contents.coaching(user)
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
    return buffer.getvalue(), list(files)


def export_build(export: DataExport) -> DataExport:
    """Build the ZIP of an export being prepared (the task worker calls it); a failure is recorded, not raised."""
    if export.status != ExportStatus.BUILDING:
        return export
    try:
        data, names = build_zip(export.user)
    except Exception:
        logger.exception("data export %s failed", export.public_id)
        DataExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(), problem="The export could not be made."
        )
        export.refresh_from_db()
        return export
    now = timezone.now()
    with transaction.atomic():
        export.file.save(f"{export.public_id.hex}.zip", ContentFile(data), save=False)
        export.size, export.files = len(data), names
        export.status, export.finished_at = ExportStatus.READY, now
        export.expires_at = now + timedelta(days=READY_FOR_DAYS)
        export.save()
        audit(actor=None, verb="privacy.export_ready", obj=export, files=len(names), size=len(data))
    return export


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

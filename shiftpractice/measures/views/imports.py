"""Importing a file: upload, check (with progress for large files), preview, choose columns, confirm."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shiftpractice.core.uploads import refused_upload

from .. import imports, tasks
from ..choices import ImportStatus
from ..forms import MappingForm, UploadForm
from ..permissions import get_import_for_user, get_measure_for_user
from ..uploads import bounded_uploads, too_large_message


def _needed(measure) -> list[str]:
    return ["numerator", "denominator"] if measure.has_denominator else ["value"]


@bounded_uploads
def upload(request: HttpRequest, measure_id) -> HttpResponse:
    measure = get_measure_for_user(request.user, measure_id, write=True)
    posted = request.method == "POST"
    data, files = (request.POST, request.FILES) if posted else (None, None)  # reading them reads the body
    refused = refused_upload(request, "file")  # read past by core.uploads, never stored
    form = UploadForm(data, files, refused=too_large_message() if refused else None)
    if request.method == "POST" and form.is_valid():
        try:
            data_import = imports.import_upload(
                measure=measure, uploaded=form.cleaned_data["file"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            _check(data_import)
            return redirect(data_import)
    columns = (
        "period, numerator, denominator and note" if measure.has_denominator else "period, value and note"
    )
    return render(
        request,
        "measures/form.html",
        {
            "form": form,
            "page_title": f"Import data into {measure.name}",
            "project": measure.project,
            "back_url": measure.get_absolute_url(),
            "submit_label": "Upload and check",
            "intro": f"The first row names the columns ({columns}); then one row per period. Dates like 2021-04-01 "
            "or 01/04/2021, all written the same way. Nothing is saved until you have seen what will change and confirmed.",
            "multipart": True,
        },
    )


def _check(data_import, mapping=None) -> None:
    """Small files are checked while the person waits; large ones on the task worker, with progress shown."""
    if data_import.size <= imports.INLINE_BYTES:
        imports.import_check(data_import, mapping)
        return
    token = str(imports.claim_check(data_import, mapping))
    transaction.on_commit(lambda: tasks.check_import.enqueue(import_id=data_import.pk, token=token))


def _page(request, data_import, form=None, status=200):
    measure = data_import.measure
    mapping_form = form or MappingForm(
        headers=data_import.headers, mapping=data_import.mapping, needed=_needed(measure)
    )
    return render(
        request,
        "measures/import.html",
        {
            "imp": data_import,
            "measure": measure,
            "project": measure.project,
            "mapping_form": mapping_form,
            "form": form,
        },
        status=status,
    )


def _recovered(request, import_id):
    """The import, with work whose worker died (its lease ran out) picked up again or given back."""
    data_import = get_import_for_user(request.user, import_id)
    imports.recover(data_import)
    return data_import


def import_page(request: HttpRequest, import_id) -> HttpResponse:
    return _page(request, _recovered(request, import_id))


def import_status(request: HttpRequest, import_id) -> HttpResponse:
    """The progress partial htmx polls; once the work is finished, the whole page is reloaded."""
    data_import = _recovered(request, import_id)
    if not data_import.in_progress and request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "measures/_import_status.html", {"imp": data_import})


@require_POST
def import_mapping(request: HttpRequest, import_id, note: bool = False) -> HttpResponse:
    data_import = get_import_for_user(request.user, import_id)
    if data_import.status not in (ImportStatus.READY, ImportStatus.INVALID):
        return redirect(data_import)
    form = MappingForm(
        request.POST,
        headers=data_import.headers,
        mapping=data_import.mapping,
        needed=_needed(data_import.measure),
    )
    if not form.is_valid():
        return _page(request, data_import, form, status=400)
    try:
        _check(data_import, {k: v for k, v in form.cleaned_data.items() if v})
    except ValidationError as exc:  # confirmed or cancelled by someone else meanwhile
        messages.error(request, exc.messages[0])
    else:
        if note:
            messages.info(
                request,
                "You changed the columns, so nothing was imported yet: the file was checked again with them. "
                "Look at the preview, then import.",
            )
    return redirect(data_import)


def _mapping_changed(request, data_import) -> MappingForm | bool:
    """The columns the page posted with "Import", compared with the ones the preview was checked with: True when
    they differ, the form when it is invalid, False when they are the ones checked (or none were posted)."""
    form = MappingForm(
        request.POST,
        headers=data_import.headers,
        mapping=data_import.mapping,
        needed=_needed(data_import.measure),
    )
    if not any(name in request.POST for name in form.fields):
        return False
    if not form.is_valid():
        return form
    return {k: v for k, v in form.cleaned_data.items() if v} != {
        k: v for k, v in data_import.mapping.items() if v
    }


@require_POST
def import_commit(request: HttpRequest, import_id) -> HttpResponse:
    data_import = get_import_for_user(request.user, import_id)
    # The columns and the Import button are one form: columns changed and not yet checked are checked now and
    # shown again, never imported unseen.
    changed = _mapping_changed(request, data_import) if data_import.status == ImportStatus.READY else False
    if isinstance(changed, MappingForm):
        return _page(request, data_import, changed, status=400)
    if changed:
        return import_mapping(request, import_id, note=True)
    # One atomic claim (READY -> IMPORTING): a second click or a second person gets the message below.
    if not imports.claim(data_import):
        messages.error(
            request,
            "This file cannot be imported: it has problems, or it is being or has been imported already.",
        )
        return redirect(data_import)
    if data_import.size <= imports.INLINE_BYTES:
        try:
            imports.import_commit(data_import=data_import, actor=request.user, claimed=True)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(data_import)
        messages.success(request, f"Imported {data_import.original_name}.")
        return redirect(data_import.measure)
    user_id, token = request.user.pk, str(data_import.lease_token)
    transaction.on_commit(
        lambda: tasks.commit_import.enqueue(import_id=data_import.pk, actor_id=user_id, token=token)
    )
    return redirect(data_import)


@require_POST
def import_cancel(request: HttpRequest, import_id) -> HttpResponse:
    data_import = get_import_for_user(request.user, import_id)
    try:
        imports.import_cancel(data_import=data_import, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(data_import)
    messages.success(request, "Import cancelled: nothing was imported.")
    return redirect(data_import.measure)

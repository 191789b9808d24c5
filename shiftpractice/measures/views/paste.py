"""Pasting many periods at once: a textarea, "Check" shows what would be saved (row by row, with each
problem), "Save" saves every row or none through the import (``paste.paste_save``). No JavaScript needed:
each step re-renders the page with what was typed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import paste
from ..paste_forms import PasteForm
from ..permissions import get_measure_for_user

CHANGED_SINCE_CHECK = "What you pasted, or the measure's data, changed after it was checked: check the rows below again, then save."


def paste_data(request: HttpRequest, measure_id) -> HttpResponse:
    measure = get_measure_for_user(request.user, measure_id, write=True)
    continue_at = paste.continue_from(measure)
    form = PasteForm(request.POST or None, measure=measure, continue_at=continue_at)
    result = fingerprint = None
    status = 200
    if request.method == "POST" and form.is_valid():
        text, first = form.cleaned_data["text"], form.cleaned_data["first_period"]
        result = paste.read_paste(measure, text, first)
        fingerprint = paste.fingerprint(measure, text, first)
        saving = "save" in request.POST
        if saving and result.ok and request.POST.get("checked") == fingerprint:
            try:
                done = paste.paste_save(measure=measure, text=text, first_period=first, actor=request.user)
            except ValidationError as exc:
                form.add_error("text", exc)
            else:
                messages.success(request, _saved_words(done))
                return redirect(measure)
        elif saving and result.ok:
            result.notices.insert(0, CHANGED_SINCE_CHECK)
        for name, error in result.field_errors.items():
            form.add_error(name, error)
    if form.errors:
        status = 400
    return render(
        request,
        "measures/paste.html",
        {
            "measure": measure,
            "project": measure.project,
            "form": form,
            "result": result,
            "checked": fingerprint if result and result.ok else "",
        },
        status=status,
    )


def _saved_words(done) -> str:
    saved = done.rows_new + done.rows_changed
    if not saved:
        return f"Nothing changed: the {done.rows_unchanged} periods pasted already held these values."
    return (
        f"Saved {saved} period{'s' if saved != 1 else ''}: {done.rows_new} new, {done.rows_changed} changed, "
        f"{done.rows_unchanged} unchanged."
    )

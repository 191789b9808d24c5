"""The model's pages: public reading of published versions, and editing of drafts for programme leads.

Thin views: authorise (permissions.py), parse (forms.py), act (services.py), respond.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shiftpractice.core.forms import add_service_errors

from . import selectors, services
from .choices import Kind
from .forms import ItemForm, LicenceForm, NewItemForm, VerifyForm, VersionDraftForm, VersionForm
from .models import ContentItem
from .permissions import can_edit_model, get_item_for_editor, get_version_for_user, require_editor
from .validation import referenced_slugs
from .visual import model_picture
from .visuals import framework_visuals, visual_file


def _crumbs(*extra) -> list[tuple[str, str]]:
    return [("The model", reverse("content:model")), *extra]


def _current_or_404():
    version = selectors.current_version()
    if version is None:
        raise Http404("No version of the model has been published yet.")
    return version


def _version_or_current(user, version_slug: str | None):
    return get_version_for_user(user, version_slug) if version_slug else _current_or_404()


# Public pages --------------------------------------------------------------------------------------------


@login_not_required
def model_home(request: HttpRequest) -> HttpResponse:
    """The current model in plain English, with the pillars-and-lenses picture and its text equivalent."""
    view = selectors.model_view(_current_or_404())
    return render(
        request,
        "content/model.html",
        {
            "model": view,
            "version": view.version,
            "picture": model_picture(view.lenses, view.pillars),
            "pillar_lenses": [(p, view.lenses_for_pillar(p.name)) for p in view.pillars],
            "stages": [(s, view.stage_prompts(s), view.stage_tools(s)) for s in view.stages],
            "can_edit": can_edit_model(request.user),
        },
    )


@login_not_required
def lens_detail(request: HttpRequest, name: str, version_slug: str | None = None) -> HttpResponse:
    version = _version_or_current(request.user, version_slug)
    view = selectors.model_view(version)
    lens = view.lens(name)
    if lens is None:
        raise Http404("That lens is not part of this version of the model.")
    return render(
        request,
        "content/lens.html",
        {
            "model": view,
            "version": version,
            "lens": lens,
            "tools": view.resolve(lens.schema.get("tools")),
            "is_current": version_slug is None,
            "breadcrumbs": _crumbs((version.name, version.get_absolute_url())),
        },
    )


@login_not_required
def attribution(request: HttpRequest, version_slug: str | None = None) -> HttpResponse:
    version = _version_or_current(request.user, version_slug)
    items = selectors.version_items(version)
    sources, licences = selectors.attribution(items)
    return render(
        request,
        "content/attribution.html",
        {
            "version": version,
            "sources": sources,
            "licences": licences,
            "breadcrumbs": _crumbs((version.name, version.get_absolute_url())),
        },
    )


@login_not_required
def version_list(request: HttpRequest) -> HttpResponse:
    editor = can_edit_model(request.user)
    return render(
        request,
        "content/version_list.html",
        {
            "versions": selectors.version_list(include_drafts=editor),
            "current": selectors.current_version(),
            "today": timezone.localdate(),
            "can_edit": editor,
            "breadcrumbs": _crumbs(),
        },
    )


@login_not_required
def version_detail(request: HttpRequest, slug: str) -> HttpResponse:
    version = get_version_for_user(request.user, slug)
    view = selectors.model_view(version)
    editor = can_edit_model(request.user)
    editing = editor and version.is_draft
    return render(
        request,
        "content/version_detail.html",
        {
            "version": version,
            "model": view,
            "editing": editing,
            "can_edit": editor,
            "outside": selectors.items_outside(version) if editing else [],
            "licences": selectors.licence_records(i.slug for i in view.instruments),
            "breadcrumbs": _crumbs(("Versions", reverse("content:versions"))),
        },
    )


@login_not_required
def item_detail(request: HttpRequest, slug: str, item_slug: str) -> HttpResponse:
    version = get_version_for_user(request.user, slug)
    view = selectors.model_view(version)
    item = view.by_slug.get(item_slug)
    if item is None:
        raise Http404("That item is not part of this version of the model.")
    return render(
        request,
        "content/item_detail.html",
        {
            "version": version,
            "model": view,
            "item": item,
            "related": view.resolve(referenced_slugs(item.kind, item.schema)),
            "editing": can_edit_model(request.user) and version.is_draft,
            "licences": selectors.licence_records([item.slug]),
            "breadcrumbs": _crumbs((version.name, version.get_absolute_url())),
        },
    )


@login_not_required
def version_diff(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed against the version it was drafted from (or ``?against=<slug>``)."""
    version = get_version_for_user(request.user, slug)
    against_slug = request.GET.get("against")
    old = get_version_for_user(request.user, against_slug) if against_slug else version.parent
    return render(
        request,
        "content/version_diff.html",
        {
            "version": version,
            "diff": selectors.version_diff(old, version),
            "can_edit": can_edit_model(request.user),
            "breadcrumbs": _crumbs(
                ("Versions", reverse("content:versions")), (version.name, version.get_absolute_url())
            ),
        },
    )


@login_not_required
def visuals_index(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The framework visuals of a version (the current one without a slug): the picture and the worksheets."""
    version = get_version_for_user(request.user, slug) if slug else _current_or_404()
    return render(
        request,
        "content/visuals_index.html",
        {
            "version": version,
            "visuals": framework_visuals(version),
            "is_current": slug is None,
            "breadcrumbs": _crumbs((version.name, version.get_absolute_url())),
        },
    )


def _visual_or_404(version, name: str):
    found = next((v for v in framework_visuals(version) if v.slug == name), None)
    if found is None:
        raise Http404("This version of the model has no such visual.")
    return found


@login_not_required
def visual_detail(request: HttpRequest, slug: str, visual: str) -> HttpResponse:
    version = get_version_for_user(request.user, slug)
    return render(
        request,
        "content/visual_detail.html",
        {
            "version": version,
            "visual": _visual_or_404(version, visual),
            "breadcrumbs": _crumbs(
                (version.name, version.get_absolute_url()),
                ("Visuals", reverse("content:version_visuals", args=[version.slug])),
            ),
        },
    )


# An SVG opened on its own is a document: it may run nothing, load nothing and be nothing but an image.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@login_not_required
def visual_download(request: HttpRequest, slug: str, visual: str, fmt: str) -> HttpResponse:
    """One visual as an SVG, PNG or PDF file, drawn once per published version and then served from the cache."""
    version = get_version_for_user(request.user, slug)
    try:
        data, content_type, filename = visual_file(version, visual, fmt)
    except KeyError:
        raise Http404("This version of the model has no such visual.") from None
    except OSError:  # the Pango library WeasyPrint draws text with is missing on this machine
        return HttpResponse(
            "This PDF cannot be drawn on this server just now; the SVG and PNG can.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if fmt == "svg":
        response["Content-Security-Policy"] = SVG_POLICY
    if version.is_draft:
        response["Cache-Control"] = "private, no-store"
    return response


# Editing for leads ---------------------------------------------------------------------------------------


def version_new(request: HttpRequest) -> HttpResponse:
    require_editor(request.user)
    source = _current_or_404()
    form = VersionDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_draft(actor=request.user, source=source, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Draft “{version.name}” started from “{source.name}”.")
            return redirect(version)
    return render(
        request,
        "content/form_page.html",
        {
            "form": form,
            "page_title": "Draft a new version of the model",
            "intro": f"The draft starts as a copy of “{source.name}”, the current version. Nothing changes for "
            "any cohort until you publish it and a lead chooses it for a cohort.",
            "submit_label": "Start the draft",
            "back_url": reverse("content:versions"),
        },
    )


def _published_refusal(request, version) -> HttpResponse | None:
    """Editing pages of a published version send the lead back with the reason: it never changes."""
    if version.is_draft:
        return None
    messages.error(
        request, f"“{version.name}” is published and cannot change. Draft a new version from it instead."
    )
    return redirect(version)


def version_edit(request: HttpRequest, slug: str) -> HttpResponse:
    version = get_version_for_user(request.user, slug, write=True)
    if refusal := _published_refusal(request, version):
        return refusal
    form = VersionForm.for_version(version, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(version=version, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Version details saved.")
            return redirect(version)
    return render(
        request,
        "content/form_page.html",
        {
            "form": form,
            "page_title": f"Name, date and change note: {version.name}",
            "submit_label": "Save",
            "back_url": version.get_absolute_url(),
        },
    )


def version_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """GET shows the checks; POST publishes, or shows every problem and changes nothing."""
    version = get_version_for_user(request.user, slug, write=True)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.version_publish(version=version, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request, f"“{version.name}” is published. Choose it for a cohort on the cohort's edit page."
            )
            return redirect(version)
    elif version.is_draft:
        errors = services.publish_problems(version)
    return render(
        request,
        "content/version_publish.html",
        {
            "version": version,
            "errors": errors,
            "posted": request.method == "POST",
            "diff": selectors.version_diff(version.parent, version),
            "breadcrumbs": _crumbs((version.name, version.get_absolute_url())),
        },
    )


def item_edit(request: HttpRequest, slug: str, item_slug: str) -> HttpResponse:
    version = get_version_for_user(request.user, slug, write=True)
    if refusal := _published_refusal(request, version):
        return refusal
    item = selectors.model_view(version).by_slug.get(item_slug)
    if item is None:
        raise Http404("That item is not part of this version.")
    form = ItemForm.for_item(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revised = services.item_revise(
                version=version,
                slug=item.slug,
                actor=request.user,
                **form.item_fields(base_schema=item.schema),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Saved {revised.title} as {revised.ref} in “{version.name}”.")
            return redirect(version)
    return render(
        request,
        "content/item_form.html",
        {
            "form": form,
            "version": version,
            "item": item,
            "page_title": f"Edit {item.get_kind_display().lower()}: {item.title}",
            "submit_label": "Save the change",
            "back_url": version.get_absolute_url(),
        },
    )


def item_new(request: HttpRequest, slug: str) -> HttpResponse:
    version = get_version_for_user(request.user, slug, write=True)
    if refusal := _published_refusal(request, version):
        return refusal
    form = NewItemForm(request.POST or None, kind=None, initial={"sources": "", "schema": "{}"})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_add(
                version=version,
                actor=request.user,
                kind=form.cleaned_data["kind_choice"],
                slug=form.cleaned_data["slug"],
                **form.item_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added {item.title} ({item.ref}) to “{version.name}”.")
            return redirect(version)
    return render(
        request,
        "content/item_form.html",
        {
            "form": form,
            "version": version,
            "page_title": f"Add an item to {version.name}",
            "submit_label": "Add the item",
            "back_url": version.get_absolute_url(),
        },
    )


def _post_and_back(request, version, action, success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(version)


@require_POST
def item_retire(request: HttpRequest, slug: str, item_slug: str) -> HttpResponse:
    version = get_version_for_user(request.user, slug, write=True)
    return _post_and_back(
        request,
        version,
        lambda: services.item_retire(version=version, slug=item_slug, actor=request.user),
        f"{item_slug} is retired from “{version.name}”. Earlier versions and saved answers keep it.",
    )


@require_POST
def item_include(request: HttpRequest, slug: str, item_slug: str) -> HttpResponse:
    version = get_version_for_user(request.user, slug, write=True)
    item = ContentItem.objects.filter(slug=item_slug).order_by("-version").first()
    if item is None:
        raise Http404("No such item.")
    return _post_and_back(
        request,
        version,
        lambda: services.item_include(version=version, item=item, actor=request.user),
        f"{item.ref} is part of “{version.name}” again.",
    )


def item_verify(request: HttpRequest, item_slug: str, number: int) -> HttpResponse:
    item = get_item_for_editor(request.user, item_slug, number)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_verify(item=item, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Verification of {item.ref} recorded. It can now be published in a version."
            )
            return redirect("content:pending")
    return render(
        request,
        "content/verify.html",
        {
            "form": form,
            "item": item,
            "page_title": f"Record a verification: {item.title}",
            "submit_label": "Record the verification",
            "back_url": reverse("content:pending"),
        },
    )


def item_delete(request: HttpRequest, item_slug: str, number: int) -> HttpResponse:
    item = get_item_for_editor(request.user, item_slug, number)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.item_delete(item=item, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"{item.ref} deleted.")
            return redirect("content:versions")
    return render(
        request,
        "content/item_delete.html",
        {"item": item, "errors": errors, "breadcrumbs": _crumbs(("Versions", reverse("content:versions")))},
    )


def licence_edit(request: HttpRequest, item_slug: str) -> HttpResponse:
    require_editor(request.user)
    item = ContentItem.objects.filter(slug=item_slug).order_by("-version").first()
    if item is None or not item.requires_licence:
        raise Http404("This item does not need a licence.")
    record = selectors.licence_records([item.slug]).get(item.slug)
    form = LicenceForm(
        request.POST or None, initial={"reference": record.reference, "note": record.note} if record else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.licence_record(slug=item.slug, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Licence reference recorded: {item.title} is switched on.")
            return redirect("content:pending")
    return render(
        request,
        "content/form_page.html",
        {
            "form": form,
            "page_title": f"Record your licence: {item.title}",
            "intro": item.licence_name,
            "submit_label": "Record the licence",
            "back_url": reverse("content:pending"),
        },
    )


def pending(request: HttpRequest) -> HttpResponse:
    """Items outside the current version: drafts awaiting verification, licence-gated and retired items."""
    require_editor(request.user)
    current = _current_or_404()
    outside = selectors.items_outside(current)
    gated = [i for i in selectors.version_items(current) if i.requires_licence] + [
        i for i in outside if i.requires_licence
    ]
    return render(
        request,
        "content/pending.html",
        {
            "current": current,
            "outside": outside,
            "gated": gated,
            "licences": selectors.licence_records(i.slug for i in gated),
            "kinds": Kind,
            "breadcrumbs": _crumbs(("Versions", reverse("content:versions"))),
        },
    )

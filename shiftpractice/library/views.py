"""The library's pages. The public ones (browse and search, an item, its download, the licences, the visuals, the
packs, the feed and the sitemap) are open to anonymous visitors and show published items only; the lead's pages
(their programme's items, the forms, publish and withdraw) go through ``permissions``. Thin: authorise, parse,
call a service or a selector, respond."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from shiftpractice.content import selectors as content_selectors
from shiftpractice.content import visuals
from shiftpractice.content.licences import TERMS, Licence
from shiftpractice.core import paging
from shiftpractice.core.confirm import Removal, confirm_removal
from shiftpractice.core.forms import add_service_errors
from shiftpractice.core.uploads import bounded_uploads, refused_upload

from . import packs, selectors, services
from .choices import WRITABLE_KINDS, ItemKind, ItemStatus, Lens, Region, Setting
from .feeds import SITEMAPS, NewItemsFeed
from .forms import ItemForm, initial_of
from .permissions import can_write, get_item_for_user, get_programme_for_library
from .uploads import MAX_LIBRARY_BYTES, content_type_of


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _filters(request: HttpRequest, stages: list[tuple[str, str]], topics: list[str]) -> selectors.Filters:
    values = {name: paging.choice(request, name, allowed, "") for name, allowed in selectors.ALLOWED.items()}
    values["stage"] = paging.choice(request, "stage", [s for s, _t in stages], "")
    values["topic"] = paging.choice(request, "topic", topics, "")
    values["q"] = paging.search_term(request)
    return selectors.Filters(**values)


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Browse and search: filters and words narrow the published items, a page at a time."""
    stages = selectors.stage_choices()
    topics = selectors.topic_choices()
    filters = _filters(request, stages, topics)
    params = filters.as_params()
    page = paging.paginate(request, selectors.item_list(filters), params=params, anchor="results")
    led = list(request.user.led_programmes.order_by("name")) if request.user.is_authenticated else []
    return render(
        request,
        "library/index.html",
        {
            "page": page,
            "filters": filters,
            "stage_titles": dict(stages),
            "options": {
                "kind": ItemKind.choices,
                "lens": Lens.choices,
                "stage": stages,
                "setting": Setting.choices,
                "region": Region.choices,
                "topic": [(t, t) for t in topics],
                "licence": [(code, TERMS[Licence(code)].short) for code in Licence.values],
            },
            "led": led,
        },
    )


def _stage_titles(item) -> list[str]:
    titles = selectors.stage_titles(item.model_version) if item.stages else {}
    return [titles.get(slug, slug.split(".", 1)[-1].replace("-", " ").capitalize()) for slug in item.stages]


@login_not_required
@require_GET
def item(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item_for_user(request.user, slug)
    writer = can_write(request.user, item)
    if item.status == ItemStatus.WITHDRAWN:
        return render(request, "library/withdrawn.html", {"item": item, "writer": writer}, status=410)
    base = _base_url(request)
    return render(
        request,
        "library/item.html",
        {
            "item": item,
            "writer": writer,
            "citation": item.citation(base),
            "terms": item.licence_terms,
            "stage_titles": _stage_titles(item),
            "absolute_url": base + item.get_absolute_url(),
            "base_url": base,
            "crumbs": [("Library", reverse("library:index"))],
        },
    )


@login_not_required
@require_GET
def download(request: HttpRequest, slug: str) -> HttpResponse:
    """An uploaded file: always an attachment, with the type its checked extension declares, never sniffed, in a
    sandbox should a browser open it anyway."""
    item = get_item_for_user(request.user, slug)
    if item.status == ItemStatus.WITHDRAWN:
        return render(request, "library/withdrawn.html", {"item": item}, status=410)
    if item.kind != ItemKind.FILE or not item.file:
        raise Http404("This item has no file")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=item.download_name, content_type=content_type_of(item.file_type)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=300" if item.is_published else "private, no-store"
    return response


@login_not_required
@require_GET
def licences(request: HttpRequest) -> HttpResponse:
    rows = [(code, Licence(code).label, TERMS[Licence(code)]) for code in Licence.values]
    return render(request, "library/licences.html", {"rows": rows})


def current_visuals():
    """The framework visuals of the current published model (none until they can be drawn)."""
    version = content_selectors.current_version()
    if version is None:
        return None, []
    try:
        return version, visuals.framework_visuals(version)
    except NotImplementedError:
        return version, []


@login_not_required
@require_GET
def visuals_page(request: HttpRequest) -> HttpResponse:
    version, found = current_visuals()
    return render(request, "library/visuals.html", {"version": version, "visuals": found})


@login_not_required
@require_GET
def packs_page(request: HttpRequest) -> HttpResponse:
    counts = selectors.stage_counts()
    stages = [(slug, title, counts.get(slug, 0)) for slug, title in selectors.stage_choices()]
    return render(
        request,
        "library/packs.html",
        {"stages": stages, "workshops": selectors.workshop_numbers()},
    )


def _zip_response(request: HttpRequest, pack: packs.Pack, **kwargs) -> FileResponse:
    response = FileResponse(
        packs.write_zip(pack, _base_url(request), **kwargs),
        as_attachment=True,
        filename=pack.filename,
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def stage_pack(request: HttpRequest, stage: str) -> FileResponse:
    titles = dict(selectors.stage_choices())
    slug = f"stage.{stage}"
    if slug not in titles:
        raise Http404("No such journey stage in the current model")
    return _zip_response(request, packs.stage_pack(slug, titles[slug]))


@login_not_required
@require_GET
def workshop_pack(request: HttpRequest, number: int) -> FileResponse:
    if number < 1 or number > 99:
        raise Http404("No such workshop")
    return _zip_response(request, packs.workshop_pack(number))


@login_not_required
@require_GET
def facilitator_pack(request: HttpRequest) -> FileResponse:
    return _zip_response(request, packs.facilitator_pack(), folder_of=packs.workshop_folder)


feed = login_not_required(NewItemsFeed())


@login_not_required
@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    return sitemap_view(request, sitemaps=SITEMAPS)


@login_not_required
@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        f"Sitemap: {_base_url(request)}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# The lead's pages --------------------------------------------------------------------------------------------


def manage(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_library(request.user, slug)
    page = paging.paginate(request, selectors.programme_items(programme), anchor="items")
    return render(request, "library/manage.html", {"programme": programme, "page": page})


def _refuse_oversize(request: HttpRequest, form) -> None:
    refused = refused_upload(request, "file")
    if refused is not None:
        form.add_error(
            "file",
            f"The file is {filesizeformat(refused)} or more; the largest file the library takes is "
            f"{filesizeformat(MAX_LIBRARY_BYTES)}.",
        )


def _form_response(request, form, *, title, submit, back_url, programme, kind, item=None, status=200):
    return render(
        request,
        "library/item_form.html",
        {
            "form": form,
            "page_title": title,
            "submit_label": submit,
            "back_url": back_url,
            "programme": programme,
            "kind": kind,
            "item": item,
        },
        status=400 if form.errors else status,
    )


@bounded_uploads(max_bytes=MAX_LIBRARY_BYTES)
def item_new(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    programme = get_programme_for_library(request.user, slug)
    if kind not in WRITABLE_KINDS:
        raise Http404("No such kind of item")
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        item_kind=kind,
        stage_choices=selectors.stage_choices(),
        initial={"attribution": programme.organisation},
    )
    _refuse_oversize(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                programme=programme,
                kind=kind,
                data=form.data_for_service(),
                upload=form.cleaned_data.get("file"),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{item.title}” saved as a draft. Publish it when it is ready.")
            return redirect(item)
    noun = "training page" if kind == ItemKind.PAGE else "download"
    return _form_response(
        request,
        form,
        title=f"New {noun}",
        submit="Save as a draft",
        back_url=reverse("library:manage", args=[programme.slug]),
        programme=programme,
        kind=kind,
    )


@bounded_uploads(max_bytes=MAX_LIBRARY_BYTES)
def item_edit(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item_for_user(request.user, slug, write=True)
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        item_kind=item.kind,
        stage_choices=selectors.stage_choices(item.model_version),
        has_file=bool(item.file),
        initial=initial_of(item),
    )
    _refuse_oversize(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_update(
                item=item,
                data=form.data_for_service(),
                upload=form.cleaned_data.get("file"),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{item.title}” saved.")
            return redirect(item)
    return _form_response(
        request,
        form,
        title=f"Change “{item.title}”",
        submit="Save",
        back_url=item.get_absolute_url(),
        programme=item.programme,
        kind=item.kind,
        item=item,
    )


@require_POST
def item_publish(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item_for_user(request.user, slug, write=True)
    try:
        services.item_publish(item=item, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{item.title}” is published: anyone can read it.")
    return redirect(item)


def item_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item_for_user(request.user, slug, write=True)
    removal = Removal(
        title=f"Withdraw “{item.title}”?",
        cancel_url=item.get_absolute_url(),
        button="Yes, withdraw it",
        details=[
            "It leaves the library's lists, search, feed, sitemap and packs at once; its address will say it was "
            "withdrawn.",
            "The record is kept: you can publish it again later.",
        ],
        blocked="" if item.is_published else "Only a published item can be withdrawn.",
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.item_withdraw(
            item=item, reason=request.POST.get("reason", "")[:300], actor=request.user
        ),
        done_url=reverse("library:manage", args=[item.programme.slug]),
        done_message=f"“{item.title}” is withdrawn.",
        template="library/withdraw.html",
        item=item,
    )

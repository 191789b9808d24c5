"""The network's pages: the public's "take part" pages (the forms, the confirmation and withdrawal links) and the
lead's triage of what came in. Thin: authorise, parse, call a service, respond."""

import csv

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from shiftpractice.accounts.models import normalise_email
from shiftpractice.core import paging
from shiftpractice.core.audit import audit
from shiftpractice.core.forms import add_service_errors
from shiftpractice.core.text import spreadsheet_safe
from shiftpractice.core.views import form_page
from shiftpractice.programmes.models import Programme

from . import selectors, services, spam
from .choices import ApproachKind, ApproachStatus, HeardFrom, Region
from .forms import FORMS, HONEYPOT, DeclineForm, InviteForm, NoteForm, OpenCallForm, StatusForm
from .permissions import get_approach_for_lead, get_programme_for_triage

KIND_WORDS = {
    ApproachKind.INTEREST: ("interest", "Express an interest in taking part", "Send"),
    ApproachKind.OFFER: ("offer", "Offer to help", "Send"),
}


@login_not_required
def take_part(request: HttpRequest) -> HttpResponse:
    """The programmes taking expressions of interest and offers of help, a page at a time."""
    page = paging.paginate(request, selectors.open_calls(), anchor="programmes")
    return render(request, "network/take_part.html", {"page": page})


def _open_programme(slug: str) -> Programme:
    """A programme whose call is open; otherwise 404 (a programme's name is public only through its call)."""
    return get_object_or_404(
        Programme.objects.select_related("open_call"), slug=slug, open_call__is_open=True
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def approach_form(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    programme = _open_programme(slug)
    if kind not in FORMS:
        raise Http404
    form_class = FORMS[kind]
    form = form_class(request.POST or None, programme=programme, initial={"started": spam.stamp()})
    status = 200
    if request.method == "POST":
        try:
            reason = spam.refusal(request.POST)
        except spam.Stale:
            form = form_class(_restamped(request.POST), programme=programme)
            form.add_error(
                None, "This form was opened more than a day ago. Check your answers and send it again."
            )
            reason, status = None, 400
        if reason:
            services.refused_count(programme=programme, reason=reason)
            return redirect("network:sent", slug=programme.slug, kind=kind)
        if reason is not None and form.is_valid():
            client = get_client_ip_address(request) or "-"
            if spam.over_limit(client=client, email=normalise_email(form.cleaned_data["email"])):
                services.refused_count(programme=programme, reason="too_many")
                return redirect("network:sent", slug=programme.slug, kind=kind)
            try:
                services.approach_submit(
                    programme=programme, kind=kind, email=form.cleaned_data["email"], data=form.answers()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                return redirect("network:sent", slug=programme.slug, kind=kind)
        else:
            status = 400
    _word, title, submit = KIND_WORDS[kind]
    return render(
        request,
        "network/approach_form.html",
        {
            "programme": programme,
            "form": form,
            "kind": kind,
            "page_title": f"{title}: {programme.name}",
            "submit_label": submit,
            "honeypot": HONEYPOT,
            "trap": form[HONEYPOT],
        },
        status=status,
    )


def _restamped(data):
    data = data.copy()
    data["started"] = spam.fresh_stamp()
    return data


@login_not_required
def sent(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    programme = _open_programme(slug)
    return render(request, "network/sent.html", {"programme": programme, "kind": kind})


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation email. A GET only shows a button (mail scanners open links); the POST acts."""
    if request.method == "POST":
        try:
            approach = services.approach_confirm(token=token)
        except ValidationError as exc:
            return render(
                request, "network/link.html", {"problem": exc.messages[0], "action": "confirm"}, status=400
            )
        return render(request, "network/link.html", {"done": approach, "action": "confirm"})
    return render(request, "network/link.html", {"action": "confirm"})


@login_not_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            approach = services.approach_withdraw(token=token)
        except ValidationError as exc:
            return render(
                request, "network/link.html", {"problem": exc.messages[0], "action": "withdraw"}, status=400
            )
        return render(request, "network/link.html", {"done": approach, "action": "withdraw"})
    return render(request, "network/link.html", {"action": "withdraw"})


# The lead's pages --------------------------------------------------------------------------------------------


def _params(request: HttpRequest) -> dict:
    return {
        "kind": paging.choice(request, "kind", ApproachKind.values, ""),
        "status": paging.choice(request, "status", selectors.STATUS_FILTERS, "live"),
        "region": paging.choice(request, "region", Region.values, ""),
        "role": paging.search_term(request, "role"),
        "q": paging.search_term(request),
        "sort": paging.choice(request, "sort", selectors.SORTS, "newest"),
    }


def approach_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_triage(request.user, slug)
    params = _params(request)
    page = paging.paginate(
        request, selectors.approach_list(programme, **params), params=params, anchor="approaches"
    )
    call = services.open_call_for(programme)
    return render(
        request,
        "network/list.html",
        {
            "programme": programme,
            "page": page,
            "params": params,
            "counts": [(ApproachStatus(k).label, n) for k, n in selectors.status_counts(programme).items()],
            "refused": selectors.refused_lately(programme),
            "call": call,
            "kinds": ApproachKind.choices,
            "statuses": list(selectors.STATUS_FILTERS.items()),
            "regions": Region.choices,
            "sorts": [(k, v[0]) for k, v in selectors.SORTS.items()],
            "breadcrumbs": [("Home", reverse("home:index")), (programme.name, programme.get_absolute_url())],
        },
    )


CSV_COLUMNS = [
    "received",
    "kind",
    "status",
    "name",
    "email",
    "job role",
    "organisation",
    "region",
    "what they would like to change",
    "cohort wanted",
    "offers",
    "about the offer",
    "heard from",
    "status changed",
]


class _Echo:
    def write(self, value):
        return value


def approach_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every approach the list shows with the same filters, streamed a row at a time."""
    programme = get_programme_for_triage(request.user, slug)
    params = _params(request)
    rows = selectors.approach_list(programme, **params)
    audit(
        actor=request.user,
        verb="approach.exported",
        obj=programme,
        summary="Approaches downloaded as CSV",
        **{k: v for k, v in params.items() if v},
    )
    writer = csv.writer(_Echo())
    heard = dict(HeardFrom.choices)

    def lines():
        yield writer.writerow(CSV_COLUMNS)
        for a in rows.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
                    a.get_kind_display(),
                    a.get_status_display(),
                    spreadsheet_safe(a.name),
                    spreadsheet_safe(a.email),
                    spreadsheet_safe(a.role),
                    spreadsheet_safe(a.organisation),
                    a.get_region_display(),
                    spreadsheet_safe(a.change),
                    a.cohort.name if a.cohort else ("any" if a.kind == ApproachKind.INTEREST else ""),
                    "; ".join(a.offer_labels),
                    spreadsheet_safe(a.offer_detail),
                    heard.get(a.heard_from, ""),
                    timezone.localtime(a.status_changed_at).strftime("%Y-%m-%d %H:%M")
                    if a.status_changed_at
                    else "",
                ]
            )

    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-approaches-{stamp}.csv"'
    return response


ACTIONS = ("status", "note", "invite", "decline")
NOTES_SHOWN = 50


@require_http_methods(["GET", "POST"])
def approach_detail(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    approach = get_approach_for_lead(request.user, slug, public_id)
    programme = approach.programme
    roles = services.invite_roles(approach)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "status": StatusForm(
            request.POST if action == "status" else None, initial={"status": approach.status}, prefix="status"
        ),
        "note": NoteForm(request.POST if action == "note" else None, prefix="note"),
        "invite": InviteForm(
            request.POST if action == "invite" else None,
            programme=programme,
            cohort_roles=roles,
            prefix="invite",
        )
        if roles
        else None,
        "decline": DeclineForm(request.POST if action == "decline" else None, prefix="decline"),
    }
    status = 200
    if action in ACTIONS and forms.get(action) is not None:
        form = forms[action]
        if form.is_valid():
            try:
                done = _act(action, approach, form.cleaned_data, request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, done)
                return redirect(approach.get_absolute_url())
        else:
            status = 400
    elif request.method == "POST":
        status = 400
        messages.error(request, "Choose what to do with this approach.")
    notes = list(selectors.notes_of(approach).reverse()[:NOTES_SHOWN])[::-1]
    return render(
        request,
        "network/detail.html",
        {
            "programme": programme,
            "approach": approach,
            "forms": forms,
            "notes": notes,
            "live": approach.status not in (ApproachStatus.WITHDRAWN, ApproachStatus.UNCONFIRMED),
            "breadcrumbs": [
                ("Home", reverse("home:index")),
                (programme.name, programme.get_absolute_url()),
                ("Expressions of interest and offers", reverse("network:list", args=[programme.slug])),
            ],
        },
        status=status,
    )


def _act(action: str, approach, data: dict, actor) -> str:
    if action == "status":
        approach = services.approach_set_status(approach=approach, status=data["status"], actor=actor)
        return f"{approach.name}: {approach.get_status_display().lower()}."
    if action == "note":
        services.approach_note_add(approach=approach, text=data["text"], actor=actor)
        return "Note added."
    if action == "invite":
        services.approach_invite(approach=approach, cohort=data["cohort"], role=data["role"], actor=actor)
        return f"Invitation to {data['cohort'].name} is on its way to {approach.email}."
    services.approach_decline(approach=approach, message=data["message"], actor=actor)
    return f"{approach.name} has been sent our kind decline."


@require_http_methods(["GET", "POST"])
def open_call(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_triage(request.user, slug)
    call = services.open_call_for(programme)
    initial = {"is_open": call.is_open, "invitation": call.invitation} if call else {}
    form = OpenCallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.open_call_set(programme=programme, actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            "The call is open: the public page takes expressions of interest and offers of help."
            if form.cleaned_data["is_open"]
            else "The call is closed: the public forms are gone until you open it again.",
        )
        return redirect("network:list", slug=programme.slug)
    return form_page(
        request,
        form,
        title=f"Open call: {programme.name}",
        intro="While the call is open, anyone can express an interest in taking part or offer help from the "
        "programme's page under “Take part”. Each person confirms their email address before you see them.",
        back_url=reverse("network:list", args=[programme.slug]),
        error_status=400,
    )

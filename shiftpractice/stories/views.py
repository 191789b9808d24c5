"""Case study pages: the working copy (author, team, coach, leads), the sign-off link (anyone with it) and the
published case study (everyone). Thin: authorise through ``permissions``, parse a form, call ``services``."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shiftpractice.core import paging
from shiftpractice.core.forms import saved
from shiftpractice.core.uploads import bounded_uploads
from shiftpractice.projects.models import ChangeProject
from shiftpractice.projects.permissions import can_edit_project
from shiftpractice.projects.story_pdf import allow_visitor

from . import pdf, selectors, services
from .choices import CONSENT_WORDING, EDITABLE, SECTION_HEADINGS, SECTION_KEYS, ConsentKind, State
from .forms import (
    CommentForm,
    ConsentForm,
    DecisionForm,
    DetailsForm,
    ImageForm,
    PublishForm,
    SectionForm,
    SignoffForm,
    SignoffRequestForm,
    TeamForm,
    WithdrawForm,
)
from .models import CaseStudy, CaseStudyImage
from .permissions import get_case_study_for_user, rights_for


def _detail(case_study: CaseStudy) -> str:
    return reverse("stories:detail", args=[case_study.public_id])


# ---- lists and starting -------------------------------------------------------------------------------


def case_study_list(request: HttpRequest) -> HttpResponse:
    params = {
        "q": paging.search_term(request),
        "state": paging.choice(request, "state", State.values, ""),
    }
    page = paging.paginate(request, selectors.case_study_list(request.user, **params), params=params)
    startable = (
        ChangeProject.objects.filter(owner=request.user, case_study__isnull=True)
        .order_by("title")
        .only("title", "public_id")[:20]
    )
    return render(
        request,
        "stories/list.html",
        {
            "page": page,
            "params": params,
            "states": State.choices,
            "counts": selectors.state_counts(request.user),
            "startable": startable,
        },
    )


def start(request: HttpRequest, project_id) -> HttpResponse:
    project = get_object_or_404(
        ChangeProject.objects.select_related("cohort").prefetch_related("members"), public_id=project_id
    )
    if not can_edit_project(request.user, project):
        raise Http404
    existing = CaseStudy.objects.filter(project=project).first()
    if existing is not None:
        return redirect(_detail(existing))
    if request.method == "POST":
        case_study = services.case_study_start(project=project, actor=request.user)
        messages.success(
            request, "Your case study is started from your project. Edit each section in your own words."
        )
        return redirect(_detail(case_study))
    return render(request, "stories/start.html", {"project": project})


# ---- the working copy ---------------------------------------------------------------------------------


def detail(request: HttpRequest, public_id) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id)
    rights = rights_for(request.user, case_study)
    return render(
        request,
        "stories/detail.html",
        {
            "case_study": case_study,
            "rights": rights,
            "editable": case_study.state in EDITABLE,
            "comment_form": CommentForm() if rights.comment else None,
            "decision_form": DecisionForm()
            if rights.decide and case_study.state == State.IN_REVIEW
            else None,
            **selectors.working_context(case_study),
        },
    )


def _form_page(
    request, case_study, form, *, title: str, submit: str, intro: str = "", template="form_page.html", **more
):
    return render(
        request,
        template,
        {
            "form": form,
            "page_title": title,
            "submit_label": submit,
            "intro": intro,
            "back_url": _detail(case_study),
            "case_study": case_study,
            **more,
        },
    )


def details_edit(request: HttpRequest, public_id) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="edit")
    form = DetailsForm(
        request.POST or None,
        instance=CaseStudy(
            title=case_study.title,
            summary=case_study.summary,
            organisation=case_study.organisation,
            setting=case_study.setting,
            region=case_study.region,
        ),
    )
    if request.method == "POST" and saved(
        form, lambda data: services.case_study_update(case_study=case_study, actor=request.user, **data)
    ):
        messages.success(request, "Details saved.")
        return redirect(_detail(case_study))
    return _form_page(request, case_study, form, title="Title and summary", submit="Save")


def section_edit(request: HttpRequest, public_id, key: str) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="edit")
    if key not in SECTION_KEYS:
        raise Http404
    form = SectionForm(request.POST or None, initial={"text": case_study.sections.get(key, "")})
    if request.method == "POST" and saved(
        form,
        lambda data: services.section_update(
            case_study=case_study, key=key, text=data["text"], actor=request.user
        ),
    ):
        messages.success(request, f"\u201c{SECTION_HEADINGS[key]}\u201d saved.")
        return redirect(_detail(case_study) + f"#section-{key}")
    section = next(s for s in selectors.SECTIONS if s.key == key)
    comments = case_study.comments.filter(section=key).select_related("author")
    return _form_page(
        request,
        case_study,
        form,
        title=section.heading,
        submit="Save section",
        intro=section.prompt,
        template="stories/section_edit.html",
        comments=comments,
    )


@require_POST
def snapshot_refresh(request: HttpRequest, public_id) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="edit")
    try:
        services.snapshot_refresh(case_study=case_study, actor=request.user)
        messages.success(request, "The charts and figures now show the project as it is today.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_detail(case_study) + "#snapshot")


def team_edit(request: HttpRequest, public_id) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="edit")
    project = case_study.project
    ids = {m.user_id for m in project.members.all()} | {project.owner_id}
    choices = (
        get_user_model().objects.filter(pk__in=ids).exclude(pk=case_study.author_id).order_by("full_name")
    )
    form = TeamForm(request.POST or None, people=choices, initial={"people": list(case_study.team.all())})
    if request.method == "POST" and saved(
        form,
        lambda data: services.team_set(
            case_study=case_study, people=list(data["people"]), actor=request.user
        ),
    ):
        messages.success(request, "The team is saved. Each person named is asked for their consent.")
        return redirect(_detail(case_study) + "#consent")
    intro = "" if choices.exists() else "Your project has no other team members to name."
    return _form_page(request, case_study, form, title="Name your team", submit="Save", intro=intro)


@bounded_uploads(max_bytes=services.IMAGE_MAX_BYTES + 1)
def image_add(request: HttpRequest, public_id) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="edit")
    form = ImageForm(request.POST or None, request.FILES or None)
    refused = getattr(request, "refused_uploads", {})
    if request.method == "POST" and "image" in refused:
        form.is_valid()
        form.add_error("image", "The image is larger than 5 MB: make it smaller and try again.")
    elif request.method == "POST" and saved(
        form,
        lambda data: services.image_add(
            case_study=case_study,
            upload=data["image"],
            alt_text=data["alt_text"],
            caption=data["caption"],
            section=data["section"],
            actor=request.user,
        ),
    ):
        messages.success(request, "Image added.")
        return redirect(_detail(case_study) + "#images")
    return _form_page(
        request,
        case_study,
        form,
        title="Add an image",
        submit="Add image",
        template="stories/image_form.html",
    )


def image_remove(request: HttpRequest, public_id, image_id: int) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="edit")
    image = get_object_or_404(CaseStudyImage, pk=image_id, case_study=case_study)
    if request.method == "POST":
        try:
            services.image_remove(image=image, actor=request.user)
            messages.success(request, "Image removed.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(_detail(case_study) + "#images")
    return render(
        request,
        "stories/confirm.html",
        {
            "case_study": case_study,
            "page_title": "Remove this image?",
            "body": image.alt_text,
            "button": "Remove image",
            "warning": True,
        },
    )


def _image_response(image: CaseStudyImage) -> FileResponse:
    response = FileResponse(image.image.open("rb"), content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=300"
    return response


def image(request: HttpRequest, public_id, image_id: int) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id)
    return _image_response(get_object_or_404(CaseStudyImage, pk=image_id, case_study=case_study))


def _post_action(request, public_id, need: str, action, success: str, anchor: str = "") -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need=need)
    try:
        action(case_study)
        messages.success(request, success)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_detail(case_study) + anchor)


@require_POST
def submit(request: HttpRequest, public_id) -> HttpResponse:
    return _post_action(
        request,
        public_id,
        "edit",
        lambda cs: services.submit_for_review(case_study=cs, actor=request.user),
        "Sent for review: your coach and the programme's leads are told.",
    )


@require_POST
def back_to_draft(request: HttpRequest, public_id) -> HttpResponse:
    return _post_action(
        request,
        public_id,
        "edit",
        lambda cs: services.back_to_draft(case_study=cs, actor=request.user),
        "It is a draft again: you can change it. Consents given lapse if the text changes.",
    )


def comment(request: HttpRequest, public_id) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="comment")
    form = CommentForm(request.POST or None, initial={"section": request.GET.get("section", "general")})
    if request.method == "POST" and saved(
        form, lambda data: services.comment_add(case_study=case_study, actor=request.user, **data)
    ):
        messages.success(request, "Comment added: the author is told.")
        return redirect(_detail(case_study) + "#review")
    return _form_page(request, case_study, form, title="Comment on the case study", submit="Add comment")


def decide(request: HttpRequest, public_id) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="decide")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and saved(
        form, lambda data: services.review_decide(case_study=case_study, actor=request.user, **data)
    ):
        messages.success(request, "Decision recorded: the author is told.")
        return redirect(_detail(case_study))
    return _form_page(request, case_study, form, title="Approve or ask for changes", submit="Record decision")


def consent(request: HttpRequest, public_id) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="consent")
    author = case_study.author_id == request.user.pk
    form = ConsentForm(request.POST or None, author=author, initial={"licence": case_study.licence})
    if request.method == "POST" and saved(
        form, lambda data: services.consent_give(case_study=case_study, actor=request.user, **data)
    ):
        messages.success(request, "Your answer is recorded against the text as it is now.")
        return redirect(_detail(case_study) + "#consent")
    kind = ConsentKind.AUTHOR if author else ConsentKind.TEAM
    return render(
        request,
        "stories/consent.html",
        {
            "case_study": case_study,
            "form": form,
            "wording": CONSENT_WORDING[kind],
            **selectors.working_context(case_study),
        },
    )


def signoff_request(request: HttpRequest, public_id) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="edit")
    form = SignoffRequestForm(request.POST or None, initial={"organisation": case_study.organisation})
    if request.method == "POST" and saved(
        form, lambda data: services.signoff_request(case_study=case_study, actor=request.user, **data)
    ):
        messages.success(
            request, f"We have emailed {form.cleaned_data['name']} a link to check and sign off the text."
        )
        return redirect(_detail(case_study) + "#consent")
    return _form_page(
        request,
        case_study,
        form,
        title="Ask your organisation to sign off",
        submit="Send the link",
        intro="The person gets a link, valid for 14 days and usable once, that shows the exact text to be "
        "published. They need no account. If the text changes, ask again.",
    )


@login_not_required
def signoff(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed sign-off link: shows exactly what would be published, and takes one answer."""
    try:
        signoff_request = services.signoff_for_token(token)
    except services.LinkProblem as problem:
        return render(request, "stories/signoff.html", {"problem": str(problem)}, status=410)
    form = SignoffForm(request.POST or None, initial={"confirm_name": signoff_request.name})
    try:
        answered = request.method == "POST" and saved(
            form, lambda data: services.signoff_respond(token=token, **data)
        )
    except services.LinkProblem as problem:  # answered through the same link a moment ago
        return render(request, "stories/signoff.html", {"problem": str(problem)}, status=410)
    if answered:
        return render(
            request, "stories/signoff.html", {"done": True, "decision": form.cleaned_data["decision"]}
        )
    case_study = signoff_request.case_study
    return render(
        request,
        "stories/signoff.html",
        {
            "form": form,
            "request_row": signoff_request,
            "case_study": case_study,
            "wording": CONSENT_WORDING[ConsentKind.ORGANISATION],
            **selectors.working_context(case_study, inline_images=True),
            "team_names": [u.full_name for u in case_study.team.all()],
        },
    )


def publish(request: HttpRequest, public_id) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="publish")
    form = PublishForm(request.POST or None)
    if request.method == "POST" and saved(
        form, lambda data: services.publish(case_study=case_study, actor=request.user, note=data["note"])
    ):
        messages.success(request, "Published: it is on the public site and in the library now.")
        return redirect(reverse("stories:public", args=[case_study.slug]))
    status = services.consent_status(case_study)
    return _form_page(
        request,
        case_study,
        form,
        title="Publish the case study",
        submit="Publish",
        template="stories/publish.html",
        status=status,
        correction=case_study.versions.exists(),
    )


def withdraw(request: HttpRequest, public_id) -> HttpResponse:
    case_study = get_case_study_for_user(request.user, public_id, need="withdraw")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and saved(
        form, lambda data: services.withdraw(case_study=case_study, actor=request.user, reason=data["reason"])
    ):
        messages.success(request, "Withdrawn: it is off every public page. Its record is kept.")
        return redirect(_detail(case_study))
    return _form_page(
        request,
        case_study,
        form,
        title="Withdraw the case study?",
        submit="Withdraw",
        intro="It leaves the public site, the library, search, the feed and the sitemap at once. Its versions and "
        "consents are kept on record. You can publish it again later through review.",
    )


# ---- the public case study ----------------------------------------------------------------------------


@login_not_required
def public_list(request: HttpRequest) -> HttpResponse:
    page = paging.paginate(request, selectors.public_case_studies())
    return render(request, "stories/public_list.html", {"page": page})


def _public(slug: str, number: int | None = None):
    case_study, version = selectors.public_version(slug, number)
    if case_study is None or version is None:
        raise Http404
    return case_study, version


@login_not_required
def public(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    case_study, version = _public(slug, number)
    if case_study.withdrawn_at is not None:
        return render(request, "stories/withdrawn.html", {"case_study": case_study}, status=410)
    context = selectors.published_context(version)
    context["latest"] = case_study.published_version
    context["versions"] = list(case_study.versions.only("number", "published_at", "note", "case_study_id"))
    return render(request, "stories/public.html", context)


@login_not_required
def public_image(request: HttpRequest, slug: str, image_id: int) -> HttpResponse:
    case_study, _version = _public(slug)
    if case_study.withdrawn_at is not None:
        raise Http404
    published_ids = {entry["id"] for v in case_study.versions.all() for entry in v.images}
    if image_id not in published_ids:
        raise Http404
    return _image_response(get_object_or_404(CaseStudyImage, pk=image_id, case_study=case_study))


@login_not_required
def public_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    case_study, version = _public(slug)
    if case_study.withdrawn_at is not None:
        return render(request, "stories/withdrawn.html", {"case_study": case_study}, status=410)
    body = pdf.stored(version)
    if body is not None:
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{case_study.slug}-v{version.number}.pdf"'
        return response
    allowed, wait = allow_visitor(request)
    if not allowed:
        response = render(
            request,
            "stories/pdf_preparing.html",
            {"case_study": case_study, "limited": True, "wait": wait},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    outcome = pdf.request_build(version)
    if outcome == "built":
        version.refresh_from_db()
        return public_pdf(request, slug)
    return render(
        request, "stories/pdf_preparing.html", {"case_study": case_study, "outcome": outcome}, status=202
    )

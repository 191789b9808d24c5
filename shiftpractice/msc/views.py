"""Most significant change pages. Thin: authorise through ``permissions``, parse a form, call ``services``,
read through ``selectors``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from shiftpractice.core import paging
from shiftpractice.core.confirm import Removal, confirm_removal
from shiftpractice.core.forms import saved

from . import selectors, services
from .forms import QUESTION, ChoiceForm, DomainForm, NewStoryForm, RoundForm, StoryForm
from .models import Story
from .permissions import (
    get_domain_for_lead,
    get_domain_to_write,
    get_own_story,
    get_programme_for_msc,
    get_round_for_user,
)

STORIES_PER_PAGE = 10


def _crumbs(programme, *more):
    return [
        ("Home", reverse("home:index")),
        (programme.name, reverse("msc:programme", args=[programme.slug])),
        *more,
    ]


# ---- the programme's page -------------------------------------------------------------------------------


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    programme, access = get_programme_for_msc(request.user, slug)
    return render(
        request,
        "msc/programme.html",
        {"programme": programme, "access": access, "crumbs": [("Home", reverse("home:index"))]},
    )


# ---- domains (leads) ------------------------------------------------------------------------------------


def domains(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _ = get_programme_for_msc(request.user, slug, need="lead")
    form = DomainForm(request.POST or None)
    if request.method == "POST" and saved(
        form, lambda d: services.domain_create(programme=programme, actor=request.user, **d)
    ):
        messages.success(request, f"Domain “{form.cleaned_data['name']}” added.")
        return redirect("msc:domains", slug=programme.slug)
    return render(
        request,
        "msc/domains.html",
        {
            "programme": programme,
            "domains": selectors.domain_list(programme)[: services.MAX_DOMAINS],
            "form": form,
            "crumbs": _crumbs(programme),
        },
    )


def domain_edit(request: HttpRequest, public_id) -> HttpResponse:
    domain = get_domain_for_lead(request.user, public_id)
    initial = {"name": domain.name, "description": domain.description, "order": domain.order}
    form = DomainForm(request.POST or None, initial=initial)
    if request.method == "POST" and saved(
        form, lambda d: services.domain_update(domain=domain, actor=request.user, **d)
    ):
        messages.success(request, "Domain saved.")
        return redirect("msc:domains", slug=domain.programme.slug)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": f"Change the domain “{domain.name}”",
            "submit_label": "Save domain",
            "intro": "You can rename a domain at any time; storytellers see the new name.",
            "back_url": reverse("msc:domains", args=[domain.programme.slug]),
        },
    )


def domain_remove(request: HttpRequest, public_id) -> HttpResponse:
    domain = get_domain_for_lead(request.user, public_id)
    written = Story.objects.filter(domain=domain).count()
    back = reverse("msc:domains", args=[domain.programme.slug])
    removal = Removal(
        title=f"Remove the domain “{domain.name}”?",
        cancel_url=back,
        blocked=(
            f"“{domain.name}” cannot be removed: {written} {'story is' if written == 1 else 'stories are'} "
            "written in it. Stories are their authors' and stay; you can still rename the domain."
            if written
            else ""
        ),
    )
    return confirm_removal(
        request,
        removal,
        remove=lambda: services.domain_delete(domain=domain, actor=request.user),
        done_url=back,
        done_message=f"Domain “{domain.name}” removed.",
    )


# ---- the participant's own stories ----------------------------------------------------------------------


def my_stories(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _ = get_programme_for_msc(request.user, slug, need="write")
    return render(
        request,
        "msc/my_stories.html",
        {
            "programme": programme,
            "rows": selectors.my_stories(request.user, programme),
            "question": QUESTION,
            "crumbs": _crumbs(programme),
        },
    )


def story_write(request: HttpRequest, public_id) -> HttpResponse:
    """Write the person's story in a domain, or change it while no closed round has read it."""
    domain, _ = get_domain_to_write(request.user, public_id)
    programme = domain.programme
    story = Story.objects.filter(domain=domain, author=request.user).first()
    back = reverse("msc:my_stories", args=[programme.slug])
    locked = story is not None and (story.is_withdrawn or selectors.is_locked(story))
    if story is None:
        form = NewStoryForm(request.POST or None)
        act = lambda d: services.story_write(  # noqa: E731
            domain=domain,
            title=d["title"],
            story=d["story"],
            why=d["why"],
            show_name=d["show_name"],
            consent=d["consent"],
            actor=request.user,
        )
    else:
        initial = {"title": story.title, "story": story.story, "why": story.why, "show_name": story.show_name}
        form = StoryForm(None if locked else (request.POST or None), initial=initial)
        act = lambda d: services.story_update(  # noqa: E731
            story=story,
            title=d["title"],
            text=d["story"],
            why=d["why"],
            show_name=d["show_name"],
            actor=request.user,
        )
    if request.method == "POST" and not locked and saved(form, act):
        messages.success(request, "Your story is saved.")
        return redirect(back)
    return render(
        request,
        "msc/story_form.html",
        {
            "programme": programme,
            "domain": domain,
            "story": story,
            "locked": locked,
            "form": form,
            "back_url": back,
            "crumbs": _crumbs(programme, ("Your stories", back)),
        },
    )


def story_withdraw(request: HttpRequest, public_id) -> HttpResponse:
    story = get_own_story(request.user, public_id)
    back = reverse("msc:my_stories", args=[story.programme.slug])
    if story.is_withdrawn:
        return redirect(back)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.story_withdraw(story=story, actor=request.user)
        messages.success(request, f"You withdrew “{story.title}”. It leaves every selection and report.")
        return redirect(back)
    return render(
        request, "msc/withdraw.html", {"story": story, "back_url": back, "crumbs": _crumbs(story.programme)}
    )


# ---- rounds ---------------------------------------------------------------------------------------------


def rounds(request: HttpRequest, slug: str) -> HttpResponse:
    programme, access = get_programme_for_msc(request.user, slug)
    page = paging.paginate(request, selectors.round_list(request.user, programme, access))
    return render(
        request,
        "msc/rounds.html",
        {"programme": programme, "access": access, "page": page, "crumbs": _crumbs(programme)},
    )


def round_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme, _ = get_programme_for_msc(request.user, slug, need="lead")
    people = selectors.panel_candidates(programme)
    form = RoundForm(
        request.POST or None,
        cohorts=programme.cohorts.order_by("start_date", "name"),
        people=people,
        rounds=selectors.stackable_rounds(programme),
    )
    opened = request.method == "POST" and saved(
        form,
        # The form's fields are the service's arguments: title, cohort, stacked, panel.
        lambda d: services.round_create(programme=programme, actor=request.user, **d),
    )
    if opened:
        messages.success(request, "Selection round opened. The panel can read the stories now.")
        return redirect("msc:round", public_id=opened.public_id)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "page_title": "Open a selection round",
            "submit_label": "Open the round",
            "intro": "The panel reads the stories without names (unless a storyteller allowed theirs) and chooses "
            "the most significant change in each domain.",
            "back_url": reverse("msc:rounds", args=[programme.slug]),
        },
    )


def round_detail(request: HttpRequest, public_id) -> HttpResponse:
    """The panel's page: one domain at a time, its stories a page at a time, each by its letter."""
    round_, rights = get_round_for_user(request.user, public_id)
    domains = selectors.round_domains(round_)
    wanted = request.GET.get("domain", "")
    current = next(
        (row for row in domains if str(row["domain"].public_id) == wanted), domains[0] if domains else None
    )
    page = None
    if current is not None and rights.reads_stories:
        params = {"domain": str(current["domain"].public_id)}
        page = paging.paginate(
            request,
            selectors.round_candidates(round_, current["domain"]),
            params=params,
            per_page=STORIES_PER_PAGE,
        )
        for story in page.object_list:
            story.letter = selectors.letter(story.number)
    return render(
        request,
        "msc/round.html",
        {
            "round": round_,
            "rights": rights,
            "domains": domains,
            "current": current,
            "page": page,
            "crumbs": _crumbs(
                round_.programme, ("Selection rounds", reverse("msc:rounds", args=[round_.programme.slug]))
            ),
        },
    )


def choose(request: HttpRequest, public_id, story_id) -> HttpResponse:
    round_, _ = get_round_for_user(request.user, public_id, need="choose")
    story = get_object_or_404(
        selectors.round_stories(round_, include_withdrawn=False).select_related("domain", "author"),
        public_id=story_id,
    )
    back = reverse("msc:round", args=[round_.public_id]) + f"?domain={story.domain.public_id}"
    if round_.is_closed:
        raise Http404
    form = ChoiceForm(request.POST or None)
    if request.method == "POST" and saved(
        form,
        lambda d: services.choice_record(
            round_=round_, story=story, reasons=d["reasons"], actor=request.user
        ),
    ):
        messages.success(request, f"Chosen in “{story.domain.name}”.")
        return redirect(back)
    return render(
        request,
        "msc/choose.html",
        {
            "round": round_,
            "story": story,
            "letter": selectors.letter_of(round_, story),
            "form": form,
            "back_url": back,
            "crumbs": _crumbs(round_.programme, (round_.title, back)),
        },
    )


def round_close(request: HttpRequest, public_id) -> HttpResponse:
    round_, _ = get_round_for_user(request.user, public_id, need="lead")
    back = reverse("msc:round", args=[round_.public_id])
    if round_.is_closed:
        return redirect("msc:results", public_id=round_.public_id)
    domains = selectors.round_domains(round_)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            told = services.round_close(round_=round_, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        messages.success(
            request, f"Round closed. {told} storyteller{'s' if told != 1 else ''} told of the results."
        )
        return redirect("msc:results", public_id=round_.public_id)
    return render(
        request,
        "msc/close.html",
        {
            "round": round_,
            "domains": domains,
            "unchosen": [row["domain"] for row in domains if row["choice"] is None and row["count"]],
            "back_url": back,
            "crumbs": _crumbs(round_.programme, (round_.title, back)),
        },
    )


def results(request: HttpRequest, public_id) -> HttpResponse:
    round_, rights = get_round_for_user(request.user, public_id, need="results")
    return render(
        request,
        "msc/results.html",
        {
            "round": round_,
            "rights": rights,
            "rows": selectors.results(round_),
            "crumbs": _crumbs(
                round_.programme, ("Selection rounds", reverse("msc:rounds", args=[round_.programme.slug]))
            ),
        },
    )

"""Reads of most significant change, each in a fixed number of queries however many stories there are.

``chosen_for_report`` and ``story_counts`` are the reports app's way in: it reads the chosen stories and the
counts through them and nothing else, so a withdrawn story leaves every unpublished report by construction.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership
from shiftpractice.programmes.models import Programme

from .models import Choice, Domain, Round, Story

PANEL_ROLES = (Role.CRITICAL_FRIEND, Role.COACH)


def letter(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA: the name a panel reads a story by."""
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


# ---- domains and the author's own stories -------------------------------------------------------------


def domain_list(programme) -> QuerySet:
    """The programme's domains with how many stories each holds (withdrawn ones count: they keep it)."""
    return (
        Domain.objects.filter(programme=programme)
        .annotate(story_count=Count("stories"))
        .order_by("order", "id")
    )


def my_stories(user, programme) -> list[tuple[Domain, Story | None]]:
    """Each domain of the programme with the person's own story in it, or None (two queries)."""
    domains = list(Domain.objects.filter(programme=programme).order_by("order", "id"))
    mine = {s.domain_id: s for s in Story.objects.filter(programme=programme, author=user)}
    locked = set(locked_story_ids(Story.objects.filter(programme=programme, author=user)))
    for story in mine.values():
        story.locked = story.pk in locked
    return [(domain, mine.get(domain.pk)) for domain in domains]


def locked_story_ids(stories: QuerySet) -> QuerySet:
    """The stories a closed round has read: their text no longer changes (one query)."""
    closed = Round.objects.filter(
        cohort_id=OuterRef("cohort_id"), closed_at__isnull=False, closed_at__gte=OuterRef("created_at")
    )
    return stories.filter(Exists(closed)).values_list("pk", flat=True)


def is_locked(story: Story) -> bool:
    return Story.objects.filter(pk=story.pk).filter(pk__in=locked_story_ids(Story.objects.all())).exists()


# ---- rounds ---------------------------------------------------------------------------------------------


def round_stories(round_: Round, *, include_withdrawn: bool = True) -> QuerySet:
    """The stories a round reads: a cohort round its cohort's (those written before it closed, when closed);
    a programme round only those chosen in the closed cohort rounds it is stacked on."""
    if round_.cohort_id is not None:
        stories = Story.objects.filter(cohort_id=round_.cohort_id, programme_id=round_.programme_id)
        if round_.closed_at is not None:
            stories = stories.filter(created_at__lte=round_.closed_at)
    else:
        stacked = Round.stacked.through.objects.filter(from_round_id=round_.pk).values("to_round_id")
        stories = Story.objects.filter(pk__in=Choice.objects.filter(round_id__in=stacked).values("story_id"))
    if not include_withdrawn:
        stories = stories.filter(withdrawn_at__isnull=True)
    return stories


def round_candidates(round_: Round, domain: Domain) -> QuerySet:
    """The stories of one domain a panel reads, each numbered (``number``: its letter) by its place among every
    story the round has held in the domain, withdrawn ones included, so a letter never moves to another story.
    The page decides whether to show the author's name."""
    held = round_stories(round_).filter(domain=domain)
    place = (
        held.filter(id__lte=OuterRef("id")).order_by().values("domain_id").annotate(n=Count("id")).values("n")
    )
    return (
        held.filter(withdrawn_at__isnull=True)
        .annotate(number=Subquery(place))
        .select_related("author")
        .order_by("id")
    )


def round_domains(round_: Round) -> list[dict]:
    """Each domain of the programme with how many stories the round reads in it and the panel's choice
    (three queries whatever the number of stories)."""
    counts = dict(
        round_stories(round_, include_withdrawn=False)
        .values("domain_id")
        .annotate(n=Count("id"))
        .values_list("domain_id", "n")
    )
    choices = {
        c.domain_id: c
        for c in Choice.objects.filter(round=round_).select_related("story", "story__author", "chosen_by")
    }
    return [
        {"domain": d, "count": counts.get(d.pk, 0), "choice": choices.get(d.pk)}
        for d in Domain.objects.filter(programme_id=round_.programme_id).order_by("order", "id")
    ]


def letter_of(round_: Round, story: Story) -> str:
    """The letter one story has in the round (one query)."""
    earlier = round_stories(round_).filter(domain_id=story.domain_id, id__lte=story.pk).count()
    return letter(earlier)


def round_list(user, programme, access) -> QuerySet:
    """The rounds a person may open: every round for a lead; otherwise the rounds they sit on the panel of
    and the closed rounds they told a story in. Subqueries from the person: no DISTINCT."""
    rounds = Round.objects.filter(programme=programme).select_related("cohort").order_by("-created_at", "-id")
    if access.is_lead:
        return rounds
    on_panel = Round.panel.through.objects.filter(user_id=user.pk).values("round_id")
    told = Story.objects.filter(
        cohort_id=OuterRef("cohort_id"),
        author_id=user.pk,
        withdrawn_at__isnull=True,
        created_at__lte=OuterRef("closed_at"),
    )
    cohort_rounds = Round.objects.filter(
        programme=programme, closed_at__isnull=False, cohort__isnull=False
    ).filter(Exists(told))
    stacked_on_mine = Round.stacked.through.objects.filter(to_round_id__in=cohort_rounds.values("pk")).values(
        "from_round_id"
    )
    return rounds.filter(
        Q(pk__in=on_panel)
        | Q(pk__in=cohort_rounds.values("pk"))
        | Q(pk__in=stacked_on_mine, closed_at__isnull=False)
    )


def storytellers(round_: Round) -> QuerySet:
    """Everyone whose story the round's results answer: a cohort round's storytellers; for a programme round,
    the storytellers of every cohort round it is stacked on (their stories fed it)."""
    if round_.cohort_id is not None:
        stories = round_stories(round_, include_withdrawn=False)
    else:
        stories = Story.objects.none()
        for cohort_round in round_.stacked.all():
            stories = stories | round_stories(cohort_round, include_withdrawn=False)
    return get_user_model().objects.filter(pk__in=stories.values("author_id"), is_active=True)


def panel_candidates(programme) -> QuerySet:
    """The people a panel is chosen from: the programme's leads, critical friends and coaches."""
    leads = Programme.leads.through.objects.filter(programme_id=programme.pk).values("user_id")
    members = Membership.objects.filter(cohort__programme=programme, role__in=PANEL_ROLES).values("user_id")
    return get_user_model().objects.filter(Q(pk__in=leads) | Q(pk__in=members)).order_by("full_name", "id")


def stackable_rounds(programme) -> QuerySet:
    """Closed cohort rounds a programme round may be stacked on."""
    return (
        Round.objects.filter(programme=programme, cohort__isnull=False, closed_at__isnull=False)
        .select_related("cohort")
        .order_by("cohort__start_date", "cohort__name", "-closed_at")
    )


def results(round_: Round) -> list[dict]:
    """The chosen story of each domain with the panel's reasons; a withdrawn story shows as withdrawn, with
    none of its words (three queries)."""
    out = []
    for row in round_domains(round_):
        choice = row["choice"]
        story = choice.story if choice else None
        out.append(
            {
                "domain": row["domain"],
                "choice": choice,
                "story": story,
                "withdrawn": bool(story and story.withdrawn_at),
                "author": story.author.full_name
                if story and story.show_name and not story.withdrawn_at
                else "",
            }
        )
    return out


# ---- for the reports app --------------------------------------------------------------------------------


def _report_rounds(programme, cohort) -> list[Round]:
    closed = Round.objects.filter(programme=programme, closed_at__isnull=False).order_by("-closed_at", "-id")
    if cohort is not None:
        return list(closed.filter(cohort=cohort)[:1])
    latest = list(closed.filter(cohort__isnull=True)[:1])
    if latest:
        return latest
    # No programme round yet: the latest closed round of each cohort, in the cohorts' order (one query).
    newer = Round.objects.filter(
        cohort_id=OuterRef("cohort_id"), closed_at__isnull=False, closed_at__gt=OuterRef("closed_at")
    )
    return list(
        closed.filter(cohort__isnull=False)
        .exclude(Exists(newer))
        .order_by("cohort__start_date", "cohort__name", "cohort_id", "-id")
    )


def chosen_for_report(programme, cohort=None) -> list[dict]:
    """The chosen story of each domain in the latest closed round of ``cohort`` (or the programme's round; with
    no programme round, each cohort's latest closed round in turn): one dict per domain (and round).

    A story whose consent was withdrawn is there with ``withdrawn=True`` and every text empty. Three queries
    at most, however many stories."""
    rounds = _report_rounds(programme, cohort)
    if not rounds:
        return []
    domains = list(Domain.objects.filter(programme=programme).order_by("order", "id"))
    choices = {
        (c.round_id, c.domain_id): c
        for c in Choice.objects.filter(round__in=rounds).select_related("story", "story__author")
    }
    out = []
    for round_ in rounds:
        for domain in domains:
            choice = choices.get((round_.pk, domain.pk))
            story = choice.story if choice else None
            withdrawn = bool(story and story.withdrawn_at)
            shown = story is not None and not withdrawn
            out.append(
                {
                    "id": story.pk if story is not None else None,
                    "domain": domain.name,
                    "title": story.title if shown else "",
                    "story": story.story if shown else "",
                    "why": story.why if shown else "",
                    "reasons": choice.reasons if shown else "",
                    "author": story.author.full_name if shown and story.show_name else "",
                    "withdrawn": withdrawn,
                }
            )
    return out


def story_counts(programme, cohort=None) -> dict:
    """How many stories (consent not withdrawn) and storytellers, and stories per domain: two aggregate
    queries whatever the size."""
    stories = Story.objects.filter(programme=programme, withdrawn_at__isnull=True)
    if cohort is not None:
        stories = stories.filter(cohort=cohort)
    totals = stories.aggregate(stories=Count("id"), storytellers=Count("author_id", distinct=True))
    live = Q(stories__withdrawn_at__isnull=True)
    if cohort is not None:
        live &= Q(stories__cohort=cohort)
    by_domain = dict(
        Domain.objects.filter(programme=programme)
        .order_by("order", "id")
        .annotate(n=Count("stories", filter=live))
        .values_list("name", "n")
    )
    return {"stories": totals["stories"], "storytellers": totals["storytellers"], "by_domain": by_domain}


def withdrawn_among(story_ids) -> set[int]:
    """Which of these stories their authors have since withdrawn (one query): a published report that quoted
    one says it was withdrawn instead of showing it."""
    ids = [i for i in story_ids if i]
    if not ids:
        return set()
    return set(Story.objects.filter(pk__in=ids, withdrawn_at__isnull=False).values_list("pk", flat=True))

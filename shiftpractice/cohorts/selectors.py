"""Reads on cohorts and workshops, shaped for the pages that show them (constant query counts)."""

from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from shiftpractice.content import selectors as content_selectors

from .calendar import feed_window_start
from .choices import AttendanceStatus, Role
from .models import Attendance, Cohort, Membership, Workshop

ROLE_ORDER = [Role.PARTICIPANT, Role.COACH, Role.FACILITATOR, Role.CRITICAL_FRIEND, Role.OBSERVER]


def cohort_members(cohort: Cohort) -> list[Membership]:
    """Members of a cohort, participants first, each role in name order."""
    members = cohort.memberships.select_related("user").order_by("user__full_name")
    return sorted(members, key=lambda m: ROLE_ORDER.index(m.role))


def cohort_workshops(cohort: Cohort) -> list[Workshop]:
    return list(
        cohort.workshops.select_related("programme").prefetch_related("cohorts").order_by("starts_at")
    )


def workshops_due_for(user, *, since=None) -> list[Workshop]:
    qs = Workshop.objects.due_for(user).select_related("programme").prefetch_related("cohorts")
    if since is not None:
        qs = qs.filter(ends_at__gte=since)
    return list(qs.order_by("starts_at"))


def calendar_feed_workshops(user) -> list[Workshop]:
    return workshops_due_for(user, since=feed_window_start())


COHORT_SORTS = {
    "start": ("Start date, earliest first", ("start_date", "id")),
    "latest": ("Start date, latest first", ("-start_date", "-id")),
    "name": ("Name, A to Z", ("name", "id")),
}


def _count_of(queryset):
    """A correlated count, so a page of cohorts is counted without grouping every membership."""
    return Coalesce(Subquery(queryset.order_by().annotate(n=Count("pk")).values("n")), 0)


def cohort_fill_list(programmes, *, q: str = "", status: str = "", sort: str = "start"):
    """Cohorts of the given programmes with how full they are, filtered, searched and sorted in the database:
    a queryset, for a page of it."""
    now = timezone.now()
    cohorts = Cohort.objects.filter(programme__in=programmes)
    if q:
        cohorts = cohorts.filter(name__icontains=q)
    if status:
        cohorts = cohorts.filter(status=status)
    through = Workshop.cohorts.through.objects
    return (
        cohorts.select_related("programme")
        .annotate(
            participant_count=_count_of(
                Membership.objects.filter(cohort=OuterRef("pk"), role=Role.PARTICIPANT).values("cohort")
            ),
            workshops_held=_count_of(
                through.filter(cohort=OuterRef("pk"), workshop__ends_at__lt=now).values("cohort")
            ),
        )
        .order_by(*COHORT_SORTS.get(sort, COHORT_SORTS["start"])[1])
    )


def cohort_summary(programmes) -> dict:
    """How many cohorts there are in each status, for pages where the cohorts are context (one query)."""
    counts = dict(
        Cohort.objects.filter(programme__in=programmes)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return {"total": sum(counts.values()), "by_status": counts}


NAMED_PER_VERSION = 5


def model_versions_in_use(programme) -> list:
    """The model versions the programme's cohorts use (``content.selectors.version_history``), each naming at
    most a few of its cohorts and counting the rest (``more``): two queries whatever the number of cohorts."""
    in_use = Cohort.objects.filter(programme=programme, model_version__isnull=False)
    counts = dict(in_use.order_by().values_list("model_version_id").annotate(n=Count("id")))
    if not counts:
        return []
    named = list(
        in_use.annotate(
            rank=Window(
                RowNumber(), partition_by=[F("model_version_id")], order_by=[F("start_date"), F("id")]
            )
        )
        .filter(rank__lte=NAMED_PER_VERSION)
        .only("id", "name", "slug", "model_version_id")
    )
    history = content_selectors.version_history(named)
    for entry in history:
        entry.more = counts.get(entry.version.pk, 0) - len(entry.used_by)
    return history


def attended_places(cohorts: list[Cohort]) -> dict[int, int]:
    """Per cohort id, how many participant places at its past workshops were recorded as attended (one query)."""
    rows = (
        Attendance.objects.filter(
            workshop__cohorts__in=cohorts,
            workshop__ends_at__lt=timezone.now(),
            status=AttendanceStatus.ATTENDED,
            user__memberships__cohort=F("workshop__cohorts"),
            user__memberships__role=Role.PARTICIPANT,
        )
        .values("workshop__cohorts")
        .annotate(n=Count("id"))
    )
    return {row["workshop__cohorts"]: row["n"] for row in rows}


def people_supported_by(coach):
    """Participants in the cohorts where this person is a coach (a queryset: pages show a few and the count)."""
    cohort_ids = Membership.objects.filter(user=coach, role=Role.COACH).values("cohort_id")
    return (
        Membership.objects.filter(cohort_id__in=cohort_ids, role=Role.PARTICIPANT)
        .select_related("user", "cohort")
        .order_by("cohort__start_date", "user__full_name", "id")
    )


def peers_of(membership: Membership) -> list[Membership]:
    """The other members of the person's cohort: fellow participants first, then the people supporting them."""
    peers = (
        Membership.objects.filter(cohort_id=membership.cohort_id)
        .exclude(user_id=membership.user_id)
        .select_related("user")
        .order_by("user__full_name")
    )
    return sorted(peers, key=lambda m: ROLE_ORDER.index(m.role))


def programme_workshops_for(user, programme):
    """The programme's workshops this person may see, in date order (a queryset, for a page of it)."""
    return (
        Workshop.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("programme")
        .prefetch_related("cohorts")
        .order_by("starts_at", "id")
    )


def workshop_attendance(workshop: Workshop) -> list[dict]:
    """Everyone expected at a workshop with what was recorded for them (two queries), for the workshop page."""
    from .services import workshop_attendees  # the attendee rule is declared once, with the service

    recorded = {
        a.user_id: a for a in Attendance.objects.filter(workshop=workshop).select_related("recorded_by")
    }
    return [{"person": person, "record": recorded.get(person.pk)} for person in workshop_attendees(workshop)]


# A filter that names one cohort of a programme: a list to choose from while the programme has at most this
# many cohorts, and beyond that a box to type the cohort's name in (a list of 1,000 cohorts is no choice, and
# past a screenful of options a select is slower to use than typing a few letters of the name).
LISTED_COHORTS = 20
MATCHES_SHOWN = 20


@dataclass
class CohortChoice:
    """What a cohort filter offers and what it found.

    ``listed``: the cohorts to choose from, or None when the programme has more than ``LISTED_COHORTS`` (the
    filter is then typed). ``cohort``: the one chosen (by slug from the list, or the one whose name was typed).
    ``matches``: when what was typed names several cohorts, the first ``MATCHES_SHOWN`` of them to choose
    from (``more``: there were others). ``missing``: something was typed and no cohort answers to it.
    """

    listed: list[Cohort] | None
    typed: str = ""
    cohort: Cohort | None = None
    matches: list[Cohort] = field(default_factory=list)
    more: bool = False
    missing: bool = False


def choose_cohort(programme, typed: str) -> CohortChoice:
    """One cohort of the programme from a filter's value: its slug, its whole name, or a part of its name
    that only one cohort has. At most three queries whatever the number of cohorts."""
    # (The list is only named: its cohorts' other columns are not read.)
    listing = programme.cohorts.only("programme_id", "name", "slug", "start_date")
    first = list(listing.order_by("start_date", "name", "id")[: LISTED_COHORTS + 1])
    choice = CohortChoice(listed=first if len(first) <= LISTED_COHORTS else None, typed=typed)
    if not typed:
        return choice
    cohorts = programme.cohorts.order_by("start_date", "name", "id")
    exact = cohorts.filter(Q(slug=typed) | Q(name__iexact=typed)).first()
    if exact is not None:
        choice.cohort = exact
        return choice
    found = list(cohorts.filter(name__icontains=typed)[: MATCHES_SHOWN + 1])
    if len(found) == 1:
        choice.cohort = found[0]
    elif found:
        choice.matches, choice.more = found[:MATCHES_SHOWN], len(found) > MATCHES_SHOWN
    else:
        choice.missing = True
    return choice

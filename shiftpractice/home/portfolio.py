"""The programme's portfolio: every change project a person oversees, with its progress, cycles, activity, the
latest signal on its outcome measure and flags, in a fixed number of queries however many projects there are.

Who sees which project is not decided here: the rows are ``ChangeProject.objects.visible_to`` (the one rule), cut
down to a coach's coachees; who may open the page at all is ``cohorts.permissions.portfolio_scope``.
"""

import functools
import hashlib
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from shiftpractice.coaching.choices import ActionStatus
from shiftpractice.coaching.models import Action, CoachAssignment
from shiftpractice.cohorts.models import Cohort
from shiftpractice.cohorts.roles import known_roles
from shiftpractice.cohorts.selectors import choose_cohort
from shiftpractice.core.links import address_by_public_id
from shiftpractice.evaluation.choices import WindowLabel
from shiftpractice.evaluation.models import SurveyWindow
from shiftpractice.projects.choices import ActDecision, CycleStatus, ProjectStatus, Visibility
from shiftpractice.projects.models import ChangeProject, Cycle, LensAnswer, ProgressScore
from shiftpractice.projects.models.progress import SCORES
from shiftpractice.projects.models.project import grants_whole_cohorts

QUIET_DAYS = 21
PAGE_SIZE = 20  # rows of the table: each is a project's whole picture (scores, cycles, flags, outcome glance)


@dataclass(frozen=True)
class Flag:
    key: str
    label: str


# The flags, declared once: the filter, the tags in the table and the CSV all read this.
FLAGS = (
    Flag("awaiting_approval", "Awaiting public approval"),
    Flag("quiet", f"No activity for {QUIET_DAYS} days"),
    Flag("overdue", "Overdue actions"),
)
FLAG_KEYS = {f.key for f in FLAGS}
# The parameters of ``apply_filters`` that narrow the list (the sort only orders it).
FILTERS = ("cohort", "status", "lens", "flag")

# Sort keys the page offers, each to the database ordering it means.
# A project's last activity is its ``updated_at``: every write of it, its cycles, scores and drivers, and of its
# measures, their points and phases, moves it (``projects.services.touch_project``), so sorting by it reads a
# column, not every project's cycles and measures.
SORTS = {
    "activity": ("Last activity, oldest first", ["updated_at", "id"]),
    "recent": ("Last activity, newest first", ["-updated_at", "id"]),
    "score": ("Progress score, lowest first", ["score", "id"]),
    "title": ("Title", ["title", "id"]),
    "owner": ("Owner", ["owner__full_name", "id"]),
    "cohort": ("Cohort", ["cohort__start_date", "cohort__name", "id"]),
}


@dataclass(frozen=True)
class Stage:
    slug: str  # the model's journey stage (a content item of kind "stage")
    label: str


# Where a project stands on the model's journey, derived from its status and what it has done so far. Declared
# once: the table and the CSV read ``journey_stage``. A paused project is at no stage. The slugs are the default
# model's stages (content "stage.*"); setting a goal and learning together run alongside others and are not shown.
ORIENT = Stage("stage.orient", "Orient: why me, why now")
STUDY = Stage("stage.study-system", "Study the system")
DESIGN = Stage("stage.design", "Design")
TEST = Stage("stage.test", "Test (PDSA)")
IMPACT = Stage("stage.measure-impact", "Measure impact")
SHARE = Stage("stage.capture-share", "Capture and share")
STAGE_BY_STATUS = {
    ProjectStatus.COMPLETE: SHARE,
    ProjectStatus.SUSTAINING: IMPACT,
    ProjectStatus.ACTIVE: TEST,
    ProjectStatus.PAUSED: None,
}


def journey_stage(project) -> Stage | None:
    """The stage for a project of the portfolio queryset: by its status, and while it is getting started
    (draft) by how far it has got: cycles under way or done mean testing, a planned cycle design, an aim
    studying the system, nothing yet orienting."""
    if project.status in STAGE_BY_STATUS:
        return STAGE_BY_STATUS[project.status]
    if project.cycles_running or project.cycles_complete:
        return TEST
    if project.cycles_planned:
        return DESIGN
    return STUDY if project.aim_what else ORIENT


def survey_change(project) -> str:
    """The progress score's change since the cohort's latest survey window opened (the score in force at its
    start against the current one): "+1 since baseline survey (12 Mar)", "no change since ...", or "—" when
    there is no window yet, or no score then or now."""
    if project.window_opens is None or project.window_score is None or project.score is None:
        return "—"
    change = float(project.score - project.window_score)
    since = f"since {WindowLabel(project.window_label).label.lower()} survey ({_day(project.window_opens)})"
    return f"no change {since}" if change == 0 else f"{change:+g} {since}"


def _day(when) -> str:
    local = timezone.localtime(when)
    return date_format(local, "j M" if local.year == timezone.localdate().year else "j M Y")


def _latest_score():
    return Subquery(
        ProgressScore.objects.filter(project=OuterRef("pk")).order_by("-scored_on", "-id").values("score")[:1]
    )


def _overdue_actions(today: date):
    """How many open actions past their day the owner has in the project's cohort (SQL, for the flag)."""
    overdue = Action.objects.filter(
        assignment__participant=OuterRef("owner_id"),
        assignment__cohort=OuterRef("cohort_id"),
        status=ActionStatus.OPEN,
        due_on__lt=today,
    )
    return Coalesce(
        Subquery(overdue.order_by().values("assignment_id").annotate(n=Count("id")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


class Scope(NamedTuple):
    """The projects a person oversees in a programme, and who they are for the figures' key."""

    projects: QuerySet
    key: str | None = None  # None: the projects' SQL says who is in scope (``programme_figures``)


def projects_in_scope(*, user, programme, scope: str) -> Scope:
    """The programme's projects this person oversees (all of them, or their coachees' for a coach).

    Scope "all" (``portfolio_scope``: a lead or a critical friend of the programme) is every project of the
    programme, as ``visible_to`` grants the programme's overseers: filtered by the programme alone, the
    database is not asked to test each of the person's other routes to a project, 10,000 times over.
    A coach's scope is their coachees' projects, each in the cohort its owner is coached in: when the request
    knows the coach coaches every cohort their assignments are in, that and nothing more (``_coachees``), else
    worked out once to the ids of those projects the sharing rule lets them read.
    """
    if scope == "all" and not user.is_superuser:
        # (A superuser is "all" by ``is_programme_lead`` but gets no exception from ``visible_to``: the
        # general rule below decides for them.)
        return Scope(ChangeProject.objects.filter(cohort__programme=programme))
    if scope == "coachees":
        assigned = CoachAssignment.objects.filter(coach=user, cohort__programme=programme)
        found = _coachees(user, assigned)
        if found is not None:
            return found
        # Read once, to a list of ids. (The views read the person's roles first, so the rule is over their
        # lists of cohorts and programmes; over its subqueries, SQLite tests the rule's conditions before
        # narrowing to the coachees: 6 ms for a coach of 150 in a programme of 10,000.)
        ids = list(_theirs(assigned).visible_to(user, include_public=False).values_list("pk", flat=True))
        return Scope(ChangeProject.objects.filter(pk__in=ids))
    return Scope(
        ChangeProject.objects.visible_to(user, include_public=False).filter(cohort__programme=programme)
    )


def _theirs(assigned):
    """The coachees' projects, each in the cohort its owner is coached in (found by the owner's index)."""
    return ChangeProject.objects.filter(owner_id__in=assigned.values("participant_id")).filter(
        Exists(assigned.filter(participant=OuterRef("owner_id"), cohort=OuterRef("cohort_id")))
    )


def _coachees(user, assigned) -> Scope | None:
    """A coach's scope with nothing asked of the sharing rule, when this request has read their roles and they
    coach every cohort their assignments are in (one small query, a row a cohort): the rule grants a cohort's
    coaches every project in it (``ChangeProject.objects.visible_to``). Its SQL grows with the cohorts (a
    coach's handful), not with the coachees; its key names the assignments' count, newest id and latest change
    in each cohort, so it moves with them (and any save or delete of an assignment drops the figures' version:
    ``home.apps``). Else None (the roles are not known, or an assignment outlived the coach's place in its
    cohort)."""
    if known_roles(user) is None:
        return None
    marks = list(
        assigned.order_by("cohort_id")
        .values_list("cohort_id")
        .annotate(n=Count("id"), newest=Max("id"), changed=Max("updated_at"))
    )
    cohorts = [cohort_id for cohort_id, *_rest in marks]
    if not grants_whole_cohorts(user, cohorts):
        return None
    if not marks:
        return Scope(ChangeProject.objects.none(), f"coach:{user.pk}:none")
    digest = hashlib.blake2b(repr(marks).encode(), digest_size=12).hexdigest()
    # The projects of those cohorts (their own index) whose owner the coach coaches in that cohort: the cohorts
    # are the programme's already, so neither test joins the cohorts again.
    coached_here = CoachAssignment.objects.filter(
        coach=user, participant=OuterRef("owner_id"), cohort=OuterRef("cohort_id")
    )
    projects = ChangeProject.objects.filter(cohort_id__in=cohorts).filter(Exists(coached_here))
    return Scope(projects, f"coach:{user.pk}:{digest}")


def apply_filters(
    qs,
    *,
    cohort: str = "",
    status: str = "",
    lens: str = "",
    flag: str = "",
    sort: str = "",
    today: date | None = None,
):
    """The projects narrowed by the filters and ordered by the sort, each computed in the database, and only
    what they need of it: sorting by title asks for no score, filtering by status for no actions."""
    today = today or timezone.localdate()
    order = SORTS.get(sort, SORTS["activity"])[1]
    if "score" in order:
        qs = qs.annotate(score=_latest_score())
    if cohort:
        # A cohort's slug (chosen from the list) is that cohort alone; anything else is words of a name (typed,
        # in a programme of many cohorts).
        is_slug = Exists(Cohort.objects.filter(slug=cohort))
        qs = qs.filter(Q(cohort__slug=cohort) | (~is_slug & Q(cohort__name__icontains=cohort)))
    if status in ProjectStatus.values:
        qs = qs.filter(status=status)
    if lens:
        qs = qs.filter(Exists(LensAnswer.objects.filter(project=OuterRef("pk"), lens_slug=lens)))
    if flag == "awaiting_approval":
        qs = qs.filter(visibility=Visibility.PUBLIC, public_approved_at__isnull=True)
    elif flag == "quiet":
        qs = qs.filter(updated_at__lt=timezone.now() - timedelta(days=QUIET_DAYS))
    elif flag == "overdue":
        qs = qs.annotate(overdue_actions=_overdue_actions(today)).filter(overdue_actions__gt=0)
    return qs.order_by(*order)


# What a row reads of a project, its owner and its cohort (the table, the CSV, ``add_row_facts``, the flags and
# the journey stage): not the project's texts, nor the owner's and the cohort's other columns.
_ROW_FIELDS = (
    "public_id",
    "title",
    "status",
    "visibility",
    "public_approved_at",
    "updated_at",
    "aim_what",
    "owner__full_name",
    "cohort__name",
)


def rows(ids, *, today: date | None = None) -> list[ChangeProject]:
    """The projects of these ids, in this order, with everything the table and the CSV show
    (``add_row_facts``). The ids are the caller's page of ``projects_in_scope``: nothing here asks who may
    read them."""
    read = ChangeProject.objects.filter(pk__in=ids).select_related("owner", "cohort").only(*_ROW_FIELDS)
    by_pk = {p.pk: p for p in read}
    projects = [by_pk[pk] for pk in ids if pk in by_pk]
    url_of = address_by_public_id("projects:detail")
    for p in projects:
        p.url = url_of(p.public_id)
    add_row_facts(projects, today=today)
    return projects


def add_row_facts(projects: list[ChangeProject], *, today: date | None = None) -> None:
    """Set on each project what a row shows: its latest and previous progress scores, its cycles by stage and
    decision, its last activity and the quiet flag, its owner's overdue actions in its cohort, whether it
    awaits public approval, and its cohort's latest survey window opened so far with the score then.

    Four grouped queries for a page of projects (scores, cycles, windows, actions), each simple to build; the
    same rules as the SQL the sorts and filters use (``_overdue_actions``, ``_latest_score``), which a test
    holds to agreeing.
    """
    if not projects:
        return
    today = today or timezone.localdate()
    now = timezone.now()
    ids = [p.pk for p in projects]
    scores = defaultdict(list)  # newest first
    for project_id, scored_on, score in (
        ProgressScore.objects.filter(project_id__in=ids)
        .order_by("project_id", "-scored_on", "-id")
        .values_list("project_id", "scored_on", "score")
    ):
        scores[project_id].append((scored_on, score))
    cycles = defaultdict(Counter)
    for project_id, status, decision, n in (
        Cycle.objects.filter(project_id__in=ids)
        .values_list("project_id", "status", "decision")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts = cycles[project_id]
        if status == CycleStatus.PLANNING:
            counts["planned"] += n
        elif status in (CycleStatus.DOING, CycleStatus.STUDYING):
            counts["running"] += n
        elif status == CycleStatus.COMPLETE:
            counts["complete"] += n
            counts[decision] += n
    windows = {}
    for cohort_id, opens_at, label in (
        SurveyWindow.objects.filter(cohort_id__in={p.cohort_id for p in projects}, opens_at__lte=now)
        .order_by("cohort_id", "-opens_at", "-id")
        .values_list("cohort_id", "opens_at", "label")
    ):
        windows.setdefault(cohort_id, (opens_at, label))
    overdue = {
        (participant_id, cohort_id): n
        for participant_id, cohort_id, n in Action.objects.filter(
            assignment__participant_id__in={p.owner_id for p in projects},
            assignment__cohort_id__in={p.cohort_id for p in projects},
            status=ActionStatus.OPEN,
            due_on__lt=today,
        )
        .values_list("assignment__participant_id", "assignment__cohort_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    quiet_since = now - timedelta(days=QUIET_DAYS)
    for p in projects:
        held = scores.get(p.pk, [])
        p.score = held[0][1] if held else None
        p.previous_score = held[1][1] if len(held) > 1 else None
        counts = cycles.get(p.pk, Counter())
        p.cycles_planned, p.cycles_running = counts["planned"], counts["running"]
        p.cycles_complete = counts["complete"]
        p.cycles_adopted = counts[ActDecision.ADOPT]
        p.cycles_adapted = counts[ActDecision.ADAPT]
        p.cycles_abandoned = counts[ActDecision.ABANDON]
        p.last_activity = p.updated_at
        p.quiet = p.last_activity < quiet_since
        p.overdue_actions = overdue.get((p.owner_id, p.cohort_id), 0)
        p.awaiting_approval = p.visibility == Visibility.PUBLIC and p.public_approved_at is None
        p.window_opens, p.window_label = windows.get(p.cohort_id, (None, ""))
        p.window_score = None
        if p.window_opens is not None:
            # The score in force on the day the window opened (in the programme's time zone).
            day = timezone.localtime(p.window_opens).date()
            p.window_score = next((score for scored_on, score in held if scored_on <= day), None)


def flags_of(project) -> list[Flag]:
    on = {
        "awaiting_approval": project.awaiting_approval,
        "quiet": project.quiet,
        "overdue": project.overdue_actions > 0,
    }
    return [f for f in FLAGS if on[f.key]]


def lens_options(programme) -> list[str]:
    """The lenses answered in the programme's projects (one query)."""
    return list(
        LensAnswer.objects.filter(project__cohort__programme=programme)
        .order_by("lens_slug")
        .values_list("lens_slug", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class MonthRow:
    month: date
    counts: tuple[int, ...]  # projects at each score of ``SCORES``
    unscored: int

    @property
    def total(self) -> int:
        """Every project counted: scored or not."""
        return sum(self.counts) + self.unscored


def score_distribution(projects, *, months: int = 12, today: date | None = None) -> list[MonthRow]:
    """How many projects stood at each progress score at the end of each of the last months.

    ``projects``: a queryset of the projects counted (or a list of their ids). Two queries (the number of
    projects, and their scores read as three columns) and numpy over the scores, never a loop per project.
    """
    today = today or timezone.localdate()
    starts = []
    y, m = today.year, today.month
    for _ in range(months):
        starts.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    starts.reverse()
    if isinstance(projects, list | tuple | set):
        total, ids = len(projects), list(projects)
    else:
        total, ids = projects.count(), projects.order_by().values("pk")
    rows = list(
        ProgressScore.objects.filter(project_id__in=ids)
        .order_by("project_id", "scored_on", "id")
        .values_list("project_id", "scored_on", "score")
    )
    project = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    day = np.fromiter((r[1].toordinal() for r in rows), dtype=np.int64, count=len(rows))
    index = {score: i for i, score in enumerate(SCORES)}
    # A score off the scale (only a hand-edited row could hold one) counts as no score.
    score = np.fromiter((index.get(r[2], -1) for r in rows), dtype=np.int64, count=len(rows))
    # Rows are in date order within each project, so the scores given by a day form a prefix of the
    # project's rows: its last row is the score the project held that day.
    last_of_project = np.append(project[1:] != project[:-1], True) if rows else np.zeros(0, dtype=bool)
    out = []
    for start in starts:
        end = date(start.year + (start.month == 12), start.month % 12 + 1, 1) - timedelta(days=1)
        given = day <= min(end, today).toordinal()
        next_not_given = np.append(~given[1:], True) if rows else np.zeros(0, dtype=bool)
        held = given & (last_of_project | next_not_given)
        counts = np.bincount(score[held & (score >= 0)], minlength=len(SCORES))
        out.append(MonthRow(start, tuple(int(n) for n in counts), total - int(counts.sum())))
    return out


# What a portfolio shows whatever the page or the filters: the score distribution of the projects in scope, the
# lenses the programme's projects answered and its cohorts to filter by. Kept in the cache under a key that changes
# with what they rest on (the newest score, project, lens answer and cohort of all, so rows added around the
# models, by ``bulk_create`` or raw SQL, change it; and the day, which the distribution's last month ends on),
# each entry marked with a version that any score, project, lens answer or cohort saved or deleted drops
# (``forget_programme_figures``): an entry of another version is read afresh.
_FIGURES_VERSION = "portfolio:figures-version"
FIGURES_SECONDS = 24 * 3600


class CohortOption(NamedTuple):
    name: str
    slug: str


class Figures(NamedTuple):
    distribution: list[MonthRow]
    figure: SafeString
    lenses: list[str]
    cohorts: list[CohortOption] | None  # None beyond ``LISTED_COHORTS``: the cohort filter is typed


def cohort_options(programme) -> list[CohortOption] | None:
    listed = choose_cohort(programme, "").listed
    return None if listed is None else [CohortOption(c.name, c.slug) for c in listed]


def figures_now(programme, scoped, *, today: date | None = None) -> Figures:
    """``programme_figures``, read afresh."""
    distribution = score_distribution(scoped, today=today)
    return Figures(
        distribution, distribution_figure(distribution), lens_options(programme), cohort_options(programme)
    )


def forget_programme_figures(**_kwargs) -> None:
    cache.delete(_FIGURES_VERSION)


def _newest_rows() -> str:
    """The highest id of the scores, projects, lens answers and cohorts, anywhere (one query of index lookups)."""
    with connection.cursor() as cursor:
        cursor.execute(_newest_rows_sql())
        return "-".join(str(n) for n in cursor.fetchone())


@functools.cache
def _newest_rows_sql() -> str:
    """``_newest_rows``'s SQL, written once: the same four lookups built by the ORM cost more to compile on every
    view (0.8 ms) than to run."""
    quote = connection.ops.quote_name
    newest = (
        f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})"  # noqa: S608 - the models' own names, quoted: no input
        for model in (ProgressScore, ChangeProject, LensAnswer, Cohort)
    )
    return "SELECT " + ", ".join(newest)


def programme_figures(
    programme, scoped, *, scope_key: str | None = None, today: date | None = None
) -> Figures:
    """The score distribution of the projects in scope (``projects_in_scope``: every project of the programme, or
    a coach's coachees' projects, which the key holds: as ``scope_key`` says, else as their SQL does) with its
    figure, the lenses the programme's projects answered and its cohorts: from the cache when nothing they rest
    on has changed (one small query, one read of the cache), else read and kept. Not for a scope whose SQL
    reads who the person is (a superuser's: ``figures_now``): its key would not change with their memberships."""
    today = today or timezone.localdate()
    stamp = f"{programme.pk}:{_newest_rows()}:{today.isoformat()}"
    scope = scope_key
    if scope is None:
        try:
            scope = hashlib.blake2b(repr(scoped.query.sql_with_params()).encode(), digest_size=12).hexdigest()
        except EmptyResultSet:  # (a coach with no coachee's project yet: nothing to count)
            scope = "none"
    keys = {
        "distribution": f"portfolio:distribution:{scope}:{stamp}",
        "programme": f"portfolio:programme:{stamp}",
    }
    # The version is read with the figures (one read of the cache) and kept in each entry: an entry of an older
    # version is read afresh.
    found = cache.get_many([_FIGURES_VERSION, *keys.values()])
    version = found.get(_FIGURES_VERSION)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_FIGURES_VERSION, version, None)
        version = cache.get(_FIGURES_VERSION, version)  # (another request's, if it set one first)

    def kept(key):
        entry = found.get(keys[key])
        return entry[1] if entry is not None and entry[0] == version else None

    distribution, figure = kept("distribution") or (None, None)
    lenses, cohorts = kept("programme") or (None, None)
    fresh = {}
    if distribution is None:
        distribution = score_distribution(scoped, today=today)
        figure = distribution_figure(distribution)
        fresh[keys["distribution"]] = (version, (distribution, str(figure)))
    if lenses is None:
        lenses, cohorts = lens_options(programme), cohort_options(programme)
        fresh[keys["programme"]] = (version, (lenses, cohorts))
    if fresh:
        cache.set_many(fresh, FIGURES_SECONDS)
    return Figures(distribution, mark_safe(figure), lenses, cohorts)  # noqa: S308


def cycles_summary(project) -> str:
    done = []
    for n, word in (
        (project.cycles_adopted, "adopted"),
        (project.cycles_adapted, "adapted"),
        (project.cycles_abandoned, "abandoned"),
    ):
        if n:
            done.append(f"{n} {word}")
    undecided = project.cycles_complete - sum(
        (project.cycles_adopted, project.cycles_adapted, project.cycles_abandoned)
    )
    if undecided:
        done.append(f"{undecided} no decision")
    return (
        f"{project.cycles_planned} planned, {project.cycles_running} running, "
        f"{project.cycles_complete} complete" + (f" ({', '.join(done)})" if done else "")
    )


# Ten shades from pale to dark NHS blue, one a score: the chart's legend and bars read this.
SCORE_SHADES = (
    "#d6e9f8",
    "#b8d9f3",
    "#9ac8ee",
    "#7cb7e8",
    "#5ea6e2",
    "#4095dc",
    "#2a84cf",
    "#1772bf",
    "#005eb8",
    "#003d78",
)


def distribution_figure(rows: list[MonthRow], *, width: int = 640, height: int = 220) -> SafeString:
    """The distribution as a figure: stacked bars, one a month, each band the projects at one score, a key, and
    the table of every number beneath. Drawn here rather than in the template: a year of ten scores is a few
    hundred elements, which cost the template language more than the rest of the page together. Everything
    written into it is a number, a constant of this module or a month's name (escaped)."""
    left, bottom, top = 40, 30, 10
    tallest = max((sum(r.counts) for r in rows), default=0)
    slot = (width - left - 10) / max(len(rows), 1)
    scale = (height - bottom - top) / (tallest or 1)
    axis_y = height - bottom
    months = [(escape(date_format(r.month, "M Y")), escape(date_format(r.month, "M y"))) for r in rows]
    bars = []
    for i, (row, (month, short)) in enumerate(zip(rows, months, strict=True)):
        x = round(left + i * slot + slot * 0.15, 1)
        y = axis_y
        for score, n, shade in zip(SCORES, row.counts, SCORE_SHADES, strict=True):
            if n:
                h = n * scale
                y -= h
                bars.append(
                    f'<rect x="{x}" y="{round(y, 1)}" width="{round(slot * 0.7, 1)}" height="{round(h, 1)}" '
                    f'fill="{shade}"><title>{month}, score {score}: {n}</title></rect>'
                )
        bars.append(
            f'<text x="{round(x + slot * 0.35, 1)}" y="{axis_y + 18}" text-anchor="middle" font-size="11" '
            f'fill="#212b32">{short}</text>'
        )
    key = " · ".join(
        f'<svg width="12" height="12" aria-hidden="true" focusable="false"><rect width="12" height="12" '
        f'fill="{shade}" stroke="#425563"></rect></svg> {score}'
        for score, shade in zip(SCORES, SCORE_SHADES, strict=True)
    )
    numeric = "nhsuk-table__cell nhsuk-table__cell--numeric"
    head = "".join(
        f'<th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">{s}</th>' for s in SCORES
    )
    body = "".join(
        f'<tr class="nhsuk-table__row"><th scope="row" class="nhsuk-table__header">{month}</th>'
        + "".join(
            f'<td class="{numeric}">'
            + (f'<span class="sp-bar" data-n="{n}">{n}</span>' if n else "0")
            + "</td>"
            for n in r.counts
        )
        + f'<td class="{numeric}">{r.unscored}</td></tr>'
        for r, (month, _short) in zip(rows, months, strict=True)
    )
    return mark_safe(  # noqa: S308  (see the docstring: nothing in it is unescaped text)
        f'<figure><svg class="sp-distribution" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="dist-title dist-desc"><title id="dist-title">Projects at each progress score, month by '
        'month</title><desc id="dist-desc">Stacked bars, one a month; darker bands are higher scores; at most '
        f"{tallest} scored projects in a month. The table below gives every number.</desc>"
        f'<line x1="{left}" y1="{axis_y}" x2="{width - 10}" y2="{axis_y}" stroke="#425563"></line>'
        f'<text x="34" y="{axis_y}" text-anchor="end" font-size="12" fill="#212b32">0</text>'
        f'<text x="34" y="20" text-anchor="end" font-size="12" fill="#212b32">{tallest}</text>{"".join(bars)}</svg>'
        f'<p class="nhsuk-body-s">Key: {key}</p>'
        '<table class="nhsuk-table"><caption class="nhsuk-table__caption">Projects at each progress score, by '
        'month</caption><thead class="nhsuk-table__head"><tr class="nhsuk-table__row">'
        f'<th scope="col" class="nhsuk-table__header">Month</th>{head}'
        '<th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">Not scored</th></tr></thead>'
        f'<tbody class="nhsuk-table__body">{body}</tbody></table></figure>'
    )

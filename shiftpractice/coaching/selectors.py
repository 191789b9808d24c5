"""Reads on coaching, shaped for the pages that show them, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import pluralize
from django.utils import timezone

from shiftpractice.cohorts.models import Workshop
from shiftpractice.core.access_log import record_read
from shiftpractice.core.dates import day_month_year
from shiftpractice.core.links import address_by_public_id
from shiftpractice.measures.selectors import signals_by_measure
from shiftpractice.projects import selectors as project_selectors
from shiftpractice.projects.choices import CycleStatus
from shiftpractice.projects.models import ChangeProject, ProgressScore
from shiftpractice.projects.models.project import grants_whole_cohorts

from .choices import ActionStatus
from .models import Action, CoachAssignment, CoachNote, JournalEntry, SupportContact
from .models.support import DEFAULT_NUDGE_DAYS
from .permissions import coach_notes_readable_by, policy_for


@dataclass
class SupportRow:
    """One coachee as the coach dashboard (and the participant's own support page) shows them."""

    assignment: CoachAssignment  # its own columns (the people and the cohort are named below, not loaded)
    participant_name: str
    coach_name: str
    cohort_name: str
    last_contact: date | None
    next_contact: date | None
    open_actions: int
    overdue_actions: int
    projects: list | None = field(default_factory=list)  # None: not read (the home page's summaries)
    signals: list | None = None  # None: the measures app cannot tell us yet
    days_quiet: int = 0
    nudge_after: int = 21
    # Worked out once for the row (a template asks each several times): the coachee page's address, whether
    # the support runs today, whether the next agreed contact has passed.
    url: str = ""
    is_current: bool = True
    next_contact_missed: bool = False

    @property
    def needs_nudge(self) -> bool:
        return self.is_current and self.days_quiet >= self.nudge_after

    @property
    def signals_line(self) -> str:
        """The signals as the table's cell says them: each measure once with the kinds of its signals, "Falls
        (shift, trend); Waiting time (run)" (plain text, escaped where it is shown)."""
        return "; ".join(
            f"{g['name']} ({', '.join(g['labels']).lower()})" for g in signals_by_measure(self.signals)
        )

    @property
    def last_contact_day(self) -> str:
        return day_month_year(self.last_contact)

    @property
    def next_contact_day(self) -> str:
        return day_month_year(self.next_contact)

    @property
    def cycles_waiting(self) -> int:
        return sum(p.cycles_studying for p in self.projects or [])


def _latest(field_name: str):
    return Subquery(
        SupportContact.objects.filter(assignment=OuterRef("pk"))
        .order_by("-occurred_on", "-id")
        .values(field_name)[:1]
    )


def new_signals(projects, since_by_project: dict[int, date | None]) -> dict | None:
    """Chart signals per project id that are new since the last contact, from the measures app.

    A contact is dated, not timed, so "since" is the end of the contact's day: data changed on the day of
    the conversation counts as already seen. Returns None when the measures app cannot provide signals, so
    pages say "not available" rather than "none".
    """
    try:
        from shiftpractice.measures.selectors import new_signals_for_projects
    except ImportError:
        return None
    since = {
        pk: timezone.make_aware(datetime.combine(day, time.max)) if day else None
        for pk, day in since_by_project.items()
    }
    return new_signals_for_projects([p.pk for p in projects], since=since)


def support_rows(
    assignments, *, viewer, today: date | None = None, signals: bool = True, projects: bool = True
) -> list[SupportRow]:
    """The support picture for each assignment: contacts, actions, project progress, cycles waiting to be
    studied and, with ``signals``, chart signals. Four queries whatever the number of coachees, plus the
    measures app's (asked once, about the projects of current assignments only). Without ``projects`` the
    rows carry contacts and actions only (their ``projects`` are None, so they get no signals either)."""
    rows = _support_rows(assignments, viewer=viewer, today=today, projects=projects)
    if signals:
        attach_signals(rows)
    return rows


# What a support row reads of its assignment: its own columns, and the names around it as plain values (no user,
# cohort, programme or policy objects made for each row).
_ROW_FIELDS = ("public_id", "starts_on", "ends_on", "participant", "coach", "cohort")
_NAMES = {
    "participant_name": F("participant__full_name"),
    "coach_name": F("coach__full_name"),
    "cohort_name": F("cohort__name"),
    "nudge_after_days": F("cohort__programme__coaching_policy__nudge_after_days"),  # None: no policy saved
}


def _support_rows(
    assignments, *, viewer, today: date | None = None, projects: bool = True
) -> list[SupportRow]:
    today = today or timezone.localdate()
    rows = list(_row_columns(assignments, today).order_by("participant__full_name", "cohort__start_date"))
    return _rows_of(rows, viewer=viewer, today=today, projects=projects)


def _row_columns(assignments, today: date):
    """The assignments with what a support row shows of them (``_rows_of``), read in one query."""
    return assignments.only(*_ROW_FIELDS).annotate(
        **_NAMES,
        last_contact=_latest("occurred_on"),
        next_contact=_latest("next_contact_on"),
        open_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN)),
        overdue_actions=Count(
            "actions", filter=Q(actions__status=ActionStatus.OPEN, actions__due_on__lt=today)
        ),
    )


def _rows_of(rows: list[CoachAssignment], *, viewer, today: date, projects: bool = True) -> list[SupportRow]:
    """Support rows for assignments that carry ``last_contact``, ``next_contact``, ``open_actions`` and
    ``overdue_actions`` (as ``_support_rows`` annotates them): one query for their projects, or none without
    ``projects`` (the rows' ``projects`` are then None)."""
    if not rows:
        return []
    by_owner = _projects_by_owner(rows, viewer) if projects else None
    url_of = address_by_public_id("coaching:coachee")
    result = []
    for a in rows:
        if not hasattr(a, "participant_name"):
            # A whole assignment, with its people and cohort (the coachee page): named from them.
            a.participant_name, a.coach_name = a.participant.full_name, a.coach.full_name
            a.cohort_name, a.nudge_after_days = a.cohort.name, policy_for(a.cohort.programme).nudge_after_days
        quiet_since = a.last_contact or a.starts_on
        result.append(
            SupportRow(
                assignment=a,
                participant_name=a.participant_name,
                coach_name=a.coach_name,
                cohort_name=a.cohort_name,
                last_contact=a.last_contact,
                next_contact=a.next_contact,
                open_actions=a.open_actions,
                overdue_actions=a.overdue_actions,
                projects=None if by_owner is None else by_owner.get((a.participant_id, a.cohort_id), []),
                days_quiet=max((today - quiet_since).days, 0),
                nudge_after=DEFAULT_NUDGE_DAYS if a.nudge_after_days is None else a.nudge_after_days,
                url=url_of(a.public_id),
                is_current=a.is_current(today),
                next_contact_missed=bool(a.next_contact and a.next_contact < today),
            )
        )
    return result


def _projects_by_owner(rows: list[CoachAssignment], viewer) -> dict[tuple[int, int], list]:
    """The projects the viewer may read of the rows' coachees in the rows' cohorts, with their latest score
    and cycles waiting to be studied, by (owner, cohort)."""
    latest_score = Subquery(
        ProgressScore.objects.filter(project=OuterRef("pk"))
        .order_by("-scored_on", "-id")
        .values("score")[:1],
        output_field=DecimalField(max_digits=2, decimal_places=1),
    )
    cohorts = {a.cohort_id for a in rows}
    # A coach of every one of the rows' cohorts reads every project in them: the rule need not be asked.
    readable = (
        ChangeProject.objects.all()
        if grants_whole_cohorts(viewer, cohorts)
        else ChangeProject.objects.visible_to(viewer)
    )
    projects = list(
        readable.filter(owner_id__in={a.participant_id for a in rows}, cohort_id__in=cohorts)
        .only("public_id", "owner_id", "cohort_id", "title", "status", "updated_at")
        .annotate(
            latest_score=latest_score,
            cycles_studying=Count("cycles", filter=Q(cycles__status=CycleStatus.STUDYING)),
        )
        .order_by("-updated_at")
    )
    by_owner: dict[tuple[int, int], list] = {}
    for project in projects:
        by_owner.setdefault((project.owner_id, project.cohort_id), []).append(project)
    return by_owner


def attach_signals(rows: list[SupportRow]) -> None:
    """Fill in the chart signals of the current rows with one call to the measures app for all of them.

    Rows of support that has ended get none (``signals`` stays None: "not available"): nobody acts on them.
    """
    current = [row for row in rows if row.is_current and row.projects is not None]
    if not current:
        return
    since = {p.pk: row.last_contact for row in current for p in row.projects}
    if not since:
        for row in current:
            row.signals = []
        return
    signals = new_signals([p for row in current for p in row.projects], since)
    if signals is not None:
        for row in current:
            row.signals = [s for p in row.projects for s in signals.get(p.pk, [])]


def participant_support(participant, *, signals: bool = False, projects: bool = True) -> list[SupportRow]:
    """The participant's own support. Chart signals only when asked; the projects' progress and cycles only
    with ``projects`` (the home page shows neither).

    Most people who open the coaching dashboard as coaches have no coach of their own: a plain existence
    check answers for them, instead of the support query with all its joins and counts."""
    own = CoachAssignment.objects.filter(participant=participant)
    if not own.exists():
        return []
    return support_rows(own, viewer=participant, signals=signals, projects=projects)


COACHEE_SORTS = {
    "name": ("Name, A to Z", ("participant__full_name", "cohort__start_date", "id")),
    "quiet": ("Longest without contact first", ("quiet_since", "participant__full_name", "id")),
    "next": (
        "Next agreed contact first",
        (F("next_contact").asc(nulls_last=True), "participant__full_name", "id"),
    ),
}
PERIODS = {"current": "Current", "upcoming": "Starting later", "ended": "Ended"}


def _period_filters(today: date) -> dict[str, Q]:
    started = Q(starts_on__lte=today)
    running = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    return {"current": started & running, "upcoming": ~started, "ended": started & ~running}


def _coachees(coach, q: str):
    assignments = CoachAssignment.objects.filter(coach=coach)
    return assignments.filter(participant__full_name__icontains=q) if q else assignments


def coachee_counts(coach, *, today: date | None = None) -> dict[str, int]:
    """How many of the coach's assignments are current, starting later and ended (one query)."""
    filters = _period_filters(today or timezone.localdate())
    return _coachees(coach, "").aggregate(**{p: Count("pk", filter=f) for p, f in filters.items()})


def coachee_list(coach, *, period: str, q: str = "", sort: str = "name", today: date | None = None):
    """The coach's assignments in one period (current, starting later, ended), searched by the coachee's name
    and sorted in the database: a queryset, so the dashboard shows a page of it (``rows_for_page``)."""
    assignments = _coachees(coach, q).filter(_period_filters(today or timezone.localdate())[period])
    return assignments.annotate(
        quiet_since=Coalesce(_latest("occurred_on"), F("starts_on")),
        next_contact=_latest("next_contact_on"),
    ).order_by(*COACHEE_SORTS.get(sort, COACHEE_SORTS["name"])[1])


def coachee_rows(coach, *, period: str, q: str = "", sort: str = "name", today: date | None = None):
    """``coachee_list`` with everything a support row shows, so a page of it is read in one query (the
    dashboard: then ``rows_of``)."""
    today = today or timezone.localdate()
    return _row_columns(coachee_list(coach, period=period, q=q, sort=sort, today=today), today)


def rows_of(assignments, *, viewer, today: date | None = None) -> list[SupportRow]:
    """Support rows (no signals yet) for assignments read by ``coachee_rows``, in their order."""
    return _rows_of(list(assignments), viewer=viewer, today=today or timezone.localdate())


def rows_for_page(assignment_ids, *, viewer, projects: bool = True) -> list[SupportRow]:
    """Support rows (``_support_rows``, no signals yet) for a page of assignment ids, in the page's order."""
    order = {pk: n for n, pk in enumerate(assignment_ids)}
    assignments = CoachAssignment.objects.filter(pk__in=list(order))
    rows = _support_rows(assignments, viewer=viewer, projects=projects) if order else []
    return sorted(rows, key=lambda row: order[row.assignment.pk])


def coachees_needing_attention(coach, *, limit: int = 5) -> dict:
    """For the home page: how many people the coach supports now, and the few longest without a contact."""
    current = coachee_list(coach, period="current", sort="quiet")
    longest = rows_for_page(list(current.values_list("pk", flat=True)[:limit]), viewer=coach, projects=False)
    return {"count": current.count(), "longest_quiet": longest}


def cohort_assignments(cohort):
    """The cohort's coaching assignments in the overview's order (coachee's name), as ids to page through."""
    return (
        CoachAssignment.objects.filter(cohort=cohort)
        .order_by("participant__full_name", "id")
        .values_list("pk", flat=True)
    )


def cohort_overview(assignment_ids, *, viewer) -> list[SupportRow]:
    """The support rows, with chart signals, of a page of a cohort's assignments."""
    rows = rows_for_page(assignment_ids, viewer=viewer)
    attach_signals(rows)
    return rows


def _record_note_reads(assignment: CoachAssignment, notes: list, viewer) -> None:
    """A lead shown coaches' private notes (under the policy they were written under) leaves one entry in the
    access log for the page, which the participant sees on their profile. A coach reading their own notes
    leaves none."""
    if not notes:
        return
    count = len(notes)
    record_read(
        actor=viewer,
        subject=assignment.participant,
        obj=assignment,
        kind="coach_notes",
        what=f"The coach's private notes on {count} coaching conversation{pluralize(count)}",
        programme_id=assignment.cohort.programme_id,
        notes=sorted(n.pk for n in notes),
    )


def assignment_page(assignment: CoachAssignment, *, viewer) -> dict:
    """Everything one coaching relationship shows. Each private note is fetched only for those allowed to
    read it: its author, and the leads when the policy it was written under let them."""
    policy = policy_for(assignment.cohort.programme)
    contacts = list(
        assignment.contacts.select_related("logged_by")
        .prefetch_related("actions")
        .order_by("-occurred_on", "-id")
    )
    notes = {}
    if contacts:
        notes = {
            n.contact_id: n for n in coach_notes_readable_by(viewer, assignment).select_related("author")
        }
    for contact in contacts:
        contact.private_note = notes.get(contact.pk)
    _record_note_reads(assignment, [n for n in notes.values() if n.author_id != viewer.pk], viewer)
    actions = list(
        Action.objects.filter(assignment=assignment)
        .select_related("project", "cycle", "contact")
        .order_by("status", "due_on", "id")
    )
    # The support row's figures from the contacts and actions just read (newest contact first), not read again.
    today = timezone.localdate()
    assignment.last_contact = contacts[0].occurred_on if contacts else None
    assignment.next_contact = contacts[0].next_contact_on if contacts else None
    open_actions = [a for a in actions if a.status == ActionStatus.OPEN]
    assignment.open_actions = len(open_actions)
    assignment.overdue_actions = sum(1 for a in open_actions if a.due_on and a.due_on < today)
    row = _rows_of([assignment], viewer=viewer, today=today)[0]
    attach_signals([row])
    shared = list(
        JournalEntry.objects.visible_to(viewer)
        .filter(author=assignment.participant, cohort=assignment.cohort)
        .exclude(author=viewer)
        .order_by("-created_at")[:10]
    )
    earlier_open = False
    if viewer.pk == assignment.participant_id and not policy.leads_read_coach_notes and contacts:
        # The policy is off now, but notes written while it was on stay readable by the leads: say so.
        earlier_open = CoachNote.objects.filter(contact__assignment=assignment, leads_may_read=True).exists()
    return {
        "policy": policy,
        "contacts": contacts,
        "show_notes": bool(notes),
        "earlier_notes_open_to_leads": earlier_open,
        "open_actions": open_actions,
        "closed_actions": [a for a in actions if a.status != ActionStatus.OPEN],
        "row": row,
        "shared_reflections": shared,
        "waiting_cycles": project_selectors.cycles_waiting(row.projects) if row.projects else [],
    }


def cohort_workshops(cohorts) -> list[Workshop]:
    return list(Workshop.objects.filter(cohorts__in=cohorts).prefetch_related("cohorts").distinct())

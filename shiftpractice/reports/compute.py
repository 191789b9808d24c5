"""Everything an evaluation report says, computed from live data as one plain dictionary.

The same dictionary is rendered as the page, the PDF and the CSV/XLSX, and frozen as a published version's
snapshot, so a published report never changes when data do. Every number is an aggregate query (counts, sums,
groupings in the database), never a loop over participants in Python, so a programme of 1,000 people runs the
same queries as a cohort of ten; the one exception is the paired survey analysis, which pairs each person's two
answers (one query, in ``evaluation.selectors.paired_results``) because that is what a paired test is.

Small cells: any count of people below the evaluation plan's minimum group, and any breakdown row about fewer
people than that, is suppressed (``None``, shown as "fewer than N") everywhere the dictionary goes, the CSV
included.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from shiftpractice.coaching.models import PeerMeeting, SupportContact
from shiftpractice.cohorts.choices import AttendanceStatus, Role
from shiftpractice.cohorts.models import Attendance, Cohort, Membership
from shiftpractice.evaluation import selectors as evaluation_selectors
from shiftpractice.evaluation.choices import (
    DEFAULT_MINIMUM_GROUP,
    IndicatorKind,
    PlatformCount,
    ResponseStatus,
    WindowLabel,
)
from shiftpractice.evaluation.models import EvaluationPlan, Response, SurveyWindow
from shiftpractice.measures.choices import MeasureType
from shiftpractice.measures.models import Measure
from shiftpractice.msc import selectors as msc_selectors
from shiftpractice.outcomes import selectors as outcome_selectors
from shiftpractice.projects.choices import (
    ActDecision,
    ActivityPhase,
    CycleStatus,
    ImpactDirection,
    ProjectStatus,
)
from shiftpractice.projects.models import (
    CarbonActivity,
    ChangeProject,
    Cycle,
    FinancialImpact,
    ProgressScore,
    SocialImpact,
)

SNAPSHOT_VERSION = 1
SURVEYS_CACHE_SECONDS = 24 * 3600
SUPPRESSION_VERSION = 2  # raise when what is suppressed changes, so no cached result keeps an old rule


class Scope:
    """A cohort (the interim report) or the whole programme (the final report), as filters on each table."""

    def __init__(self, programme, cohort: Cohort | None = None):
        self.programme = programme
        self.cohort = cohort

    def cohorts(self):
        return Cohort.objects.filter(pk=self.cohort.pk) if self.cohort else self.programme.cohorts.all()

    def q(self, path: str) -> Q:
        """Rows whose ``path`` (a lookup to a cohort) is in scope: ``q("project__cohort")``."""
        if self.cohort:
            return Q(**{path: self.cohort.pk})
        return Q(**{f"{path}__programme_id": self.programme.pk})


def _small(n, minimum: int):
    """A count of people, or None when it is too small to show without pointing at someone."""
    return n if n is not None and n >= minimum else None


def hidden_cells(counts: list[int], minimum: int) -> set[int]:
    """Which of these counts of people to hide (by position) so none below the minimum can be seen or worked
    out from the others and their total: each one below it, then, while the hidden ones add up to fewer than the
    minimum (the total less the shown ones would give them away), the smallest still shown too.

    >>> sorted(hidden_cells([12, 3, 9], 5))  # 3 alone would be total - 21: hide 9 as well
    [1, 2]
    >>> sorted(hidden_cells([12, 6, 9], 5)), sorted(hidden_cells([2, 4], 5))
    ([], [0, 1])
    """
    hidden = {i for i, n in enumerate(counts) if n < minimum}
    while hidden and sum(counts[i] for i in hidden) < minimum:
        shown = [i for i in range(len(counts)) if i not in hidden]
        if not shown:
            break
        hidden.add(min(shown, key=lambda i: counts[i]))
    return hidden


def _rate(part, whole):
    return round(100 * part / whole) if whole else None


def _plan(programme) -> EvaluationPlan | None:
    return EvaluationPlan.objects.filter(programme=programme).first()


# ---- each section ---------------------------------------------------------------------------------------


def _participants(scope: Scope):
    return Membership.objects.filter(scope.q("cohort"), role=Role.PARTICIPANT)


def participation(scope: Scope, minimum: int) -> tuple[dict, list[str]]:
    """The participation figures, and the survey window labels the scope has (for the progress scores)."""
    participants = _participants(scope).values("user_id").distinct().count()
    # Participants' places only (coaches and facilitators are recorded too): an EXISTS per row, which SQLite
    # and PostgreSQL both answer from the membership index, where an IN list was planned slowly.
    is_participant = _participants(scope).filter(user_id=OuterRef("user_id"))
    attendance = Attendance.objects.filter(Exists(is_participant), workshop__in=_workshops(scope)).aggregate(
        # Filtered through subqueries, so each row is counted once without DISTINCT.
        records=Count("id"),
        attended=Count("id", filter=Q(status=AttendanceStatus.ATTENDED)),
        workshops=Count("workshop", distinct=True),
    )
    coaching = SupportContact.objects.filter(scope.q("assignment__cohort")).aggregate(
        contacts=Count("id"),
        minutes=Coalesce(Sum("duration_minutes"), 0),
        people=Count("assignment__participant", distinct=True),
    )
    peer = PeerMeeting.objects.filter(scope.q("group__cohort")).aggregate(
        meetings=Count("id"), groups=Count("group", distinct=True)
    )
    # Two grouped counts rather than one query joining windows to both answers and members (a cross product).
    submitted = dict(
        Response.objects.filter(scope.q("window__cohort"), status=ResponseStatus.SUBMITTED)
        .values_list("window__label")
        .annotate(n=Count("id"))
        .order_by()
    )
    windows = [
        {**w, "submitted": submitted.get(w["label"], 0)}
        for w in SurveyWindow.objects.filter(scope.q("cohort"))
        .values("label")
        .annotate(invited=Count("cohort__memberships", filter=Q(cohort__memberships__role=Role.PARTICIPANT)))
        .order_by("label")
    ]
    order = {value: i for i, value in enumerate(WindowLabel.values)}
    windows.sort(key=lambda w: order.get(w["label"], 9))
    responses = [
        {
            "label": WindowLabel(w["label"]).label,
            "invited": _small(w["invited"], minimum),
            "submitted": _small(w["submitted"], minimum),
            # A rate gives the count away: shown only when both counts are.
            "rate": _rate(w["submitted"], w["invited"])
            if min(w["invited"], w["submitted"]) >= minimum
            else None,
        }
        for w in windows
    ]
    return {
        "participants": _small(participants, minimum),
        "cohorts": scope.cohorts().count(),
        "workshops": attendance["workshops"],
        "attendance_rate": _rate(attendance["attended"], attendance["records"]),
        # Places over workshops gives the number of people: hidden when that number is.
        "attendance_records": attendance["records"] if participants >= minimum else None,
        "contacts": coaching["contacts"],
        "contact_hours": round(coaching["minutes"] / 60, 1),
        "people_coached": _small(coaching["people"], minimum),
        "peer_groups": peer["groups"],
        "peer_meetings": peer["meetings"],
        "responses": responses,
    }, [w["label"] for w in windows]


def _workshops(scope: Scope):
    from shiftpractice.cohorts.models import Workshop

    return Workshop.objects.filter(scope.q("cohorts")).values("pk")


def surveys(scope: Scope, plan: EvaluationPlan | None) -> list[dict]:
    """The paired results of every window pair, kept in the cache under a fingerprint of the answers (how many
    windows and responses there are and when they last changed: one query), so the pairing and the tests run
    when answers change, not each time a draft is read."""
    if plan is None:
        return []
    stamp = SurveyWindow.objects.filter(scope.q("cohort")).aggregate(
        n_windows=Count("id", distinct=True),
        windows_changed=Max("updated_at"),
        n_responses=Count("responses"),
        responses_changed=Max("responses__updated_at"),
    )
    fingerprint = ":".join(
        str(part)
        for part in (
            SNAPSHOT_VERSION,
            scope.programme.pk,
            scope.cohort.pk if scope.cohort else 0,
            plan.minimum_group,
            *(stamp[k] for k in ("n_windows", "windows_changed", "n_responses", "responses_changed")),
        )
    )
    key = f"reports:surveys:{SUPPRESSION_VERSION}:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _jsonable(_paired(scope, plan))
        cache.set(key, found, SURVEYS_CACHE_SECONDS)
    return found


def _paired(scope: Scope, plan: EvaluationPlan) -> list[dict]:
    minimum = plan.minimum_group
    out = []
    for before, after in evaluation_selectors.available_pairs(plan, scope.cohort):
        result = evaluation_selectors.paired_results(
            plan=plan, before=before, after=after, cohort=scope.cohort
        )
        rows = []
        for r in result.rows:
            analysis = r.analysis
            rows.append(
                {
                    "label": r.series.label,
                    "suppressed": r.suppressed,
                    "pairs": r.n_pairs if not r.suppressed else None,
                    "median_before": r.median_before,
                    "median_after": r.median_after,
                    # Each is a count of people: shown only when it is not too small.
                    "improved": _small(r.improved, minimum) if not r.suppressed else None,
                    "same": _small(r.same, minimum) if not r.suppressed else None,
                    "worse": _small(r.worse, minimum) if not r.suppressed else None,
                    "p_value": getattr(getattr(analysis, "wilcoxon", None), "p_value", None),
                    "effect": getattr(getattr(analysis, "effect_size", None), "rank_biserial", None),
                }
            )
        out.append({"before": result.before_label, "after": result.after_label, "rows": rows})
    return out


def _score_counts(mine, labels: list[str]) -> list[tuple[str, object, int]]:
    """(window label, score, projects) for each project's latest progress score on or before its own cohort's
    window of that label closed (a date against the closing time: a score given on the closing day counts).

    One query: the scores joined to their cohort's windows, ranked newest first per project and window, and the
    first of each counted, grouped in the database. (A correlated subquery per project and window, the plain
    way to write it, ran each subquery three times a row and was most of the final report's time at 1,000.)"""
    windows = "project__cohort__survey_windows"
    ranked = (
        ProgressScore.objects.filter(
            Q(**{f"{windows}__label__in": labels}),
            project__in=mine.values("pk"),
            scored_on__lte=F(f"{windows}__closes_at"),
        )
        .annotate(
            window_label=F(f"{windows}__label"),
            newest=Window(
                RowNumber(),
                partition_by=[F("project_id"), F(f"{windows}__label")],
                order_by=[F("scored_on").desc(), F("id").desc()],
            ),
        )
        .filter(newest=1)
        .order_by()
        .values_list("window_label", "score")
    )
    sql, params = ranked.query.sql_with_params()
    with connection.cursor() as cursor:
        # Django groups such a query before ranking it (counting every score, not the newest), so the grouping
        # wraps its SQL instead; the SQL is Django's own, with the values passed as parameters.
        cursor.execute(f"SELECT ranked.*, COUNT(*) FROM ({sql}) ranked GROUP BY 1, 2", params)  # noqa: S608
        return cursor.fetchall()


def _scores_at_windows(mine, labels: list[str], minimum: int) -> list[dict]:
    """The distribution of progress scores at each survey window: a grouped count per window label."""
    if not labels:
        return []
    rows = _score_counts(mine, labels)
    bands: dict[str, list] = {label: [] for label in labels}
    for label, score, n in rows:
        bands[label].append((f"{float(score):.1f}", n))
    out = []
    for label in labels:
        found = sorted(bands[label])
        total = sum(n for _, n in found)
        hide = hidden_cells([n for _, n in found], minimum)
        out.append(
            {
                "window": WindowLabel(label).label,
                "projects": _small(total, minimum),
                "bands": [(score, None if i in hide else n) for i, (score, n) in enumerate(found)]
                if total >= minimum
                else [],
            }
        )
    return out


def projects(scope: Scope, minimum: int, window_labels: list[str]) -> dict:
    mine = ChangeProject.objects.filter(scope.q("cohort"))
    by_status = dict(mine.values_list("status").annotate(n=Count("id")).order_by())
    cycles = Cycle.objects.filter(scope.q("project__cohort")).aggregate(
        total=Count("id"),
        **{
            value: Count("id", filter=Q(status=CycleStatus.COMPLETE, decision=value))
            for value in ActDecision.values
        },
    )
    scores_at = _scores_at_windows(mine, window_labels, minimum)
    measures = (
        Measure.objects.filter(scope.q("project__cohort"))
        .values("measure_type")
        .annotate(
            n=Count("pk"),
            improving=Count("pk", filter=Q(chart_summary__improving_in_latest_phase__gt=0)),
            signalling=Count("pk", filter=Q(chart_summary__signal_count__gt=0)),
        )
        .order_by("measure_type")
    )
    carbon = CarbonActivity.objects.filter(scope.q("project__cohort")).aggregate(
        before_low=Sum("annual_kgco2e_low", filter=Q(phase=ActivityPhase.BEFORE)),
        before_high=Sum("annual_kgco2e_high", filter=Q(phase=ActivityPhase.BEFORE)),
        after_low=Sum("annual_kgco2e_low", filter=Q(phase=ActivityPhase.AFTER)),
        after_high=Sum("annual_kgco2e_high", filter=Q(phase=ActivityPhase.AFTER)),
        projects=Count("project", distinct=True),
    )
    money = FinancialImpact.objects.filter(scope.q("project__cohort")).aggregate(
        low=Sum(Coalesce("annual_gbp_low", "annual_gbp")),
        high=Sum(Coalesce("annual_gbp_high", "annual_gbp")),
        projects=Count("project", distinct=True),
    )
    social = dict(
        SocialImpact.objects.filter(scope.q("project__cohort"))
        .values_list("direction")
        .annotate(n=Count("id"))
        .order_by()
    )

    def num(value):
        return float(value) if value is not None else None

    return {
        "total": sum(by_status.values()),
        "by_status": [(label, by_status.get(value, 0)) for value, label in ProjectStatus.choices],
        "cycles": cycles["total"],
        "cycles_by_decision": [(value.capitalize(), cycles[value]) for value in ActDecision.values],
        "scores_at_windows": scores_at,
        "signals_by_type": [
            {
                "type": MeasureType(m["measure_type"]).label,
                "measures": m["n"],
                "improving": m["improving"],
                "signalling": m["signalling"],
            }
            for m in measures
        ],
        "carbon": {
            "projects": carbon["projects"],
            "before": [num(carbon["before_low"]), num(carbon["before_high"])],
            "after": [num(carbon["after_low"]), num(carbon["after_high"])],
            # The saving as a range: the least (before at its lowest less after at its highest) to the most.
            "saving": [
                num((carbon["before_low"] or 0) - (carbon["after_high"] or 0))
                if carbon["projects"]
                else None,
                num((carbon["before_high"] or 0) - (carbon["after_low"] or 0))
                if carbon["projects"]
                else None,
            ],
        },
        "financial": {"projects": money["projects"], "range": [num(money["low"]), num(money["high"])]},
        "social": [(label, social.get(value, 0)) for value, label in ImpactDirection.choices],
    }


def indicators(scope: Scope, plan: EvaluationPlan | None, part: dict, projects_part: dict) -> list[dict]:
    """Each indicator of the plan with the value the platform knows, where it knows one."""
    if plan is None:
        return []
    completed = projects_part["cycles"] and sum(n for _, n in projects_part["cycles_by_decision"])
    known = {
        PlatformCount.PDSA_CYCLES: f"{completed} completed PDSA cycles",
        PlatformCount.COACHING_CONTACTS: f"{part['contacts']} coaching contacts ({part['contact_hours']} hours)",
        PlatformCount.WORKSHOP_ATTENDANCE: (
            f"{part['attendance_rate']}% of workshop places attended"
            if part["attendance_rate"] is not None
            else "No attendance recorded"
        ),
        PlatformCount.PROGRESS_SCORE: _score_text(projects_part),
    }
    elsewhere = {
        IndicatorKind.SURVEY_SCALE: "See the survey results.",
        IndicatorKind.SURVEY_ITEM: "See the survey results.",
        IndicatorKind.MEASURE_ROLLUP: "See the chart signals by measure type.",
        IndicatorKind.QUALITATIVE: "See the outcome harvest and the most significant change stories.",
    }
    rows = []
    for ind in plan.indicators.select_related("question").order_by("created_at", "id"):
        rows.append(
            {
                "id": ind.pk,
                "name": ind.name,
                "question": ind.question.text if ind.question else "",
                "kind": ind.get_kind_display(),
                "definition": ind.definition,
                "success_criterion": ind.success_criterion,
                "value": known.get(ind.platform_count, "")
                if ind.kind == IndicatorKind.PLATFORM_COUNT
                else elsewhere.get(ind.kind, ""),
                "state": ind.get_state_display(),
            }
        )
    return rows


def _score_text(projects_part: dict) -> str:
    latest = [w for w in projects_part["scores_at_windows"] if w["bands"]]
    if not latest:
        return "Not enough scores to show."
    w = latest[-1]
    return f"At the {w['window'].lower()} survey: " + ", ".join(
        f"{n if n is not None else 'a few'} at {score}" for score, n in w["bands"]
    )


def by_cohort(scope: Scope, minimum: int) -> list[dict]:
    """One row a cohort (the final report only): people, attendance, responses, projects and cycles."""
    if scope.cohort is not None:
        return []
    # Three grouped queries joined here by cohort (a cohort's row, not a participant's): one query with a
    # correlated subquery per figure ran each for every cohort and was the slowest part of the report.
    projects_by = _by_cohort_id(
        ChangeProject.objects.filter(scope.q("cohort")),
        projects_n=Count("id", distinct=True),
        cycles_n=Count("cycles", filter=Q(cycles__status=CycleStatus.COMPLETE)),
    )
    windows_by = _by_cohort_id(
        SurveyWindow.objects.filter(scope.q("cohort")),
        windows_n=Count("id", distinct=True),
        submitted_n=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED)),
    )
    rows = [
        {**projects_by.get(r["pk"], {}), **windows_by.get(r["pk"], {}), **r}
        for r in scope.cohorts()
        .annotate(people=Count("memberships", filter=Q(memberships__role=Role.PARTICIPANT)))
        .order_by("start_date", "name")
        .values("pk", "name", "people")
    ]
    hide = hidden_cells([r["people"] for r in rows], minimum)
    out = []
    for i, r in enumerate(rows):
        shown = i not in hide
        invited = r["people"] * r.get("windows_n", 0)
        answered = r.get("submitted_n") or 0
        out.append(
            {
                "cohort": r["name"],
                "participants": r["people"] if shown else None,
                "projects": r.get("projects_n", 0) if shown else None,
                "cycles": r.get("cycles_n", 0) if shown else None,
                "response_rate": _rate(answered, invited) if shown and answered >= minimum else None,
            }
        )
    return out


def _by_cohort_id(queryset, **figures) -> dict:
    """The figures, grouped in the database, keyed by cohort id."""
    return {r["cohort_id"]: r for r in queryset.order_by().values("cohort_id").annotate(**figures)}


def by_region(scope: Scope, minimum: int) -> list[dict]:
    """Participants and their projects by the region on their profile; regions with few people are merged
    into one "other regions" row, so no region of one or two people is shown."""
    people = (
        _participants(scope)
        .values(region=F("user__region"))
        .annotate(n=Count("user", distinct=True))
        .order_by("region")
    )
    projects_by = dict(
        ChangeProject.objects.filter(scope.q("cohort"))
        .values_list("owner__region")
        .annotate(n=Count("id"))
        .order_by()
    )
    people = list(people)
    # Regions too small to show, and any more needed so the hidden ones cannot be worked out from the total,
    # are merged into one row, shown only when it is itself big enough.
    hide = hidden_cells([r["n"] for r in people], minimum)
    rows, other_people, other_projects = [], 0, 0
    for i, r in enumerate(people):
        if i in hide:
            other_people += r["n"]
            other_projects += projects_by.get(r["region"], 0)
        else:
            rows.append(
                {
                    "region": r["region"] or "Not given",
                    "participants": r["n"],
                    "projects": projects_by.get(r["region"], 0),
                }
            )
    if other_people:
        shown = other_people >= minimum
        rows.append(
            {
                "region": "Other regions (merged so that no small group can be picked out)",
                "participants": other_people if shown else None,
                "projects": other_projects if shown else None,
            }
        )
    return rows


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "__float__") and not isinstance(value, bool | int | float):
        return float(value)
    return value


def _story_counts(programme, cohort, minimum: int) -> dict:
    """Stories and storytellers: each participant writes at most one story a domain, so these count people."""
    counts = msc_selectors.story_counts(programme, cohort)
    return {
        "stories": _small(counts["stories"], minimum),
        "storytellers": _small(counts["storytellers"], minimum),
        "by_domain": {name: _small(n, minimum) for name, n in counts["by_domain"].items()},
    }


def build(programme, cohort: Cohort | None = None) -> dict:
    """The report's data as it is now: a plain, JSON-ready dictionary."""
    scope = Scope(programme, cohort)
    plan = _plan(programme)
    minimum = plan.minimum_group if plan else DEFAULT_MINIMUM_GROUP
    part, window_labels = participation(scope, minimum)
    project_part = projects(scope, minimum, window_labels)
    data = {
        "version": SNAPSHOT_VERSION,
        "computed_at": timezone.now().isoformat(),
        "minimum": minimum,
        "questions": [{"id": q.pk, "text": q.text} for q in plan.questions.all()] if plan else [],
        "indicators": indicators(scope, plan, part, project_part),
        "participation": part,
        "surveys": surveys(scope, plan),
        "projects": project_part,
        "outcomes": outcome_selectors.harvest_summary(programme, cohort),
        "stories": msc_selectors.chosen_for_report(programme, cohort),
        "story_counts": _story_counts(programme, cohort, minimum),
        "by_cohort": by_cohort(scope, minimum),
        "by_region": by_region(scope, minimum),
    }
    return _jsonable(data)

"""Reads of outcomes: a project's list, the harvest of a cohort or a programme, and the summary the reports use.

Every count is an aggregate in the database: the harvest page and ``harvest_summary`` run the same number of
queries for 20 outcomes as for 5,000.
"""

from django.db.models import Count, Q, QuerySet

from shiftpractice.projects.choices import Visibility

from .choices import LENS_FIELDS, LENS_LABELS, ChangeKind, Status
from .models import Outcome, Substantiation


def outcome_list(project) -> QuerySet:
    """A project's outcomes, newest change first."""
    return Outcome.objects.filter(project=project).select_related("recorded_by")


def substantiation_list(outcome: Outcome) -> QuerySet:
    return Substantiation.objects.filter(outcome=outcome).select_related("by_user")


def harvest_rows(programme, cohort=None, *, lens: str = "", kind: str = "", status: str = "") -> QuerySet:
    """The outcomes of a programme (or of one of its cohorts), narrowed by lens, kind of change and status, with
    what a row of the harvest shows; ready for paging."""
    rows = Outcome.objects.filter(programme=programme)
    if cohort is not None:
        rows = rows.filter(project__cohort=cohort)
    if lens in LENS_FIELDS:
        rows = rows.filter(**{LENS_FIELDS[lens]: True})
    if kind in ChangeKind.values:
        rows = rows.filter(kind=kind)
    if status in Status.values:
        rows = rows.filter(status=status)
    return rows.select_related("project", "project__cohort").order_by("-happened_on", "-id")


def _counts(rows: QuerySet) -> dict:
    """One query: the total, the substantiated, each lens, each status and each kind of change."""
    aggregates = {
        "total": Count("id"),
        "substantiated": Count("id", filter=~Q(status=Status.NONE)),
        **{f"lens__{key}": Count("id", filter=Q(**{column: True})) for key, column in LENS_FIELDS.items()},
        **{f"status__{value}": Count("id", filter=Q(status=value)) for value in Status.values},
        **{f"kind__{value}": Count("id", filter=Q(kind=value)) for value in ChangeKind.values},
    }
    return rows.order_by().aggregate(**aggregates)


def harvest_counts(programme, cohort=None, *, lens: str = "", kind: str = "", status: str = "") -> dict:
    """The counts beside the harvest's filters (of the rows the other filters leave), in two queries."""
    rows = harvest_rows(programme, cohort, lens=lens, kind=kind, status=status).select_related(None)
    totals = _counts(rows)
    by_cohort = list(
        rows.order_by()
        .values("project__cohort__slug", "project__cohort__name")
        .annotate(n=Count("id"))
        .order_by("project__cohort__name")
        .values_list("project__cohort__slug", "project__cohort__name", "n")
    )
    return {
        "total": totals["total"],
        "substantiated": totals["substantiated"],
        "by_lens": {key: totals[f"lens__{key}"] for key in LENS_FIELDS},
        "by_status": {value: totals[f"status__{value}"] for value in Status.values},
        "by_kind": {value: totals[f"kind__{value}"] for value in ChangeKind.values},
        "by_cohort": by_cohort,
    }


def _example(outcome: Outcome) -> dict:
    return {
        "who": outcome.who_changed,
        "what": outcome.description,
        "kind": outcome.get_kind_display(),
        "when": outcome.when_label,
        "significance": outcome.significance,
        "contribution": outcome.contribution,
        "substantiation": outcome.get_status_display(),
        "project_title": outcome.project.title,
        "cohort_name": outcome.project.cohort.name,
    }


def harvest_summary(programme, cohort=None) -> dict:
    """The harvest of a programme (or one cohort) for a report, in three aggregate queries whatever its size.

    ``by_kind`` and ``by_lens`` are keyed by label; ``by_substantiation`` by "agree", "partly", "disagree" and
    "none"; ``examples`` are up to ten substantiated outcomes of projects the whole programme may read, the most
    recent change first."""
    counts = harvest_counts(programme, cohort)
    kind_labels = dict(ChangeKind.choices)
    # A published report is read by everyone in the programme: its examples come only from projects shared
    # with the whole programme (or the public), never from a team's or a cohort's own project.
    examples = (
        harvest_rows(programme, cohort)
        .exclude(status=Status.NONE)
        .filter(project__visibility__in=[Visibility.PROGRAMME, Visibility.PUBLIC])
        .order_by("-happened_on", "-id")[:10]
    )
    return {
        "total": counts["total"],
        "substantiated": counts["substantiated"],
        "by_kind": {kind_labels[k]: n for k, n in counts["by_kind"].items()},
        "by_lens": {LENS_LABELS[k]: n for k, n in counts["by_lens"].items()},
        "by_substantiation": dict(counts["by_status"]),
        "by_cohort": [(name, n) for _slug, name, n in counts["by_cohort"]],
        "examples": [_example(o) for o in examples],
    }

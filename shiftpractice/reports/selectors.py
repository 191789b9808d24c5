"""Reads of evaluation reports: a programme's reports, and one report as its page, PDF and spreadsheet show it."""

from shiftpractice.core.text import render_markdown
from shiftpractice.msc import selectors as msc_selectors

from . import compute
from .choices import WRITTEN, indicator_key, question_key
from .models import Report, ReportVersion


def report_list(programme, *, drafts: bool):
    """The programme's reports with their latest version (drafts' readers see every report; others only
    published ones)."""
    rows = (
        Report.objects.filter(programme=programme)
        .select_related("cohort", "milestone")
        .prefetch_related("versions")
    )
    if not drafts:
        rows = rows.filter(versions__isnull=False).distinct()
    return rows.order_by("-created_at", "-id")


def _without_withdrawn(stories: list[dict]) -> list[dict]:
    """A published version's chosen stories, each one its author has since withdrawn shown only as withdrawn."""
    gone = msc_selectors.withdrawn_among([s.get("id") for s in stories])
    blank = {"title": "", "story": "", "why": "", "reasons": "", "author": "", "withdrawn": True}
    return [{**s, **blank} if s.get("id") in gone else s for s in stories]


def _with_html(writing: dict) -> dict:
    return {key: {**value, "html": render_markdown(value.get("body", ""))} for key, value in writing.items()}


def report_context(report: Report, version: ReportVersion | None = None) -> dict:
    """What the page, the PDF and the spreadsheet show: a published version's frozen data and writing, or the
    report computed now with what has been written so far."""
    from .services import writing_snapshot

    if version is not None:
        data, writing, unwritten = version.data, version.writing, version.unwritten
        data = {**data, "stories": _without_withdrawn(data.get("stories", []))}
    else:
        data = compute.build(report.programme, report.cohort)
        writing, unwritten = writing_snapshot(report, data)
    writing = _with_html(writing)
    questions = [
        {**q, "id_str": str(q["id"]), "writing": writing.get(question_key(q["id"]))}
        for q in data.get("questions", [])
    ]
    indicators = [
        {**i, "id_str": str(i["id"]), "writing": writing.get(indicator_key(i["id"]))}
        for i in data.get("indicators", [])
    ]
    return {
        "report": report,
        "version": version,
        "data": data,
        "questions": questions,
        "indicators": indicators,
        "sections": [(key, heading, writing.get(key)) for key, heading, _ in WRITTEN],
        "unwritten": unwritten,
        "minimum": data.get("minimum"),
    }


def flat_rows(context: dict) -> list[tuple[str, str, str, object]]:
    """The report's aggregates as rows (section, measure, group, value) for the CSV and the XLSX: the numbers
    only, already de-identified, with small cells suppressed ("not shown": fewer people than the plan's minimum
    group, or nothing to count)."""
    data = context["data"]
    rows: list[tuple[str, str, str, object]] = []

    def add(section, measure, group, value):
        rows.append((section, measure, group, "not shown" if value is None else value))

    part = data["participation"]
    for key in (
        "participants",
        "cohorts",
        "workshops",
        "attendance_rate",
        "contacts",
        "contact_hours",
        "people_coached",
        "peer_groups",
        "peer_meetings",
    ):
        add("participation", key, "", part.get(key))
    for w in part.get("responses", []):
        add("participation", "survey invited", w["label"], w["invited"])
        add("participation", "survey submitted", w["label"], w["submitted"])
        add("participation", "survey response rate %", w["label"], w["rate"])
    for pair in data.get("surveys", []):
        for r in pair["rows"]:
            group = f"{pair['before']} to {pair['after']}: {r['label']}"
            for key in ("pairs", "median_before", "median_after", "improved", "same", "worse", "p_value"):
                add("surveys", key, group, None if r["suppressed"] else r.get(key))
    projects = data["projects"]
    add("projects", "projects", "", projects["total"])
    for label, n in projects["by_status"]:
        add("projects", "projects by status", label, n)
    for label, n in projects["cycles_by_decision"]:
        add("projects", "completed cycles by decision", label, n)
    for w in projects["scores_at_windows"]:
        for score, n in w["bands"]:
            add("projects", "progress score", f"{w['window']}: {score}", n)
    for m in projects["signals_by_type"]:
        add("projects", "measures", m["type"], m["measures"])
        add("projects", "measures improving in the latest phase", m["type"], m["improving"])
    carbon = projects["carbon"]
    add("value", "carbon saving kg CO2e a year, low", "", carbon["saving"][0])
    add("value", "carbon saving kg CO2e a year, high", "", carbon["saving"][1])
    add("value", "financial £ a year, low", "", projects["financial"]["range"][0])
    add("value", "financial £ a year, high", "", projects["financial"]["range"][1])
    outcomes = data.get("outcomes") or {}
    add("outcomes", "outcomes", "", outcomes.get("total"))
    add("outcomes", "substantiated", "", outcomes.get("substantiated"))
    for kind, n in (outcomes.get("by_kind") or {}).items():
        add("outcomes", "by kind of change", kind, n)
    for lens, n in (outcomes.get("by_lens") or {}).items():
        add("outcomes", "by lens", lens, n)
    for key, n in (outcomes.get("by_substantiation") or {}).items():
        add("outcomes", "by substantiation", key, n)
    counts = data.get("story_counts") or {}
    add("stories", "stories", "", counts.get("stories"))
    for domain, n in (counts.get("by_domain") or {}).items():
        add("stories", "stories by domain", domain, n)
    for row in data.get("by_cohort", []):
        for key in ("participants", "projects", "cycles", "response_rate"):
            add("by cohort", key, row["cohort"], row[key])
    for row in data.get("by_region", []):
        for key in ("participants", "projects"):
            add("by region", key, row["region"], row[key])
    return rows

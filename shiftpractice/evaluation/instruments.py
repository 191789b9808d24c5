"""From a model version's instruments and the plan's items to survey questions, and from answers to scores.

The instruments' schemas come from the content app (``items`` with ``text`` or ``theme``, or ``item_count`` with
``themes``; ``response_scale`` with ``min``/``max``/``anchors``; ``scoring.method`` ``separate`` or ``sum``, with a
``conversion_table`` for SWEMWBS). What the schema does not say, the direction of a question, is declared here.
"""

from dataclasses import dataclass, field

from .choices import LIKERT5_LABELS, NUMERIC_ITEM_RANGE, ItemKind, QuestionKind

# Questions where a lower answer is the better one ("improved" means it went down).
LOWER_IS_BETTER = {("instrument.ons4", "anxious_yesterday")}

# Instruments a survey can use: scored per item or summed. (The progress scale is scored on projects.)
SURVEY_SCORING = {"separate", "sum"}

# Key of the section that holds the programme's own items, in answers and scores.
PLAN_SECTION = "plan"


@dataclass
class QuestionSpec:
    key: str
    section: str
    text: str
    kind: str
    instrument_ref: str = ""
    scale_min: int | None = None
    scale_max: int | None = None
    options: list = field(default_factory=list)
    lower_is_better: bool = False


def usable_for_surveys(item) -> bool:
    return (item.schema.get("scoring") or {}).get("method") in SURVEY_SCORING and "min" in (
        item.schema.get("response_scale") or {}
    )


def _anchor_options(scale: dict) -> list:
    anchors = scale.get("anchors") or {}
    return [[int(k), v] for k, v in sorted(anchors.items(), key=lambda kv: int(kv[0]))]


def instrument_questions(item) -> list[QuestionSpec]:
    """One question per item of the instrument, keyed ``<slug>:<item key>``."""
    schema = item.schema
    scale = schema.get("response_scale") or {}
    low, high = int(scale["min"]), int(scale["max"])
    rows = []
    if schema.get("items"):
        for entry in schema["items"]:
            rows.append((entry["key"], entry.get("text") or entry.get("theme", entry["key"]), entry))
    else:
        themes = schema.get("themes") or []
        count = int(schema.get("item_count", len(themes)))
        for n in range(1, count + 1):
            theme = themes[n - 1] if n <= len(themes) else ""
            text = f"Statement {n} of {count}" + (f": {theme}" if theme else "")
            rows.append((f"item{n}", text, {}))
    questions = []
    for key, text, entry in rows:
        free = bool(entry.get("free_text"))
        questions.append(
            QuestionSpec(
                key=f"{item.slug}:{key}",
                section=item.title,
                text=text,
                kind=QuestionKind.FREE_TEXT if free else QuestionKind.SCALE,
                instrument_ref=item.ref,
                scale_min=None if free else low,
                scale_max=None if free else high,
                options=[] if free else _anchor_options(scale),
                lower_is_better=(item.slug, key) in LOWER_IS_BETTER,
            )
        )
    return questions


def plan_item_question(item) -> QuestionSpec:
    key = f"{PLAN_SECTION}:{item.key}"
    section = "Questions from this programme"
    if item.kind in NUMERIC_ITEM_RANGE:
        low, high = NUMERIC_ITEM_RANGE[item.kind]
        options = (
            [[v, label] for v, label in LIKERT5_LABELS.items()]
            if item.kind == ItemKind.LIKERT5
            else [[0, "not at all"], [10, "completely"]]
        )
        return QuestionSpec(key, section, item.text, QuestionKind.SCALE, "", low, high, options)
    kind = {
        ItemKind.SINGLE: QuestionKind.SINGLE,
        ItemKind.MULTIPLE: QuestionKind.MULTIPLE,
        ItemKind.FREE_TEXT: QuestionKind.FREE_TEXT,
    }[ItemKind(item.kind)]
    options = [[opt, opt] for opt in item.options] if kind != QuestionKind.FREE_TEXT else []
    return QuestionSpec(key, section, item.text, kind, options=options)


def answer_problem(question, value) -> str:
    """Why a value is not an answer to ``question`` ("" when it is); None (unanswered) is always fine."""
    if value is None or value == "" or value == []:
        return ""
    if question.kind == QuestionKind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{question.text}: give a whole number from {question.scale_min} to {question.scale_max}"
        if not question.scale_min <= value <= question.scale_max:
            return f"{question.text}: {value} is outside the scale of {question.scale_min} to {question.scale_max}"
        return ""
    allowed = {str(opt[0]) for opt in question.options}
    if question.kind == QuestionKind.SINGLE:
        return "" if value in allowed else f"{question.text}: choose one of the options given"
    if question.kind == QuestionKind.MULTIPLE:
        ok = isinstance(value, list) and all(v in allowed for v in value)
        return "" if ok else f"{question.text}: choose from the options given"
    return "" if isinstance(value, str) else f"{question.text}: write your answer as text"


def score(questions, answers: dict, instruments: dict) -> dict:
    """Scores per instrument, as stored with the response.

    ``separate``: each item's answer is its own score (ONS4: four scores, never added up). ``sum``: the total,
    only when every item is answered (GSE 10 to 40); with a ``conversion_table`` the converted score too
    (SWEMWBS metric). Programme items on a numeric scale are scored as answered.
    """
    by_instrument: dict[str, list] = {}
    for q in questions:
        if q.kind == QuestionKind.SCALE:
            section = q.instrument_slug or PLAN_SECTION
            by_instrument.setdefault(section, []).append(q)
    scores = {}
    for section, qs in by_instrument.items():
        item = instruments.get(section)
        method = (item.schema.get("scoring") or {}).get("method") if item else "separate"
        values = {q.key.split(":", 1)[1]: answers.get(q.key) for q in qs}
        if method == "sum":
            complete = all(v is not None for v in values.values())
            total = sum(values.values()) if complete else None
            entry = {"total": total}
            table = item.schema.get("conversion_table") if item else None
            if table and total is not None:
                entry["metric"] = next((row["metric"] for row in table if row["raw"] == total), None)
            scores[section] = entry
        else:
            scores[section] = {k: v for k, v in values.items() if v is not None}
    return scores


@dataclass(frozen=True)
class Series:
    """One line of results: a score or a single question, with the scale it lives on."""

    section: str
    key: str
    label: str
    low: float
    high: float
    lower_is_better: bool = False


def result_series(questions, instruments: dict) -> list[Series]:
    """What a survey's results report, in survey order: each summed instrument's total, each separate item."""
    series, seen = [], set()
    for q in questions:
        if q.kind != QuestionKind.SCALE:
            continue
        section = q.instrument_slug or PLAN_SECTION
        item = instruments.get(section)
        method = (item.schema.get("scoring") or {}).get("method") if item else "separate"
        if method == "sum":
            if section in seen:
                continue
            seen.add(section)
            count = sum(1 for x in questions if x.instrument_slug == section and x.kind == QuestionKind.SCALE)
            series.append(
                Series(section, "total", f"{item.title}: total", q.scale_min * count, q.scale_max * count)
            )
        else:
            prefix = item.title if item else "Programme question"
            series.append(
                Series(
                    section,
                    q.key.split(":", 1)[1],
                    f"{prefix}: {q.text}",
                    q.scale_min,
                    q.scale_max,
                    q.lower_is_better,
                )
            )
    return series

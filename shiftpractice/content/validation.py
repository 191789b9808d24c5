"""The rules an item's structured parts must follow, per kind. Each returns a list of readable problems.

Kept as plain functions over plain data so services, forms and tests share them, and so a lead editing a
schema by hand gets every problem at once rather than the first one.

>>> check_schema("instrument", {"items": [{"key": "a", "theme": "x"}], "scoring": {"method": "sum"}})
['An instrument needs a response scale.']
>>> check_schema("factor_set", {"year": 2025, "rows": [{"key": "grid", "activity": "Grid", "kg_co2e": 0.1}]})
['Factor row 1 (grid) needs a unit.']
>>> parse_ref("lens.systems@2")
('lens.systems', 2)
"""

import datetime
import re
from numbers import Real

from .choices import KIND_PREFIX, Kind, Pillar

REF_PATTERN = re.compile(r"^(?P<slug>[a-z][a-z_]*\.[a-z0-9]+(?:-[a-z0-9]+)*)@(?P<version>[1-9][0-9]*)$")
SLUG_PATTERN = re.compile(r"^[a-z][a-z_]*\.[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELD_TYPES = {"text", "textarea", "number", "choice", "list", "date", "scale"}
SCOPES = {"1", "2", "3", "WTT", "n/a"}
SCORING_METHODS = {"sum", "mean", "separate", "level", "count"}
INDICATOR_LEVELS = {"participant", "project", "system"}


def parse_ref(ref: str) -> tuple[str, int]:
    """Split ``slug@version``; raises ValueError on anything else."""
    match = REF_PATTERN.match(ref or "")
    if not match:
        raise ValueError(f"“{ref}” is not a content reference like lens.systems@2.")
    return match["slug"], int(match["version"])


def check_slug(kind: str, slug: str) -> list[str]:
    prefix = KIND_PREFIX.get(kind)
    if not SLUG_PATTERN.match(slug or ""):
        return ["Use the kind, a dot, then lowercase words joined by hyphens, for example lens.systems."]
    if prefix and not slug.startswith(prefix + "."):
        return [f"The slug of a {Kind(kind).label.lower()} starts with “{prefix}.”."]
    return []


def check_pillars(pillars) -> list[str]:
    if not isinstance(pillars, list):
        return ["Pillars must be a list."]
    unknown = [p for p in pillars if p not in Pillar.values]
    return [f"Unknown pillar “{p}”." for p in unknown]


def check_sources(sources, *, required: bool) -> list[str]:
    """Every source has a citation, a web address and the date it was read."""
    if not isinstance(sources, list):
        return ["Sources must be a list."]
    problems = ["Give at least one source."] if required and not sources else []
    for n, source in enumerate(sources, start=1):
        if not isinstance(source, dict):
            problems.append(f"Source {n} is not a record.")
            continue
        if not str(source.get("citation", "")).strip():
            problems.append(f"Source {n} needs a citation.")
        if not str(source.get("url", "")).startswith(("https://", "http://")):
            problems.append(f"Source {n} needs a web address starting https:// or http://.")
        try:
            datetime.date.fromisoformat(str(source.get("accessed", "")))
        except ValueError:
            problems.append(f"Source {n} needs the date it was accessed, as YYYY-MM-DD.")
    return problems


def sources_need_verification(sources) -> bool:
    return any(isinstance(s, dict) and s.get("verify") for s in sources or [])


def _strings(value, what: str, *, required: bool = True) -> list[str]:
    if value is None and not required:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return [f"{what} must be a list of texts."]
    if required and not value:
        return [f"Give at least one {what.lower().rstrip('s')}."]
    return []


def _slug_list(value, kind: str, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        return [f"{what} must be a list of slugs."]
    prefix = KIND_PREFIX[kind] + "."
    return [
        f"{what}: “{v}” is not a {Kind(kind).label.lower()} slug."
        for v in value
        if not str(v).startswith(prefix)
    ]


def _check_lens(schema: dict) -> list[str]:
    problems = _strings(schema.get("questions"), "Key questions")
    problems += _strings(schema.get("tags"), "Tags", required=False)
    return problems + _slug_list(schema.get("tools"), Kind.TOOL, "Tools")


def _check_prompt(schema: dict) -> list[str]:
    return _strings(schema.get("questions"), "Questions")


def _check_tool(schema: dict) -> list[str]:
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return ["A tool needs at least one field."]
    problems, names = [], set()
    for n, field in enumerate(fields, start=1):
        if not isinstance(field, dict):
            problems.append(f"Field {n} is not a record.")
            continue
        name = field.get("name", "")
        if not re.match(r"^[a-z][a-z0-9_]*$", str(name)):
            problems.append(f"Field {n} needs a name in lowercase letters, digits and underscores.")
        elif name in names:
            problems.append(f"Field {n}: the name “{name}” is used twice.")
        names.add(name)
        if not str(field.get("label", "")).strip():
            problems.append(f"Field {n} needs a label.")
        if field.get("type") not in FIELD_TYPES:
            problems.append(f"Field {n} needs a type, one of: {', '.join(sorted(FIELD_TYPES))}.")
        if field.get("type") == "choice" and not field.get("choices"):
            problems.append(f"Field {n} is a choice and needs its choices.")
    return problems


def _check_stage(schema: dict) -> list[str]:
    problems = []
    if not isinstance(schema.get("order"), int) or schema["order"] < 1:
        problems.append("A stage needs its place in the journey (order 1, 2, 3...).")
    problems += _slug_list(schema.get("prompts"), Kind.PROMPT, "Prompts")
    problems += _slug_list(schema.get("tools"), Kind.TOOL, "Tools")
    return problems


def _check_scale(scale) -> list[str]:
    if not isinstance(scale, dict) or not scale:
        return ["An instrument needs a response scale."]
    if "levels" in scale:
        levels = scale["levels"]
        if not isinstance(levels, list) or not levels:
            return ["The response scale's levels must be a list."]
        bad = [
            n
            for n, lv in enumerate(levels, 1)
            if not isinstance(lv.get("value"), Real) or not lv.get("label")
        ]
        return [f"Scale level {n} needs a number and a label." for n in bad]
    low, high = scale.get("min"), scale.get("max")
    if not isinstance(low, Real) or not isinstance(high, Real) or high <= low:
        return ["The response scale needs a lowest and a highest value (min below max)."]
    return []


def _check_conversion(table, scale: dict, item_count: int) -> list[str]:
    if not isinstance(table, list) or not table:
        return ["The conversion table must be a list of {raw, metric} rows."]
    problems = []
    raws = []
    for n, row in enumerate(table, start=1):
        if (
            not isinstance(row, dict)
            or not isinstance(row.get("raw"), Real)
            or not isinstance(row.get("metric"), Real)
        ):
            problems.append(f"Conversion row {n} needs a raw score and a metric score.")
        else:
            raws.append(row["raw"])
    if len(set(raws)) != len(raws):
        problems.append("The conversion table lists a raw score twice.")
    if not problems and isinstance(scale.get("min"), Real) and item_count:
        expected = set(range(int(scale["min"] * item_count), int(scale["max"] * item_count) + 1))
        if set(raws) != expected:
            problems.append(
                f"The conversion table must cover every raw score from {min(expected)} to {max(expected)}."
            )
    return problems


def _check_instrument_items(schema: dict) -> tuple[list[str], int]:
    """Items with their wording or theme; or, where the wording may not be reproduced, a count and themes."""
    items = schema.get("items")
    if items is None and isinstance(schema.get("item_count"), int) and schema.get("themes"):
        return _strings(schema["themes"], "Themes"), schema["item_count"]
    if not isinstance(items, list) or not items:
        return ["An instrument needs its items (at least one), or an item count and themes."], 0
    problems = [
        f"Instrument item {n} needs a key and either its wording or its theme."
        for n, item in enumerate(items, start=1)
        if not isinstance(item, dict) or not item.get("key") or not (item.get("text") or item.get("theme"))
    ]
    return problems, len(items)


def _check_instrument(schema: dict) -> list[str]:
    problems, item_count = _check_instrument_items(schema)
    scale = schema.get("response_scale")
    problems += _check_scale(scale)
    scoring = schema.get("scoring")
    if not isinstance(scoring, dict) or scoring.get("method") not in SCORING_METHODS:
        problems.append(
            f"An instrument needs a scoring method, one of: {', '.join(sorted(SCORING_METHODS))}."
        )
    if "conversion_table" in schema and isinstance(scale, dict):
        problems += _check_conversion(schema["conversion_table"], scale, item_count)
    return problems


def _check_indicator(schema: dict) -> list[str]:
    problems = []
    if schema.get("level") not in INDICATOR_LEVELS:
        problems.append(f"An indicator needs its level, one of: {', '.join(sorted(INDICATOR_LEVELS))}.")
    if not str(schema.get("measure", "")).strip():
        problems.append("An indicator needs to say what is measured.")
    problems += _slug_list(schema.get("instruments"), Kind.INSTRUMENT, "Instruments")
    return problems


def _factor_value(value) -> bool:
    if isinstance(value, Real) and value >= 0:
        return True
    return (
        isinstance(value, dict)
        and isinstance(value.get("low"), Real)
        and isinstance(value.get("high"), Real)
        and 0 <= value["low"] <= value["high"]
    )


def _check_factor_set(schema: dict) -> list[str]:
    problems = []
    if not isinstance(schema.get("year"), int):
        problems.append("A factor set needs the year its factors are for.")
    rows = schema.get("rows")
    if not isinstance(rows, list) or not rows:
        return [*problems, "A factor set needs at least one factor."]
    keys = set()
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(f"Factor row {n} is not a record.")
            continue
        label = f"Factor row {n} ({row.get('key') or 'no key'})"
        if not row.get("key"):
            problems.append(f"{label} needs a key.")
        elif row["key"] in keys:
            problems.append(f"{label}: the key is used twice.")
        keys.add(row.get("key"))
        if not str(row.get("activity", "")).strip():
            problems.append(f"{label} needs the activity it measures.")
        if not str(row.get("unit", "")).strip():
            problems.append(f"{label} needs a unit.")
        if not _factor_value(row.get("kg_co2e")):
            problems.append(f"{label} needs kg CO2e per unit: a number, or a low and high range.")
        if "scope" in row and row["scope"] not in SCOPES:
            problems.append(f"{label}: scope must be one of {', '.join(sorted(SCOPES))}.")
        if "year" in row and not isinstance(row["year"], int):
            problems.append(f"{label}: the year must be a whole number.")
    return problems


_CHECKS = {
    Kind.LENS: _check_lens,
    Kind.PROMPT: _check_prompt,
    Kind.TOOL: _check_tool,
    Kind.STAGE: _check_stage,
    Kind.INSTRUMENT: _check_instrument,
    Kind.INDICATOR: _check_indicator,
    Kind.FACTOR_SET: _check_factor_set,
}


def check_schema(kind: str, schema) -> list[str]:
    """Problems with ``schema`` for an item of ``kind`` (pillars need no schema)."""
    if not isinstance(schema, dict):
        return ["The structured part must be a JSON object."]
    check = _CHECKS.get(kind)
    return check(schema) if check else []


def referenced_slugs(kind: str, schema: dict) -> list[str]:
    """Slugs of other items this item points at (a lens's tools, a stage's prompts and tools...)."""
    keys = {Kind.LENS: ["tools"], Kind.STAGE: ["prompts", "tools"], Kind.INDICATOR: ["instruments"]}
    found: list[str] = []
    for key in keys.get(kind, []):
        found += [s for s in schema.get(key) or [] if isinstance(s, str)]
    return found

"""What a new case study starts with, read from its project: the sections' first drafts and the frozen snapshot
(the measures' charts with their summaries, the lenses used, the PDSA cycles, the sustainable value).

Never a name from the influence map: the stakeholders are not read here at all, and ``named_stakeholders``
lets the services refuse any text that names one.
"""

import re
from datetime import datetime

from django.utils import timezone

from shiftpractice.core.choices import Lens
from shiftpractice.measures.printing import print_charts
from shiftpractice.projects.models import ChangeProject

# The points a frozen chart shows (the table and the drawing); the summary still says what the whole series shows.
SNAPSHOT_VERSION = 1


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _lens_names(project: ChangeProject) -> list[str]:
    names = []
    for answer in project.lens_answers.all():
        name = answer.lens_slug.split(".", 1)[-1]
        if name in Lens.values and Lens(name).label not in names:
            names.append(Lens(name).label)
    return names


def _value(project: ChangeProject) -> dict:
    carbon = [
        {
            "phase": a.get_phase_display(),
            "label": a.label,
            "low": float(a.annual_kgco2e_low),
            "high": float(a.annual_kgco2e_high),
        }
        for a in project.carbon_activities.all()
    ]
    social = [
        {"group": s.group, "direction": s.get_direction_display(), "description": s.description}
        for s in project.social_impacts.all()
    ]
    financial = [
        {
            "description": f.description,
            "annual": float(f.annual_gbp) if f.annual_gbp is not None else None,
            "low": float(f.annual_gbp_low) if f.annual_gbp_low is not None else None,
            "high": float(f.annual_gbp_high) if f.annual_gbp_high is not None else None,
        }
        for f in project.financial_impacts.all()
    ]
    return {"outcomes": project.value_outcomes, "carbon": carbon, "social": social, "financial": financial}


def snapshot(project: ChangeProject, *, now: datetime | None = None) -> dict:
    """The project as it is now, frozen: what the case study shows of its data, whatever happens later."""
    cycles = list(project.cycles.order_by("number"))
    charts = print_charts(project, cycles)
    return {
        "version": SNAPSHOT_VERSION,
        "taken_at": (now or timezone.now()).isoformat(),
        "aim": project.aim_statement,
        "lenses": _lens_names(project),
        "cycles": [
            {
                "number": c.number,
                "title": c.title,
                "decision": c.get_decision_display() if c.decision else "",
                "learning": c.learning,
            }
            for c in cycles
        ],
        "charts": [{"title": chart["measure"].name, "html": str(chart["html"])} for chart in charts],
        "value": _value(project),
    }


def _cycles_text(cycles: list[dict], field: str, lead: str) -> str:
    lines = [f"- Cycle {c['number']}, {c['title']}: {c[field]}" for c in cycles if c.get(field)]
    return (lead + "\n\n" + "\n".join(lines)) if lines else ""


def _value_text(value: dict) -> str:
    lines = []
    for a in value["carbon"]:
        lines.append(
            f"- {a['label']} ({a['phase'].lower()}): {a['low']:,.0f} to {a['high']:,.0f} kg CO2e a year"
        )
    for s in value["social"]:
        lines.append(f"- {s['group']} ({s['direction'].lower()}): {s['description']}")
    for f in value["financial"]:
        if f["low"] is not None and f["high"] is not None:
            lines.append(f"- {f['description']}: £{f['low']:,.0f} to £{f['high']:,.0f} a year")
        elif f["annual"] is not None:
            lines.append(f"- {f['description']}: about £{f['annual']:,.0f} a year")
    return _paragraphs(value["outcomes"], "\n".join(lines))


def sections(project: ChangeProject, shot: dict) -> dict[str, str]:
    """First drafts of each section, in the author's own words where the project has them."""
    cycles = shot["cycles"]
    did = _paragraphs(
        project.mfi_change,
        ("We looked at it through the " + ", ".join(shot["lenses"]).lower() + " lenses.")
        if shot["lenses"]
        else "",
        _cycles_text(
            [{**c, "what": c["decision"] or "in progress"} for c in cycles],
            "what",
            "We tested these changes:",
        ),
    )
    last = cycles[-1] if cycles else None
    return {
        "problem": _paragraphs(
            project.background, project.mfi_accomplish, f"Our aim: {shot['aim']}" if shot["aim"] else ""
        ),
        "why": _paragraphs(project.story_self, project.story_us, project.story_now),
        "what_we_did": did,
        "what_happened": _paragraphs(project.mfi_know),
        "learnt": _cycles_text(cycles, "learning", "What each test taught us:"),
        "cost_saved": _value_text(shot["value"]),
        "next": _paragraphs(
            f"Our last cycle decided: {last['decision']}." if last and last["decision"] else ""
        ),
    }


TITLES = {
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
    "sister",
    "cllr",
    "councillor",
    "sir",
    "dame",
}


def looks_like_a_person(name: str) -> bool:
    """Whether an influence map entry reads as a person's name rather than a role or a group: a title
    ("Dr Patel"), or two or more words each starting with a capital ("Stella Okafor"). "Finance lead",
    "Ward staff" and "Patients" are roles and groups, which a case study may mention.

    >>> [looks_like_a_person(n) for n in ("Dr Patel", "Stella Okafor", "Finance lead", "Patients", "ward staff")]
    [True, True, False, False, False]
    """
    words = re.findall(r"[\w'-]+", name)
    if not words:
        return False
    if words[0].lower().rstrip(".") in TITLES and len(words) > 1:
        return True
    return len(words) >= 2 and all(w[0].isupper() for w in words)


def named_stakeholders(project: ChangeProject, texts: list[str]) -> list[str]:
    """The people named on the project's influence map (``looks_like_a_person``) whose names appear in any of
    ``texts`` (whole words, any case)."""
    joined = "\n".join(t for t in texts if t)
    if not joined:
        return []
    found = []
    for name in project.stakeholders.values_list("name", flat=True):
        name = name.strip()
        if not looks_like_a_person(name):
            continue
        if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", joined, flags=re.IGNORECASE):
            found.append(name)
    return found

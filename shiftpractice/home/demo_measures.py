"""Demo measures for the demo projects: two to four each, weekly data with realistic behaviour.

Each project's outcome measure shifts after its first PDSA cycle (its baseline is frozen before it), a
process measure trends upward as the change spreads, a balancing measure is stable but for one outlier (with
a note saying why), and a sustainability measure is a stable process. The data are made with a seeded random
generator, so every load gives the same charts; PDSA cycles appear on the charts by themselves. Written
through the measures services; a project that already has a measure of that name is left alone.
"""

import random
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

from shiftpractice.measures import services
from shiftpractice.measures.models import Measure
from shiftpractice.projects.models import ChangeProject


@dataclass(frozen=True)
class DemoMeasure:
    name: str
    mtype: str  # outcome, process, balancing, sustainability
    kind: str  # count, proportion, continuous
    unit: str
    direction: str
    pattern: str  # shift, trend, outlier, stable
    base: float  # baseline level (a proportion for proportions)
    spread: float  # the week-to-week variation
    definition: str = ""
    target: float | None = None
    phase: str = ""  # a new phase from the first cycle's start, with this reason


MEASURES: dict[str, list[DemoMeasure]] = {
    "Green social prescribing for low mood": [
        DemoMeasure(
            "Referrals to nature-based activities",
            "outcome",
            "count",
            "referrals",
            "increase",
            "shift",
            3,
            1.5,
            "Referrals from any clinician at the practice to a nature-based activity, counted from the referral log each Monday.",
            8,
        ),
        DemoMeasure(
            "Consultations where the guide was used",
            "process",
            "proportion",
            "%",
            "increase",
            "trend",
            0.1,
            0.05,
            "Of consultations with low mood coded, those where the clinician ticked that the guide was used.",
        ),
        DemoMeasure(
            "Waiting time for a talking therapy",
            "balancing",
            "continuous",
            "days",
            "decrease",
            "outlier",
            42,
            3,
        ),
    ],
    "Commissioning nature-based mental health support": [
        DemoMeasure(
            "People starting a nature-based programme",
            "outcome",
            "count",
            "people",
            "increase",
            "shift",
            6,
            2,
        ),
        DemoMeasure(
            "Travel to sessions by car", "sustainability", "proportion", "%", "decrease", "stable", 0.45, 0.06
        ),
    ],
    "Partnerships for health with community groups": [
        DemoMeasure(
            "People reached by joint activities", "outcome", "count", "people", "increase", "shift", 20, 4
        ),
        DemoMeasure("Partner meetings held", "process", "count", "meetings", "increase", "trend", 1, 0.8),
        DemoMeasure(
            "Staff hours spent on partnerships",
            "balancing",
            "continuous",
            "hours",
            "decrease",
            "stable",
            6,
            1,
        ),
    ],
    "Less clinical waste on the acute medical ward": [
        DemoMeasure(
            "Clinical waste a week",
            "outcome",
            "continuous",
            "kg",
            "decrease",
            "shift",
            180,
            12,
            "Weight of orange-bag waste collected from the ward, from the porters' weigh log.",
            120,
        ),
        DemoMeasure(
            "Bags wrongly classed in the audit", "process", "proportion", "%", "decrease", "trend", 0.35, 0.05
        ),
        DemoMeasure(
            "Sharps injuries and near misses",
            "balancing",
            "count",
            "incidents",
            "decrease",
            "outlier",
            1,
            0.8,
        ),
        DemoMeasure(
            "Carbon from clinical waste",
            "sustainability",
            "continuous",
            "kg CO2e",
            "decrease",
            "shift",
            190,
            14,
            phase="Offensive-waste bins introduced",
        ),
    ],
    "Lower-carbon inhalers in the community": [
        DemoMeasure(
            "Switches to a dry-powder inhaler", "outcome", "count", "switches", "increase", "shift", 2, 1.2
        ),
        DemoMeasure(
            "Inhalers returned for disposal", "process", "count", "inhalers", "increase", "trend", 3, 1.5
        ),
        DemoMeasure(
            "Patients with well-controlled asthma at follow-up",
            "balancing",
            "proportion",
            "%",
            "increase",
            "stable",
            0.7,
            0.06,
        ),
    ],
    "Walking groups for people waiting for knee physiotherapy": [
        DemoMeasure(
            "People joining a walking group",
            "outcome",
            "count",
            "people",
            "increase",
            "shift",
            2,
            1.2,
            "People on the knee physiotherapy waiting list who attend a walking group for the first time.",
        ),
        DemoMeasure(
            "Pain score at assessment",
            "balancing",
            "continuous",
            "points (0-10)",
            "decrease",
            "outlier",
            6.5,
            0.4,
        ),
    ],
    "Community food growing for health": [
        DemoMeasure("People taking part", "outcome", "count", "people", "increase", "shift", 8, 2.5),
        DemoMeasure(
            "Portions of fruit and vegetables a day",
            "process",
            "continuous",
            "portions",
            "increase",
            "trend",
            2.8,
            0.3,
        ),
    ],
    "Less nitrous oxide lost on the labour ward": [
        DemoMeasure(
            "Nitrous oxide lost",
            "outcome",
            "proportion",
            "%",
            "decrease",
            "shift",
            0.7,
            0.05,
            "Volume bought minus volume given, as a share of volume bought, from pharmacy and the anaesthetic record.",
        ),
        DemoMeasure(
            "Women satisfied with pain relief",
            "balancing",
            "proportion",
            "%",
            "increase",
            "stable",
            0.85,
            0.04,
        ),
        DemoMeasure(
            "Carbon from nitrous oxide", "sustainability", "continuous", "t CO2e", "decrease", "trend", 9, 0.6
        ),
    ],
    "Switching off: energy on inpatient wards": [
        DemoMeasure(
            "Overnight electricity use", "outcome", "continuous", "kWh", "decrease", "shift", 420, 18, "", 360
        ),
        DemoMeasure(
            "Equipment switched off at the night check",
            "process",
            "proportion",
            "%",
            "increase",
            "trend",
            0.2,
            0.05,
        ),
        DemoMeasure(
            "Equipment not ready in the morning", "balancing", "count", "items", "decrease", "outlier", 1, 0.8
        ),
    ],
    "Inhaler technique and returns at asthma reviews": [
        DemoMeasure(
            "Reviews with a technique check", "outcome", "proportion", "%", "increase", "shift", 0.4, 0.06
        ),
        DemoMeasure(
            "Reliever inhalers prescribed per patient",
            "balancing",
            "continuous",
            "inhalers",
            "decrease",
            "stable",
            0.9,
            0.08,
        ),
    ],
}
BASELINE_WEEKS = 14


def _series(spec: DemoMeasure, n: int, change_at: int, rng: random.Random) -> list[float]:
    """Values with the spec's behaviour; the change, when there is one, starts at index ``change_at``."""
    sign = 1 if spec.direction == "increase" else -1
    out = []
    for i in range(n):
        level = spec.base
        if spec.pattern == "shift" and i >= change_at:
            level += sign * 3.5 * spec.spread
        elif spec.pattern == "trend" and i >= change_at:
            level += sign * spec.spread * 0.55 * min(i - change_at + 1, 12)
        v = rng.gauss(level, spec.spread * (0.6 if spec.pattern == "shift" else 1))
        if spec.pattern == "outlier" and i == change_at + 3:
            v = level + 5 * spec.spread
        out.append(v)
    return out


def _weeks_before(d: date, k: int) -> date:
    monday = d - timedelta(days=d.weekday())
    return monday - timedelta(weeks=k)


def _load_one(project: ChangeProject, spec: DemoMeasure, cycles: list, rng: random.Random) -> None:
    actor = project.owner
    first = cycles[0].start_date
    n = 20 + rng.randrange(0, 3) * 6 + (8 if spec.mtype == "outcome" else 0)  # 20 to 40 points
    start = _weeks_before(first, BASELINE_WEEKS)
    # The baseline before the first cycle is frozen, so the change is read against it (a phase instead
    # recalculates the limits from the change on, once the team has decided the process is a new one).
    freeze = BASELINE_WEEKS if spec.pattern in ("shift", "trend") and not spec.phase else None
    measure = services.measure_create(
        project=project,
        name=spec.name,
        measure_type=spec.mtype,
        data_kind=spec.kind,
        actor=actor,
        unit=spec.unit,
        direction=spec.direction,
        definition=spec.definition,
        target=spec.target,
        frequency="week",
        collected_by=project.owner.full_name,
        collection_schedule="Weekly",
        freeze_at=freeze,
    )
    values = _series(spec, n, BASELINE_WEEKS, rng)
    for i, v in enumerate(values):
        period = start + timedelta(weeks=i)
        note = ""
        if spec.pattern == "outlier" and i == BASELINE_WEEKS + 3:
            note = "Bank holiday week: short staffed"
        if spec.kind == "proportion":
            den = rng.randint(30, 60)
            num = min(den, max(0, round(v * den)))
            services.point_save(
                measure=measure, period=period, numerator=num, denominator=den, note=note, actor=actor
            )
        elif spec.kind == "count":
            services.point_save(
                measure=measure, period=period, value=max(0, round(v)), note=note, actor=actor
            )
        else:
            services.point_save(
                measure=measure, period=period, value=round(max(v, 0.0), 1), note=note, actor=actor
            )
    if spec.phase:
        services.phase_add(
            measure=measure,
            start=_weeks_before(first, 0),
            reason=spec.phase,
            actor=actor,
        )


def load_demo_measures() -> int:
    """Create the demo measures that do not exist yet; returns how many were created."""
    created = 0
    projects = (
        ChangeProject.objects.filter(title__in=list(MEASURES))
        .select_related("owner")
        .prefetch_related("cycles")
    )
    for project in projects:
        cycles = sorted((c for c in project.cycles.all() if c.start_date), key=lambda c: c.start_date)
        if not cycles:
            continue
        existing = set(Measure.objects.filter(project=project).values_list("name", flat=True))
        for spec in MEASURES[project.title]:
            if spec.name in existing:
                continue
            rng = random.Random(zlib.crc32(f"{project.title}/{spec.name}".encode()))
            _load_one(project, spec, cycles, rng)
            created += 1
    return created

"""The IHI progress score: set only by a person, suggested by the app from the evidence recorded."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shiftpractice.core.audit import audit

from ..choices import CycleStatus
from ..models import ChangeProject, ProgressScore
from ..models.progress import SCORES
from .projects import touch_project

SCALE_SLUG = "instrument.ihi-progress-scale"

# Apps above this one (measures) add evidence without this app importing them: each provider takes a
# project and returns any of {"measures_with_baseline": int, "improving_signals": int, "sustained": bool}.
EVIDENCE_PROVIDERS: list[Callable[[ChangeProject], dict]] = []


def register_evidence_provider(provider: Callable[[ChangeProject], dict]) -> None:
    """Called from an AppConfig.ready(); registering the same provider twice has no effect."""
    if provider not in EVIDENCE_PROVIDERS:
        EVIDENCE_PROVIDERS.append(provider)


def gathered_evidence(project: ChangeProject) -> dict:
    evidence: dict = {}
    for provider in EVIDENCE_PROVIDERS:
        evidence.update(provider(project))
    return evidence


@transaction.atomic
def progress_set(
    *, project: ChangeProject, score, note: str, actor, scale_ref: str = "", scored_on: date | None = None
):
    score = Decimal(str(score))
    if score not in SCORES:
        raise ValidationError({"score": "Choose a level from 0.5 to 5.0, in steps of 0.5."})
    entry = ProgressScore.objects.create(
        project=project,
        score=score,
        note=note.strip(),
        scale_ref=scale_ref,
        set_by=actor,
        scored_on=scored_on or timezone.localdate(),
    )
    audit(actor=actor, verb="progress.set", obj=project, score=str(score))
    touch_project(project)
    return entry


@dataclass(frozen=True)
class Suggestion:
    score: Decimal
    reasons: list[str]
    missing: list[str]


def progress_suggest(
    *,
    project: ChangeProject,
    measures_with_baseline: int = 0,
    improving_signals: int = 0,
    sustained: bool = False,
) -> Suggestion:
    """Suggest a level from what the project has recorded, saying why and what would move it on.

    The measure-based evidence (baseline, signals, sustained results) comes from the measures feature,
    which passes its counts in; without it the suggestion cannot go past testing without improvement.
    """
    reasons, missing = [], []
    score = Decimal("0.5")
    reasons.append("The project exists and has a title.")
    if project.aim_is_smart and project.mfi_accomplish:
        score = Decimal("1.0")
        reasons.append("The charter is in place: a SMART aim and what the project is trying to accomplish.")
        if project.members.all():
            reasons.append("A team has formed around the project.")
        else:
            missing.append("Invite others from your cohort onto the team: changes spread through people.")
    else:
        missing.append(
            "Write a SMART aim (what, for whom, how much, by when) and say what you are trying to accomplish."
        )
    cycles = list(project.cycles.all())
    has_drivers = bool(project.driver_nodes.all())
    if score >= 1 and (has_drivers or project.stakeholders.all()):
        score = Decimal("1.5")
        reasons.append("Planning has begun: the driver diagram or influence map has entries.")
    elif score >= 1:
        missing.append("Start the driver diagram or the influence map.")
    if score >= Decimal("1.5") and cycles:
        score = Decimal("2.0")
        reasons.append(f"{len(cycles)} PDSA cycle(s) planned or under way.")
    elif score >= Decimal("1.5"):
        missing.append("Plan a first PDSA cycle.")
    completed = [c for c in cycles if c.status == CycleStatus.COMPLETE]
    if score >= 2 and completed:
        score = Decimal("2.5")
        reasons.append(f"{len(completed)} cycle(s) completed: changes have been tested.")
    elif score >= 2:
        missing.append("Complete a PDSA cycle: study the results and decide what to do next.")
    if score >= Decimal("2.5") and measures_with_baseline and improving_signals:
        score = Decimal("3.5") if improving_signals > 1 else Decimal("3.0")
        reasons.append(f"{improving_signals} signal(s) of improvement on the outcome measures.")
        if sustained:
            score = Decimal("4.5")
            reasons.append("The improvement is holding on the latest data.")
    elif score >= Decimal("2.5"):
        missing.append("Chart an outcome measure with a baseline: improvement is read from the chart.")
    return Suggestion(score=score, reasons=reasons, missing=missing)

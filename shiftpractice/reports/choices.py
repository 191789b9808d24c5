"""The reports' vocabularies, declared once: the kinds of report and what the critical friends write in them."""

from django.db import models


class ReportKind(models.TextChoices):
    INTERIM = "interim", "Interim evaluation report (a cohort)"
    FINAL = "final", "Final evaluation report (the programme)"


class Judgement(models.TextChoices):
    """A critical friend's judgement of an indicator against its success criterion, or of an evaluation question."""

    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"
    TOO_EARLY = "too_early", "Too early to say"
    NO_EVIDENCE = "no_evidence", "Not enough evidence"


# The sections written in the app, in report order: (key, heading, what to write). Each evaluation question
# and each indicator also gets a judgement, keyed "question:<id>" and "indicator:<id>".
WRITTEN = (
    (
        "commentary",
        "Critical friends' commentary",
        "What the evidence says, in your words: what changed, for whom, and how sure we can be.",
    ),
    (
        "limitations",
        "Limitations",
        "What the evidence cannot show: who did not answer, what was not measured, small numbers.",
    ),
)
WRITTEN_HEADINGS = dict((key, heading) for key, heading, _ in WRITTEN)


def question_key(question_id: int) -> str:
    return f"question:{question_id}"


def indicator_key(indicator_id: int) -> str:
    return f"indicator:{indicator_id}"

"""The evaluation's vocabularies, declared once."""

from django.db import models


class IndicatorKind(models.TextChoices):
    SURVEY_SCALE = "survey_scale", "Survey scale from an instrument"
    SURVEY_ITEM = "survey_item", "Survey question written for this programme"
    PLATFORM_COUNT = "platform_count", "A count the platform already knows"
    MEASURE_ROLLUP = "measure_rollup", "A measure rolled up across projects"
    QUALITATIVE = "qualitative", "Qualitative evidence"


class PlatformCount(models.TextChoices):
    PDSA_CYCLES = "pdsa_cycles_completed", "PDSA cycles completed"
    COACHING_CONTACTS = "coaching_contacts", "Coaching contacts"
    WORKSHOP_ATTENDANCE = "workshop_attendance", "Workshop attendance"
    PROGRESS_SCORE = "progress_score", "Project progress score"


class IndicatorState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"


class ItemKind(models.TextChoices):
    """Kinds of question a programme writes for its own survey items."""

    LIKERT5 = "likert5", "Agreement, 1 to 5"
    SCALE10 = "scale10", "Scale, 0 to 10"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    FREE_TEXT = "free_text", "Free text"


# How each kind is asked: numeric kinds have a range and are analysed; the others are not.
LIKERT5_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}
NUMERIC_ITEM_RANGE = {ItemKind.LIKERT5: (1, 5), ItemKind.SCALE10: (0, 10)}


class QuestionKind(models.TextChoices):
    """How a survey question is answered (instrument items are always scales or free text)."""

    SCALE = "scale", "Scale"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    FREE_TEXT = "free_text", "Free text"


class WindowLabel(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    END = "end", "End"
    FOLLOW_UP = "follow_up", "Follow-up"


# The comparisons results pages offer, in the order they are listed.
WINDOW_PAIRS = [
    (WindowLabel.BASELINE, WindowLabel.END),
    (WindowLabel.END, WindowLabel.FOLLOW_UP),
    (WindowLabel.BASELINE, WindowLabel.FOLLOW_UP),
]


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


DEFAULT_MINIMUM_GROUP = 5

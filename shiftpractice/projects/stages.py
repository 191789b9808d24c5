"""The PDSA cycle's stages and fields, declared once.

The cycle's forms, services, views, history and the shared template of the cycle page and the QI story all read
this module. To add a field to the cycle (and to its page, its history and the story PDF): add the model field,
declare it in ``FIELDS`` below, and make the migration. See "How to add a cycle field" in docs/architecture.md.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.utils.dateformat import format as date_format

from .choices import CycleStatus

PLANNING, DOING, STUDYING, COMPLETE = (
    CycleStatus.PLANNING,
    CycleStatus.DOING,
    CycleStatus.STUDYING,
    CycleStatus.COMPLETE,
)

# How a field is entered and shown; forms.py maps each kind to a widget.
LINE = "line"  # one line of text
TEXT = "text"  # a paragraph
DATE = "date"
YES_NO = "yes_no"  # yes, no or not said
RADIO = "radio"  # one of the model field's choices, no empty choice shown
CHANGE_IDEA = "change_idea"  # one of the project's change ideas, or none


@dataclass(frozen=True)
class CycleField:
    """One entry of the PDSA worksheet."""

    name: str  # the model field
    label: str  # the question on the form
    kind: str = TEXT
    help: str = ""
    section: str = "plan"  # which part of Plan, Do, Study, Act it belongs to
    edited_in: tuple[str, ...] = ()  # the stages whose form shows it
    required: bool = False  # needed for every save, not only to move on
    required_message: str = ""
    needed_to_leave: str | None = None  # the stage the cycle cannot leave while this is empty
    needed_message: str = ""  # names the field: it is shown on the field and in the error summary
    correctable: bool = False  # a text that may be corrected once the cycle is complete
    in_story: bool = True  # shown in the QI story and its PDF (the cycle page shows every field)
    in_summary: bool = True  # shown as a row of the cycle's summary (the title is its heading instead)
    short: str = ""  # the label in summaries and in the history, when shorter than the question

    @property
    def title(self) -> str:
        return self.short or self.label

    @property
    def optional(self) -> bool:
        """Optional at every step: neither needed to save nor to move the cycle on."""
        return not self.required and self.needed_to_leave is None

    @property
    def attname(self) -> str:
        return f"{self.name}_id" if self.kind == CHANGE_IDEA else self.name


@dataclass(frozen=True)
class Stage:
    """A stage whose form the team fills in, and the button that moves the cycle on."""

    status: str
    sections: tuple[str, ...]  # the parts of the worksheet this stage is for; their fields come first
    advance_label: str
    next_status: str
    needed_hint: str  # said on the fields needed before the cycle may move on


SECTIONS = (("plan", "Plan"), ("do", "Do"), ("study", "Study"), ("act", "Act"))

STAGES = {
    PLANNING: Stage(
        PLANNING, ("plan",), "Start doing the test", DOING, "Needed before you start doing the test."
    ),
    DOING: Stage(
        DOING, ("do",), "Move on to study the results", STUDYING, "Needed before you study the results."
    ),
    STUDYING: Stage(
        STUDYING, ("study", "act"), "Complete the cycle", COMPLETE, "Needed before you complete the cycle."
    ),
}

FIELDS: tuple[CycleField, ...] = (
    # Plan
    CycleField(
        "title",
        "Title",
        LINE,
        edited_in=(PLANNING,),
        required=True,
        required_message="Enter a title for the cycle",
        in_summary=False,
    ),
    CycleField(
        "change_idea",
        "Change idea",
        CHANGE_IDEA,
        help="The change idea from your driver diagram that this cycle tests.",
        edited_in=(PLANNING,),
        short="Change idea tested",
    ),
    CycleField(
        "objective",
        "Objective",
        help="What this test sets out to learn.",
        edited_in=(PLANNING,),
        needed_to_leave=PLANNING,
        needed_message="Write the objective of this test before you start doing it.",
        correctable=True,
    ),
    CycleField(
        "questions",
        "Questions this test answers",
        edited_in=(PLANNING,),
        correctable=True,
        in_story=False,
    ),
    CycleField(
        "prediction",
        "Prediction",
        help="What you expect to happen, and why.",
        edited_in=(PLANNING,),
        needed_to_leave=PLANNING,
        needed_message="Write your prediction before you start: the study compares the results with it.",
        correctable=True,
    ),
    CycleField(
        "tasks",
        "Tasks: who, what, when, where",
        edited_in=(PLANNING,),
        correctable=True,
        in_story=False,
        short="Tasks",
    ),
    CycleField("data_plan", "Data collection plan", edited_in=(PLANNING,), correctable=True, in_story=False),
    CycleField("start_date", "Start date", DATE, edited_in=(PLANNING,)),
    CycleField("end_date", "End date", DATE, edited_in=(PLANNING, DOING)),
    # Do
    CycleField(
        "carried_out_as_planned",
        "Was the test carried out as planned?",
        YES_NO,
        section="do",
        edited_in=(DOING,),
        in_story=False,
        short="Carried out as planned",
    ),
    CycleField(
        "what_happened",
        "What happened",
        section="do",
        edited_in=(DOING,),
        needed_to_leave=DOING,
        needed_message="Say what happened before you study the results.",
        correctable=True,
    ),
    CycleField(
        "observations", "Observations", section="do", edited_in=(DOING,), correctable=True, in_story=False
    ),
    CycleField(
        "problems",
        "Problems and surprises",
        section="do",
        edited_in=(DOING,),
        correctable=True,
        in_story=False,
    ),
    # Study
    CycleField(
        "results",
        "Results against the prediction",
        section="study",
        edited_in=(STUDYING,),
        needed_to_leave=STUDYING,
        needed_message="Write the results against the prediction before you complete the cycle.",
        correctable=True,
    ),
    CycleField(
        "learning",
        "What we learned",
        section="study",
        edited_in=(STUDYING,),
        needed_to_leave=STUDYING,
        needed_message="Write what we learned before you complete the cycle.",
        correctable=True,
    ),
    CycleField(
        "learning_loop",
        "Learning loop",
        RADIO,
        help="How deep the change in your thinking went.",
        section="study",
        edited_in=(STUDYING,),
    ),
    # Act
    CycleField(
        "decision",
        "Decision: adopt, adapt or abandon?",
        RADIO,
        section="act",
        edited_in=(STUDYING,),
        needed_to_leave=STUDYING,
        needed_message="Choose the decision (adopt, adapt or abandon) before you complete the cycle.",
        short="Decision",
    ),
    CycleField("next_step", "Next step", section="act", edited_in=(STUDYING,), correctable=True),
)

BY_NAME = {f.name: f for f in FIELDS}
NAMES = tuple(BY_NAME)
# Labels for what the history records besides the worksheet's fields.
OTHER_LABELS = {"status": "Stage"}


def _check(fields: tuple[CycleField, ...]) -> None:
    """Refuse a declaration that would trap a cycle or show an error that does not name its field."""
    for f in fields:
        if f.needed_to_leave and f.needed_to_leave not in f.edited_in:
            raise ImproperlyConfigured(f"{f.name} is needed to leave a stage whose form does not show it")
        if f.needed_to_leave and f.title.lower() not in f.needed_message.lower():
            raise ImproperlyConfigured(f"the message for an empty {f.name} must name it ({f.title!r})")
        if f.correctable and f.kind not in (TEXT, LINE):
            raise ImproperlyConfigured(f"{f.name}: only texts are corrected")


_check(FIELDS)


def field(name: str) -> CycleField:
    return BY_NAME[name]


def label(name: str) -> str:
    """What a person calls the field: never the model's name for it."""
    if name in BY_NAME:
        return BY_NAME[name].title
    return OTHER_LABELS.get(name, name.replace("_", " ").capitalize())


@cache
def fields_edited_in(status: str) -> tuple[CycleField, ...]:
    """The fields of a stage's form: its own part of the worksheet first, in declared order."""
    stage = STAGES[status]
    mine = [f for f in FIELDS if status in f.edited_in]
    return tuple(sorted(mine, key=lambda f: (f.section not in stage.sections, FIELDS.index(f))))


def gates(status: str) -> tuple[CycleField, ...]:
    """What must be written before the cycle may leave the stage."""
    return tuple(f for f in FIELDS if f.needed_to_leave == status)


def correctable() -> tuple[CycleField, ...]:
    return tuple(f for f in FIELDS if f.correctable)


def as_text(value) -> str:
    """One text form of a value, for comparing edits and keeping them in the history.

    Line endings and surrounding spaces do not count as a change (browsers send CRLF).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value).replace("\r\n", "\n").strip()


def values_of(cycle, names=NAMES) -> dict[str, str]:
    return {name: as_text(getattr(cycle, field(name).attname)) for name in names}


def display_text(f: CycleField | None, text: str, *, ideas: dict | None = None) -> str:
    """A value in its text form (``as_text``) in words; ``f`` is None for the stage. ``ideas``: pk -> text."""
    if not text:
        return ""
    if f is None:
        return dict(CycleStatus.choices).get(text, text)
    if f.kind == DATE:
        return date_format(date.fromisoformat(text), "j F Y")
    if f.kind == YES_NO:
        return {"True": "Yes", "False": "No"}.get(text, text)
    if f.kind == RADIO:
        from .models import Cycle  # the model's choices are the vocabulary; models never import this module

        return str(dict(Cycle._meta.get_field(f.name).choices).get(text, text))
    if f.kind == CHANGE_IDEA:
        return (ideas or {}).get(text, "a change idea since removed")
    return text

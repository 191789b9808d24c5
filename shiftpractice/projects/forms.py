from django import forms

from shiftpractice.core.forms import NHSForm, NHSModelForm

from . import stages
from .choices import ActivityPhase, DriverKind, ImpactDirection, Period
from .models import ChangeProject, Cycle, FinancialImpact, Stakeholder
from .models.progress import SCORES
from .models.project import EDITABLE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectCreateForm(NHSModelForm):
    class Meta:
        model = ChangeProject
        fields = ["title", "cohort", "aim_what", "aim_for_whom", "aim_how_much", "aim_by_when"]
        labels = {"title": "Project title"}
        widgets = {"aim_by_when": DATE}

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["cohort"].empty_label = None


class ProjectForm(NHSModelForm):
    class Meta:
        model = ChangeProject
        fields = list(EDITABLE_FIELDS)
        labels = {
            "title": "Project title",
            "aim_what": "What will change",
            "aim_for_whom": "For whom",
            "aim_how_much": "By how much",
            "aim_by_when": "By when",
            "mfi_accomplish": "What are we trying to accomplish?",
            "mfi_know": "How will we know that a change is an improvement?",
            "mfi_change": "What change can we make that will result in improvement?",
            "value_outcomes": "Outcomes for patients and populations",
        }
        help_texts = {
            "visibility": "Who can read this project. Public projects are shown to everyone once a programme lead approves.",
            "story_self": "A moment that called you to act on this.",
            "story_us": "What you share with the people you need on board.",
            "story_now": "Why this cannot wait.",
        }
        widgets = {
            "aim_by_when": DATE,
            "visibility": forms.RadioSelect,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in [
                    "mfi_accomplish",
                    "mfi_know",
                    "mfi_change",
                    "background",
                    "story_self",
                    "story_us",
                    "story_now",
                    "value_outcomes",
                ]
            },
        }

    def __init__(self, *args, owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not owner:  # only the owner chooses who can read the project
            del self.fields["visibility"]


class MemberForm(NHSForm):
    person = forms.ModelChoiceField(queryset=None, label="Who to add to the team")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class LensAnswerForm(NHSForm):
    """One text answer per key question of the lens, and its tags."""

    def __init__(self, *args, questions: list[str], tag_choices: list[str], answer=None, **kwargs):
        super().__init__(*args, **kwargs)
        saved = answer.answers if answer else {}
        self.questions = questions
        for i, question in enumerate(questions):
            self.fields[f"q{i}"] = forms.CharField(
                label=question,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=saved.get(question, ""),
            )
        if tag_choices:
            self.fields["tags"] = forms.MultipleChoiceField(
                label="Tags that apply",
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(t, t) for t in tag_choices],
                initial=answer.tags if answer else [],
            )

    def answers(self) -> dict[str, str]:
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(self.questions)}


class StakeholderForm(NHSModelForm):
    class Meta:
        model = Stakeholder
        fields = ["name", "group", "power", "interest", "circle", "stance_now", "stance_hoped", "actions"]
        widgets = {
            "power": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "interest": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "circle": forms.RadioSelect,
            "actions": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "power": "Power (1 to 5)",
            "interest": "Interest (1 to 5)",
            "circle": "Which circle they sit in",
        }


class DriverForm(NHSForm):
    kind = forms.ChoiceField(
        choices=DriverKind.choices, widget=forms.RadioSelect, label="What are you adding?"
    )
    text = forms.CharField(max_length=300, label="Text")
    parent = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Hangs from",
        help_text="Leave empty for a primary driver, which hangs from the aim.",
    )
    lens_tags = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Lenses this change idea draws on"
    )

    def __init__(self, *args, nodes, lens_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = nodes
        self.fields["lens_tags"].choices = lens_choices


class NamedErrorsMixin:
    """Every error names its field: the error summary lists the messages away from their fields."""

    def full_clean(self):
        super().full_clean()  # type: ignore[misc]
        for name, errors in list((self._errors or {}).items()):  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is None:
                continue
            label = str(field.label)
            messages = [m for e in errors.as_data() for m in e.messages]
            named = [m if label.lower() in m.lower() else f"{label}: {m}" for m in messages]
            self._errors[name] = self.error_class(named, renderer=self.renderer)  # type: ignore[attr-defined]


def _cycle_widget(f: stages.CycleField):
    return {
        stages.LINE: forms.TextInput(),
        stages.TEXT: forms.Textarea(attrs={"rows": 3}),
        stages.DATE: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        stages.YES_NO: forms.RadioSelect(choices=[(True, "Yes"), (False, "No")]),
        stages.RADIO: forms.RadioSelect,
        stages.CHANGE_IDEA: forms.Select,
    }[f.kind]


def _cycle_help(f: stages.CycleField) -> str:
    needed = stages.STAGES[f.needed_to_leave].needed_hint if f.needed_to_leave else ""
    return " ".join(part for part in (f.help, needed) if part)


KEEP_SAVED, KEEP_MINE = "saved", "mine"


class CycleForm(NamedErrorsMixin, NHSModelForm):
    """The worksheet of one stage, built from the stage declaration, carrying the revision it was opened at.

    After a clash (someone else changed a field this person changed too) it also asks, for each such field,
    which text to keep; the saved text is shown beside it.
    """

    revision = forms.CharField(
        widget=forms.HiddenInput, required=False
    )  # checked in clean(): no field to name
    stage = forms.ChoiceField(
        widget=forms.HiddenInput, choices=[(s, s) for s in stages.STAGES], required=False
    )
    conflict = forms.MultipleChoiceField(
        widget=forms.MultipleHiddenInput, choices=[(n, n) for n in stages.NAMES], required=False
    )

    class Meta:
        model = Cycle
        fields = list(stages.NAMES)
        labels = {f.name: f.label for f in stages.FIELDS}
        help_texts = {f.name: _cycle_help(f) for f in stages.FIELDS}
        widgets = {f.name: _cycle_widget(f) for f in stages.FIELDS}
        error_messages = {
            f.name: {"required": f.required_message} for f in stages.FIELDS if f.required_message
        }

    def __init__(self, *args, stage: str, change_ideas, clashes=(), creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.declared = stages.fields_edited_in(stage)
        self.clashes = {c.field.name: c for c in clashes}
        hidden = [] if creating else ["revision", "stage", "conflict"]
        order = []
        for f in self.declared:
            formfield = self.fields[f.name]
            # Needed to move on, so not labelled "optional", though a draft saves without it.
            formfield.needed_later = f.needed_to_leave is not None
            if f.kind == stages.RADIO:
                formfield.choices = [c for c in formfield.choices if c[0] != ""]
            if f.kind == stages.CHANGE_IDEA:
                formfield.queryset = change_ideas
                formfield.empty_label = "Not linked to a change idea"
            if f.name in self.clashes:
                order.append(self._add_choice(f))
            order.append(f.name)
        for name in list(self.fields):
            if name not in order and name not in hidden:
                del self.fields[name]
        self.order_fields([*hidden, *order])
        if not self.is_bound and not creating:
            self.initial.setdefault("revision", self.instance.revision)
            self.initial.setdefault("stage", stage)
            self.initial["conflict"] = list(self.clashes)

    def _add_choice(self, f: stages.CycleField) -> str:
        name = f"choose_{f.name}"
        what = f"“{f.title}”"
        self.fields[name] = forms.ChoiceField(
            label=f"Which version of {what} to keep",
            help_text="To combine them, edit your text below and keep yours.",
            choices=[
                (KEEP_SAVED, "Keep the saved version, shown above"),
                (KEEP_MINE, "Keep mine, as it is below"),
            ],
            widget=forms.RadioSelect,
            error_messages={"required": f"Choose which version of {what} to keep: the saved one or yours"},
        )
        self._nhs_css[name] = ""
        return name

    def rows(self):
        """Each field of the stage, with the clash to resolve before it, if any."""
        for f in self.declared:
            clash = self.clashes.get(f.name)
            yield {
                "field": self[f.name],
                "clash": clash,
                "choose": self[f"choose_{f.name}"] if clash else None,
            }

    def clean(self):
        data = super().clean()
        if "revision" in self.fields:
            revision = data.get("revision") or ""
            if not revision.isdigit():
                raise forms.ValidationError(
                    "This form is out of date: reload the page and enter your changes again."
                )
            data["revision"] = int(revision)
        if "end_date" in self.fields and data.get("end_date"):
            start = data.get("start_date") if "start_date" in self.fields else self.instance.start_date
            if start and data["end_date"] < start:
                self.add_error("end_date", "The end date must be on or after the start date.")
        return data

    def values(self) -> dict:
        """The stage's entries to save; a clash resolved by keeping the saved version is left out."""
        keep_saved = {n for n in self.clashes if self.cleaned_data.get(f"choose_{n}") == KEEP_SAVED}
        return {f.name: self.cleaned_data[f.name] for f in self.declared if f.name not in keep_saved}


class CorrectionChoiceForm(NHSForm):
    """Which entry of a completed cycle to correct (asked first, so the correction starts from its text)."""

    field = forms.ChoiceField(
        label="Which entry to correct",
        widget=forms.RadioSelect,
        choices=[(f.name, f.title) for f in stages.correctable()],
        error_messages={
            "required": "Choose which entry to correct",
            "invalid_choice": "Choose which entry to correct",
        },
    )


class CorrectionForm(NamedErrorsMixin, NHSForm):
    field = forms.ChoiceField(
        widget=forms.HiddenInput, choices=[(f.name, f.name) for f in stages.correctable()]
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)
    new_value = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))
    reason = forms.CharField(
        label="Why the correction is needed",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the correction is needed"},
    )

    def __init__(self, *args, entry: stages.CycleField, **kwargs):
        super().__init__(*args, **kwargs)
        what = f"“{entry.title}”"
        self.fields["new_value"].label = f"Corrected text of {what}"
        self.fields[
            "new_value"
        ].help_text = "It starts as the text recorded now: change what needs correcting."
        self.fields["new_value"].widget.attrs["aria-describedby"] = f"{self['new_value'].auto_id}_helptext"
        self.fields["new_value"].error_messages["required"] = f"Enter the corrected text of {what}"


class ProgressForm(NHSForm):
    score = forms.TypedChoiceField(coerce=str, label="Progress level", widget=forms.RadioSelect)
    note = forms.CharField(
        label="Why this level: your evidence", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, levels: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = levels or [(str(s), str(s)) for s in SCORES]


class CarbonActivityForm(NHSForm):
    phase = forms.ChoiceField(
        choices=ActivityPhase.choices, widget=forms.RadioSelect, label="Before or after the change"
    )
    label = forms.CharField(
        max_length=200, label="Activity", help_text="For example: clinical waste sent for incineration."
    )
    factor = forms.ChoiceField(label="Emission factor")
    quantity = forms.DecimalField(label="Quantity", max_digits=14, decimal_places=4)
    unit = forms.CharField(
        max_length=40, label="Unit the quantity is in", help_text="It must match the factor's unit."
    )
    period = forms.ChoiceField(choices=Period.choices, label="How often")
    quantity_low = forms.DecimalField(label="Low estimate", required=False, max_digits=14, decimal_places=4)
    quantity_high = forms.DecimalField(label="High estimate", required=False, max_digits=14, decimal_places=4)
    assumptions = forms.CharField(
        label="Assumptions", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, factor_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factor"].choices = factor_choices


class SocialImpactForm(NHSForm):
    group = forms.CharField(
        max_length=150, label="Group", help_text="For example: people in the most deprived 20% of areas."
    )
    direction = forms.ChoiceField(
        choices=ImpactDirection.choices, widget=forms.RadioSelect, label="Does the group gain or lose?"
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="How")


class FinancialImpactForm(NHSModelForm):
    class Meta:
        model = FinancialImpact
        fields = ["description", "annual_gbp", "annual_gbp_low", "annual_gbp_high", "assumptions"]
        labels = {"annual_gbp_low": "Low estimate", "annual_gbp_high": "High estimate"}
        widgets = {"assumptions": forms.Textarea(attrs={"rows": 2})}


# Driver diagram: adding and editing a box, every error naming its field -------------------------------------

DRIVER_TEXT_REQUIRED = "Enter the text of the driver or change idea"


def _driver_parent_label(node) -> str:
    where = f" (under “{node.parent.text}”)" if node.parent_id else ""
    return f"{node.get_kind_display()}: {node.text}{where}"


class DriverAddForm(NamedErrorsMixin, DriverForm):
    """The driver diagram's add form, with messages that say which answer is missing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = (
            "What are you adding? Choose a primary driver, a secondary driver or a change idea"
        )
        self.fields["text"].error_messages["required"] = DRIVER_TEXT_REQUIRED
        self.fields["parent"].error_messages["invalid_choice"] = "Hangs from: choose a box from this diagram"


class DriverEditForm(NamedErrorsMixin, NHSForm):
    """Change a box: its words, its lenses and, but for a primary driver (which hangs from the aim), the box
    it hangs from. Its kind stays what it is; what hangs below it moves with it."""

    text = forms.CharField(max_length=300, label="Text", error_messages={"required": DRIVER_TEXT_REQUIRED})
    parent = forms.ModelChoiceField(
        queryset=None,
        label="Hangs from",
        empty_label=None,
        error_messages={
            "required": "Hangs from: choose the box it hangs from",
            "invalid_choice": "Hangs from: choose a box from this diagram",
        },
    )
    lens_tags = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Lenses it draws on"
    )

    def __init__(self, *args, node, parents, lens_choices, **kwargs):
        super().__init__(*args, **kwargs)
        if node.kind == DriverKind.PRIMARY:
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = parents.select_related("parent")
            self.fields["parent"].label_from_instance = _driver_parent_label
            self.fields["parent"].help_text = (
                "A secondary driver hangs from a primary driver."
                if node.kind == DriverKind.SECONDARY
                else "A change idea hangs from a primary or a secondary driver."
            )
        # A lens no longer in the model stays choosable while the box carries it, so saving does not drop it.
        known = {slug for slug, _ in lens_choices}
        self.fields["lens_tags"].choices = [
            *lens_choices,
            *((slug, slug) for slug in node.lens_tags if slug not in known),
        ]
        if not self.is_bound:
            self.initial.update(text=node.text, parent=node.parent_id, lens_tags=list(node.lens_tags))

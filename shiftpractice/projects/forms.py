from django import forms

from shiftpractice.core.forms import NHSForm, NHSModelForm

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
            "story_self": "Optional. A moment that called you to act on this.",
            "story_us": "Optional. What you share with the people you need on board.",
            "story_now": "Optional. Why this cannot wait.",
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


class CycleCreateForm(NHSModelForm):
    class Meta:
        model = Cycle
        fields = [
            "title",
            "change_idea",
            "objective",
            "questions",
            "prediction",
            "tasks",
            "data_plan",
            "start_date",
            "end_date",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            **{
                n: forms.Textarea(attrs={"rows": 3})
                for n in ["objective", "questions", "prediction", "tasks", "data_plan"]
            },
        }

    def __init__(self, *args, change_ideas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_idea"].queryset = change_ideas
        self.fields[
            "change_idea"
        ].help_text = "The change idea from your driver diagram that this cycle tests."


STAGE_FIELDS = {
    "planning": [
        "title",
        "change_idea",
        "objective",
        "questions",
        "prediction",
        "tasks",
        "data_plan",
        "start_date",
        "end_date",
    ],
    "doing": ["carried_out_as_planned", "what_happened", "observations", "problems", "end_date"],
    "studying": ["results", "learning", "learning_loop", "decision", "next_step"],
}


class CycleForm(NHSModelForm):
    """The worksheet for the cycle's current stage, carrying the revision it was opened at."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Cycle
        fields = sorted({f for fields in STAGE_FIELDS.values() for f in fields})
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "carried_out_as_planned": forms.RadioSelect(choices=[(True, "Yes"), (False, "No")]),
            "learning_loop": forms.RadioSelect,
            "decision": forms.RadioSelect,
            **{
                n: forms.Textarea(attrs={"rows": 3})
                for n in [
                    "objective",
                    "questions",
                    "prediction",
                    "tasks",
                    "data_plan",
                    "what_happened",
                    "observations",
                    "problems",
                    "results",
                    "learning",
                    "next_step",
                ]
            },
        }
        labels = {"carried_out_as_planned": "Was the test carried out as planned?"}

    def __init__(self, *args, stage: str, change_ideas, **kwargs):
        super().__init__(*args, **kwargs)
        keep = set(STAGE_FIELDS[stage]) | {"revision"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "change_idea" in self.fields:
            self.fields["change_idea"].queryset = change_ideas
        if "carried_out_as_planned" in self.fields:
            self.fields["carried_out_as_planned"] = forms.NullBooleanField(
                label="Was the test carried out as planned?",
                required=False,
                widget=forms.RadioSelect(choices=[(True, "Yes"), (False, "No")]),
                initial=self.instance.carried_out_as_planned,
            )
        if not self.is_bound:
            self.initial["revision"] = self.instance.revision

    def changed_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "revision"}


class CorrectionForm(NHSForm):
    field = forms.ChoiceField(label="Which entry to correct")
    new_value = forms.CharField(label="The corrected text", widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label="Why the correction is needed", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = choices


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
    quantity_low = forms.DecimalField(
        label="Low estimate (optional)", required=False, max_digits=14, decimal_places=4
    )
    quantity_high = forms.DecimalField(
        label="High estimate (optional)", required=False, max_digits=14, decimal_places=4
    )
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
        labels = {"annual_gbp_low": "Low estimate (optional)", "annual_gbp_high": "High estimate (optional)"}
        widgets = {"assumptions": forms.Textarea(attrs={"rows": 2})}

"""Forms of the evaluation: plan, indicators, surveys, windows, and the participant's survey form."""

from django import forms

from shiftpractice.core.forms import NHSForm, NHSModelForm

from .choices import QuestionKind, WindowLabel
from .models import EvaluationPlan, Indicator, PlanItem

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ReasonMixin:
    """On a locked plan every change needs a reason, kept in the plan's history."""

    def add_reason(self, plan: EvaluationPlan) -> None:
        if plan.is_locked:
            self.fields["reason"] = forms.CharField(
                label="Why are you changing the agreed plan?",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="The plan is locked: the reason is kept in its history.",
            )


class PlanSettingsForm(NHSModelForm):
    class Meta:
        model = EvaluationPlan
        fields = ["minimum_group"]


class QuestionForm(ReasonMixin, NHSForm):
    text = forms.CharField(
        label="Evaluation question",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the evaluation sets out to answer, for example: did taking part change how confident "
        "people feel about leading change?",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_reason(plan)


class IndicatorForm(ReasonMixin, NHSModelForm):
    model_indicator = forms.ChoiceField(
        label="Start from one of the model's indicators",
        required=False,
        help_text="Leave as 'Write my own' to write the indicator afresh.",
    )

    class Meta:
        model = Indicator
        fields = [
            "model_indicator",
            "name",
            "definition",
            "question",
            "kind",
            "platform_count",
            "source",
            "collected_when",
            "success_criterion",
            "owner",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "success_criterion": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "platform_count": "Only for 'a count the platform already knows'.",
            "success_criterion": "What result would count as success.",
        }

    def __init__(self, *args, plan, model_indicators, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_indicators = {i.ref: i for i in model_indicators}
        self.fields["model_indicator"].choices = [("", "Write my own")] + [
            (i.ref, i.title) for i in model_indicators
        ]
        if self.instance.pk:
            self.fields["model_indicator"].initial = self.instance.content_ref
        self.fields["question"].queryset = plan.questions.all()
        self.fields["question"].required = False
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.full_name or u.email
        self.fields["platform_count"].required = False
        self.add_reason(plan)

    def clean(self):
        data = super().clean()
        ref = data.get("model_indicator")
        if ref and ref not in self.model_indicators:
            self.add_error("model_indicator", "Choose one of the model's indicators.")
        return data

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"model_indicator", "reason"}}
        data["content_ref"] = self.cleaned_data.get("model_indicator") or ""
        return data


class CommentForm(NHSForm):
    text = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 3}))


class LockForm(NHSForm):
    milestone = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Milestone this completes",
        help_text="It is marked done, with a link to the plan as its evidence.",
        empty_label="No milestone",
    )

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones
        guess = next((m for m in milestones if "indicator" in m.title.lower()), None)
        if guess is not None:
            self.fields["milestone"].initial = guess.pk


class PlanItemForm(NHSModelForm):
    options_text = forms.CharField(
        label="Choices, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only for single and multiple choice.",
    )

    class Meta:
        model = PlanItem
        fields = ["text", "key", "kind", "options_text"]
        labels = {"text": "Question", "key": "Short name"}

    def validate_unique(self):
        # The plan is set by the service, which checks the short name is free.
        pass

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "key": d["key"],
            "text": d["text"],
            "kind": d["kind"],
            "options": (d.get("options_text") or "").splitlines(),
        }


class SurveyForm(NHSForm):
    name = forms.CharField(max_length=200, help_text="For example: Pilot survey, baseline and end.")
    cohort = forms.ModelChoiceField(
        queryset=None,
        help_text="The survey uses the instruments of this cohort's model version.",
    )
    instruments = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Instruments from the model"
    )
    items = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Questions written for this programme",
    )

    def __init__(self, *args, cohorts, instruments, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["instruments"].choices = [(i.slug, i.title) for i in instruments]
        self.fields["items"].queryset = items


class WindowForm(NHSForm):
    cohort = forms.ModelChoiceField(queryset=None)
    survey = forms.ModelChoiceField(queryset=None)
    label = forms.ChoiceField(choices=WindowLabel.choices, widget=forms.RadioSelect, label="Which window")
    opens_at = forms.DateTimeField(label="Opens", widget=DATETIME, help_text="UK time.")
    closes_at = forms.DateTimeField(label="Closes", widget=DATETIME, help_text="UK time.")

    def __init__(self, *args, cohorts, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["survey"].queryset = surveys

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "The window must close after it opens.")
        return data


def _field_name(key: str) -> str:
    return "q_" + key.replace(":", "__").replace(".", "_").replace("-", "_")


class ResponseForm(NHSForm):
    """One field per question. Every question may be left blank: answering is voluntary, item by item."""

    consent = forms.BooleanField(
        label="I have read how my answers are used, and I agree to take part",
        required=False,
    )

    def __init__(self, *args, questions, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        initial_answers = initial_answers or {}
        self.names = {}
        for q in self.questions:
            name = _field_name(q.key)
            self.names[name] = q
            self.fields[name] = self._field_for(q)
            if q.key in initial_answers:
                self.fields[name].initial = initial_answers[q.key]

    @staticmethod
    def _field_for(q) -> forms.Field:
        if q.kind == QuestionKind.SCALE:
            ends = {int(v): label for v, label in q.options}
            choices = [
                (
                    v,
                    f"{v} ({ends[v]})"
                    if v in ends and q.scale_max - q.scale_min > 5
                    else ends.get(v, str(v)),
                )
                for v in range(q.scale_min, q.scale_max + 1)
            ]
            if q.scale_max - q.scale_min <= 5:
                choices = [(v, f"{v}: {label}" if label != str(v) else label) for v, label in choices]
            return forms.TypedChoiceField(
                label=q.text,
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                empty_value=None,
            )
        if q.kind == QuestionKind.SINGLE:
            return forms.ChoiceField(
                label=q.text,
                choices=[(v, label) for v, label in q.options],
                required=False,
                widget=forms.RadioSelect,
            )
        if q.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                label=q.text,
                choices=[(v, label) for v, label in q.options],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        return forms.CharField(
            label=q.text, required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
        )

    def answers(self) -> dict:
        return {q.key: self.cleaned_data.get(name) for name, q in self.names.items()}

    def sections(self) -> list[tuple[str, list]]:
        """(section heading, bound fields) in survey order."""
        out: list[tuple[str, list]] = []
        for name, q in self.names.items():
            if not out or out[-1][0] != q.section:
                out.append((q.section, []))
            out[-1][1].append(self[name])
        return out

    def field_for_key(self, key: str) -> str | None:
        return next((n for n, q in self.names.items() if q.key == key), None)

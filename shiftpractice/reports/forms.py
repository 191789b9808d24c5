"""Forms for evaluation reports: each re-renders with what was typed and a clear message on any error."""

from django import forms

from shiftpractice.core.forms import NHSForm

from .choices import Judgement, ReportKind


class ReportForm(NHSForm):
    kind = forms.ChoiceField(choices=ReportKind.choices, widget=forms.RadioSelect, label="Which report")
    cohort = forms.ModelChoiceField(queryset=None, required=False, label="Cohort (for an interim report)")
    title = forms.CharField(max_length=200)
    milestone = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Milestone it reaches",
        help_text="Publishing marks this milestone done, with a link to the report.",
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = programme.cohorts.order_by("start_date", "name")
        self.fields["milestone"].queryset = programme.milestones.order_by("due_date")


class WritingForm(NHSForm):
    judgement = forms.ChoiceField(choices=[("", "No judgement yet"), *Judgement.choices], required=False)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=20000,
        label="Text",
        help_text="Markdown: **bold**, lists with -, links as [words](https://...).",
    )

    def __init__(self, *args, judged: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not judged:
            del self.fields["judgement"]


class PublishForm(NHSForm):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label="What is new in this version",
        help_text="Needed from the second version on; shown with it.",
    )

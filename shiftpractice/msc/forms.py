"""Forms of most significant change: each re-renders with the person's words and a clear message on any error."""

from django import forms

from shiftpractice.core.forms import NHSForm

from .models import MAX_REASONS, MAX_STORY, MAX_TITLE, MAX_WHY

QUESTION = "Looking back over the programme, what was the most significant change?"
CONSENT_WORDING = (
    "I agree that a selection panel of the programme's leads, critical friends and coaches may read my story "
    "(without my name unless I allow it below), and that it may be used in the programme's evaluation reports. "
    "I can withdraw this at any time."
)


class DomainForm(NHSForm):
    name = forms.CharField(
        max_length=120, help_text="For example: Changes for patients, communities or nature."
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text="What kind of change belongs here, in a sentence or two. Storytellers read it.",
    )
    order = forms.IntegerField(min_value=0, max_value=99, initial=0, help_text="Lower numbers come first.")


class StoryForm(NHSForm):
    title = forms.CharField(max_length=MAX_TITLE, label="A title for your story")
    story = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=MAX_STORY,
        label=QUESTION,
        help_text="Tell it as a story: what it was like before, what happened, and what is different now. "
        "Do not name patients or colleagues.",
    )
    why = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_WHY,
        label="Why is this change significant to you?",
    )
    show_name = forms.BooleanField(
        required=False,
        label="The panel may see my name",
        help_text="If you leave this unticked the panel reads your story as “Story A”, “Story B” and so on.",
    )


class NewStoryForm(StoryForm):
    consent = forms.BooleanField(
        label=CONSENT_WORDING,
        error_messages={
            "required": "Tick the box to agree to your story being read by the panel and used in the reports."
        },
    )


class RoundForm(NHSForm):
    title = forms.CharField(max_length=200, help_text="For example: Cohort 1 selection panel, October.")
    cohort = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="The whole programme (stacked on cohort rounds)",
        help_text="A cohort round reads the stories of its cohort. A programme round reads only the stories "
        "chosen in the closed cohort rounds you stack it on.",
    )
    stacked = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Cohort rounds to stack on (programme round only)",
    )
    panel = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="The panel",
        help_text="The programme's leads, critical friends and coaches. The panel reads the stories and chooses.",
        error_messages={"required": "Choose at least one person for the panel."},
    )

    def __init__(self, *args, cohorts, people, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["stacked"].queryset = rounds
        self.fields["stacked"].label_from_instance = lambda r: f"{r.title} ({r.cohort})"
        self.fields["panel"].queryset = people
        self.fields["panel"].label_from_instance = lambda u: u.full_name or u.email


class ChoiceForm(NHSForm):
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_REASONS,
        label="Why the panel chose this story",
        help_text="A few sentences: the storytellers read these reasons with the results.",
    )

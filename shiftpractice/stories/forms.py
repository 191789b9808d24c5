"""Forms for case studies. Each re-renders with the person's words and a clear message on any error."""

from django import forms

from shiftpractice.content.licences import TERMS, Licence
from shiftpractice.core.choices import Region, Setting
from shiftpractice.core.forms import NHSForm, NHSModelForm

from .choices import GENERAL, SECTIONS, Decision, ReviewDecision
from .models import CaseStudy

MAX_SECTION = 8000


class DetailsForm(NHSModelForm):
    class Meta:
        model = CaseStudy
        fields = ["title", "summary", "organisation", "setting", "region"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "summary": "One paragraph: what changed and why it matters. It is shown in lists and search."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Not given"), *Region.choices]
        self.fields["setting"].choices = [("", "Not given"), *Setting.choices]


class SectionForm(NHSForm):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=MAX_SECTION,
        help_text="Plain text with markdown: **bold**, lists with -, links as [words](https://...). "
        "Links to scripts and embedded pages are removed.",
    )


class ImageForm(NHSForm):
    image = forms.FileField(
        help_text="A PNG or JPEG photo or diagram, up to 5 MB. Never a photo of a patient."
    )
    alt_text = forms.CharField(
        label="Text alternative",
        max_length=300,
        help_text="What the image shows, for people who cannot see it. Required.",
        error_messages={
            "required": "Describe the image for people who cannot see it (its text alternative)."
        },
    )
    caption = forms.CharField(max_length=300, required=False)
    section = forms.ChoiceField(choices=[(s.key, s.heading) for s in SECTIONS], label="Show it under")


class TeamForm(NHSForm):
    people = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Team members named in the case study",
        help_text="Each person named is asked for their own consent before it is published.",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda u: u.full_name


class ConsentForm(NHSForm):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect, label="Your answer")
    licence = forms.ChoiceField(
        choices=Licence.choices,
        required=False,
        label="Licence",
        help_text="What others may do with your case study. CC BY 4.0 lets anyone reuse it if they credit you.",
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)

    def __init__(self, *args, author: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not author:
            del self.fields["licence"]
        else:
            self.fields["licence"].help_text += " " + " ".join(
                f"{TERMS[code].short}: {TERMS[code].allows}" for code in (Licence.CC_BY, Licence.CC_BY_NC)
            )


class SignoffRequestForm(NHSForm):
    organisation = forms.CharField(max_length=200, label="Organisation")
    name = forms.CharField(max_length=200, label="Name of the person who signs off")
    role = forms.CharField(
        max_length=200, required=False, label="Their role", help_text="For example: Practice manager"
    )
    email = forms.EmailField(label="Their work email address")


class SignoffForm(NHSForm):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect, label="Your answer")
    confirm_name = forms.CharField(max_length=200, label="Your full name")
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000, label="Comment (optional)"
    )


class CommentForm(NHSForm):
    section = forms.ChoiceField(
        choices=[(GENERAL, "The case study as a whole"), *((s.key, s.heading) for s in SECTIONS)],
        label="About",
    )
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label="Comment")


class DecisionForm(NHSForm):
    decision = forms.ChoiceField(choices=ReviewDecision.choices, widget=forms.RadioSelect, label="Decision")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        label="Note to the author",
        help_text="Needed when you ask for changes.",
    )


class PublishForm(NHSForm):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label="Correction note",
        help_text="For a new version: what it corrects. It is shown with the case study.",
    )


class WithdrawForm(NHSForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label="Why (kept on record; not shown to the public)",
    )

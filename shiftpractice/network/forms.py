"""The public forms (an expression of interest, an offer of help) and the lead's triage forms."""

from django import forms
from django.utils import timezone

from shiftpractice.cohorts.choices import CohortStatus, Role
from shiftpractice.cohorts.models import Cohort
from shiftpractice.core.forms import NHSForm

from .choices import TRIAGE_STATUSES, HeardFrom, Lens, Offer, Region

# The honeypot: a field people never see (it sits off-screen, out of the tab order, with a label saying to leave
# it empty); a form that comes back with it filled was filled by a program.
HONEYPOT = "website"


class ApproachForm(NHSForm):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        help_text="We send a link to this address: your answers reach the programme team once you follow it.",
    )
    role = forms.CharField(
        label="Your job role", max_length=150, help_text="For example: practice nurse, GP, estates manager."
    )
    organisation = forms.CharField(label="Organisation", max_length=200)
    region = forms.ChoiceField(label="Region", choices=[("", "Choose your region"), *Region.choices])
    heard_from = forms.ChoiceField(
        label="How did you hear about the programme?",
        choices=[("", "Choose one"), *HeardFrom.choices],
        required=False,
    )
    consent_to_contact = forms.BooleanField(
        label="The programme team may contact me about this",
        help_text="By email, about this programme only. You can withdraw at any time with the link in our email.",
        error_messages={
            "required": "Tick the box so the team may contact you: without it we cannot take your details."
        },
    )
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        trap = self.fields[HONEYPOT].widget.attrs
        trap.update({"tabindex": "-1", "autocomplete": "off"})

    def answers(self) -> dict:
        data = dict(self.cleaned_data)
        for name in (HONEYPOT, "started", "email"):
            data.pop(name, None)
        return data


LISTED_COHORTS = (
    50  # the soonest; a programme plans a few cohorts ahead, and a list must not grow without end
)


def _soonest(cohorts):
    ids = list(cohorts.order_by("start_date", "name", "id").values_list("pk", flat=True)[:LISTED_COHORTS])
    queryset = Cohort.objects.filter(pk__in=ids).order_by("start_date", "name", "id")
    queryset.listed_ids = ids  # (read before the field copies the queryset)
    return queryset


def future_cohorts(programme):
    """The programme's cohorts someone could still join (not started yet, not finished), the soonest first."""
    return _soonest(
        Cohort.objects.filter(programme=programme, start_date__gt=timezone.localdate()).exclude(
            status=CohortStatus.FINISHED
        )
    )


def open_cohorts(programme):
    """The cohorts a lead can invite someone into: not finished, not over yet, the soonest first."""
    return _soonest(
        Cohort.objects.filter(programme=programme, end_date__gte=timezone.localdate()).exclude(
            status=CohortStatus.FINISHED
        )
    )


class InterestForm(ApproachForm):
    change = forms.CharField(
        label="What would you like to change at work?",
        help_text="A few sentences are enough: the system change that matters to you, and who it is for.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
    )
    cohort = forms.ModelChoiceField(
        label="Which cohort would you like to join?",
        queryset=Cohort.objects.none(),
        required=False,
        empty_label="Any cohort",
    )
    field_order = ["name", "email", "role", "organisation", "region", "change", "cohort", "heard_from"]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = future_cohorts(programme)


class OfferForm(ApproachForm):
    offers = forms.MultipleChoiceField(
        label="How could you contribute?",
        choices=Offer.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one way you could contribute."},
    )
    offer_detail = forms.CharField(
        label="Tell us more",
        help_text="Your experience, and how much time or what else you could offer.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=3000,
    )
    field_order = ["name", "email", "role", "organisation", "region", "offers", "offer_detail", "heard_from"]

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)


FORMS = {"interest": InterestForm, "offer": OfferForm}


class OpenCallForm(NHSForm):
    is_open = forms.BooleanField(
        label="Take expressions of interest and offers of help from the public page", required=False
    )
    invitation = forms.CharField(
        label="What to tell people",
        help_text="Shown above the forms: who the programme is for and what taking part asks of people.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )


class StatusForm(NHSForm):
    status = forms.ChoiceField(
        label="Move to",
        choices=[(s.value, s.label) for s in TRIAGE_STATUSES],
        widget=forms.RadioSelect,
    )


class NoteForm(NHSForm):
    text = forms.CharField(label="Add a note", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)


class InviteForm(NHSForm):
    cohort = forms.ModelChoiceField(
        label="Cohort", queryset=Cohort.objects.none(), empty_label="Choose a cohort"
    )
    role = forms.ChoiceField(label="As", choices=Role.choices, widget=forms.RadioSelect)

    def __init__(self, *args, programme, cohort_roles, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = open_cohorts(programme)
        self.has_cohorts = bool(queryset.listed_ids)
        self.fields["cohort"].queryset = queryset
        self.fields["role"].choices = [(r, Role(r).label) for r in cohort_roles]
        if len(cohort_roles) == 1:
            self.fields["role"].initial = cohort_roles[0]


class DeclineForm(NHSForm):
    message = forms.CharField(
        label="A few words for them",
        help_text="Added to our email, which thanks them and says we cannot offer a place or take up the offer now.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ProfileForm(NHSForm):
    listed = forms.BooleanField(
        label="List me in the directory",
        help_text="Only people in your programmes see it, never the public. You can take yourself off at any time.",
        required=False,
    )
    worked_on = forms.CharField(
        label="What I have worked on",
        help_text="Your change project, or the improvement work you know.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1000,
    )
    lenses = forms.MultipleChoiceField(
        label="Lenses I know", choices=Lens.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    topics = forms.CharField(
        label="Topics I know about",
        help_text="For example: green space, inhalers, travel.",
        required=False,
        max_length=300,
    )
    region = forms.ChoiceField(label="Region", choices=[("", "Not given"), *Region.choices], required=False)
    offers = forms.MultipleChoiceField(
        label="What I offer", choices=Offer.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    wants = forms.CharField(
        label="What I am looking for",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )
    digest = forms.BooleanField(
        label="Send me the monthly network digest",
        help_text="New published projects, upcoming network events and new members who offer help, once a month.",
        required=False,
    )


class MessageForm(NHSForm):
    body = forms.CharField(
        label="Your message",
        help_text="We email it with your name and a link to your directory entry; neither of you sees the other's address.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
    )


class EventForm(NHSForm):
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="What it is about", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=3000
    )
    starts_at = forms.DateTimeField(
        label="Starts",
        help_text="UK time, for example 2027-03-04 12:30.",
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
    )
    ends_at = forms.DateTimeField(
        label="Ends", help_text="UK time.", input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
    )
    joining_url = forms.URLField(label="Joining link", required=False, max_length=200, assume_scheme="https")
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=10000)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The end must be after the start.")
        return data

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from shiftpractice.core.forms import NHSForm, NHSModelForm

from .choices import AttendanceStatus, Role
from .models import Cohort, Workshop
from .uploads import ACCEPT, ALLOWED_PHRASE, MAX_MATERIAL_BYTES, check_material_file

User = get_user_model()


class CohortForm(NHSModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "start_date", "end_date", "capacity", "status", "model_version"]
        labels = {"model_version": "Version of the model"}
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        return data


class NewCohortForm(CohortForm):
    """A new cohort: the cohort's fields, and the coaches to add (existing accounts, by email)."""

    coaches = forms.CharField(
        label="Coaches' email addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Accounts that already exist, one email address a line. Invite anyone new from the cohort's "
        "people page once the cohort exists.",
    )

    def clean_coaches(self):
        emails = [line.strip() for line in self.cleaned_data["coaches"].splitlines() if line.strip()]
        found = {u.email.lower(): u for u in User.objects.filter(email__in=[e.lower() for e in emails])}
        missing = [e for e in emails if e.lower() not in found]
        if missing:
            raise forms.ValidationError(
                f"There is no account for {', '.join(missing)}: invite them from the cohort's people page once "
                "the cohort exists."
            )
        return list({u.pk: u for u in found.values()}.values())


class RoleForm(NHSForm):
    role = forms.ChoiceField(label="New role", choices=Role.choices, widget=forms.RadioSelect)


class MaterialForm(NHSForm):
    title = forms.CharField(label="Title", max_length=200, help_text="For example, Slides for workshop 1.")
    url = forms.URLField(
        label="Link", required=False, assume_scheme="https", help_text="A link, or a file below."
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text=f"{ALLOWED_PHRASE}, smaller than {MAX_MATERIAL_BYTES // (1024 * 1024)} MB.",
        widget=forms.FileInput(attrs={"accept": ACCEPT, "class": "nhsuk-file-upload"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_material_file(upload)
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("url")) == bool(data.get("file")):
            self.add_error(None, "Give either a link or a file, not both.")
        return data


class InvitationForm(NHSForm):
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect, initial=Role.PARTICIPANT)


class AddMemberForm(NHSForm):
    email = forms.EmailField(label="Email address of an existing account")
    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect, initial=Role.PARTICIPANT)

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.user = User.objects.filter(email__iexact=email).first()
        if self.user is None:
            raise forms.ValidationError(
                "There is no account with this email address: send an invitation instead."
            )
        return email


class AcceptInvitationForm(NHSForm):
    full_name = forms.CharField(label="Full name", max_length=150)
    password1 = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. Avoid common words and your name.",
    )
    password2 = forms.CharField(
        label="Type the password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    accept_terms = forms.BooleanField(
        label="I accept the programme's sharing terms, shown above",
        error_messages={"required": "Confirm you accept the programme's sharing terms to join it."},
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "The two passwords do not match.")
        return data


class WorkshopForm(NHSModelForm):
    cohorts = forms.ModelMultipleChoiceField(
        queryset=Cohort.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose more than one for a shared learning workshop.",
    )
    facilitators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    joining_url = forms.URLField(label="Online joining link", required=False, assume_scheme="https")

    class Meta:
        model = Workshop
        fields = ["number", "title", "starts_at", "ends_at", "joining_url", "agenda"]
        labels = {"starts_at": "Starts (UK time)", "ends_at": "Ends (UK time)"}
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "agenda": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohorts"].queryset = programme.cohorts.order_by("start_date")
        self.fields["facilitators"].queryset = (
            User.objects.filter(Q(memberships__cohort__programme=programme) | Q(led_programmes=programme))
            .distinct()
            .order_by("full_name")
        )
        if self.instance.pk:
            self.initial["cohorts"] = list(self.instance.cohorts.all())
            self.initial["facilitators"] = list(self.instance.facilitators.all())

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "The workshop must end after it starts.")
        return data


class AttendanceForm(NHSForm):
    """One radio group per expected attendee, built from the workshop's cohorts."""

    def __init__(self, *args, people, existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        for person in self.people:
            self.fields[f"person_{person.pk}"] = forms.ChoiceField(
                label=person.full_name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=existing.get(person.pk),
            )

    def statuses(self) -> dict[int, str]:
        return {
            person.pk: self.cleaned_data[f"person_{person.pk}"]
            for person in self.people
            if self.cleaned_data.get(f"person_{person.pk}")
        }

from django import forms
from django.contrib.auth import get_user_model

from shiftpractice.core.forms import NHSForm, NHSModelForm

from .models import Milestone, Programme


class ProgrammeForm(NHSModelForm):
    class Meta:
        model = Programme
        fields = ["name", "summary", "organisation"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class MilestoneForm(NHSModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "status", "evidence"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
        }
        help_texts = {"evidence": "What shows the milestone was reached, for example a link to the minutes."}


def _accounts(text: str):
    """Existing accounts for the email addresses typed one a line; a ValidationError names any that do not exist."""
    User = get_user_model()
    emails = [line.strip() for line in (text or "").splitlines() if line.strip()]
    found = {u.email.lower(): u for u in User.objects.filter(email__in=[e.lower() for e in emails])}
    missing = [e for e in emails if e.lower() not in found]
    if missing:
        raise forms.ValidationError(f"There is no account for {', '.join(missing)}.")
    return list({u.pk: u for u in found.values()}.values())


class NewProgrammeForm(ProgrammeForm):
    leads = forms.CharField(
        label="Leads' email addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Existing accounts, one email address a line. Leave empty to lead it yourself.",
    )

    def clean_leads(self):
        return _accounts(self.cleaned_data["leads"])


class LeadForm(NHSForm):
    email = forms.EmailField(label="Email address of an existing account")

    def clean_email(self):
        accounts = _accounts(self.cleaned_data["email"])
        self.user = accounts[0]
        return self.cleaned_data["email"]

from django import forms

from shiftpractice.core.forms import NHSModelForm

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

"""The outcome forms. They parse what was typed; the services decide what may be saved."""

from datetime import datetime

from django import forms

from shiftpractice.core.choices import Lens
from shiftpractice.core.forms import NHSForm
from shiftpractice.evaluation.models import Indicator

from .choices import ChangeKind, Verdict

DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%d/%m/%Y")
MONTH_FORMATS = ("%B %Y", "%b %Y", "%Y-%m", "%m/%Y")


def parse_when(text: str):
    """A date ("14 March 2026") or a month ("March 2026"): (date, month_only), or None when unreadable."""
    text = " ".join((text or "").split())
    for formats, month_only in ((DATE_FORMATS, False), (MONTH_FORMATS, True)):
        for pattern in formats:
            try:
                return datetime.strptime(text, pattern).date(), month_only
            except ValueError:
                continue
    return None


class OutcomeForm(NHSForm):
    who_changed = forms.CharField(
        label="Who changed",
        max_length=200,
        help_text="A role, team or organisation (for example \u201cthe ward\u2019s night nurses\u201d or "
        "\u201cthe county council\u2019s transport team\u201d). Never a patient\u2019s or anyone\u2019s name.",
    )
    kind = forms.ChoiceField(
        label="What kind of change", choices=ChangeKind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="What changed",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What they now do, decide or allow differently, as you observed it.",
    )
    when = forms.CharField(
        label="When",
        max_length=40,
        help_text="A date (14 March 2026) or, if you know only the month, a month (March 2026).",
    )
    where = forms.CharField(label="Where", max_length=200, required=False)
    contribution = forms.CharField(
        label="How the project contributed",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you or your team did that helped it happen (rarely the only cause).",
    )
    significance = forms.CharField(label="Why it matters", widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What shows it happened: minutes, a changed policy, figures, who else saw it.",
    )
    lenses = forms.MultipleChoiceField(
        label="Lenses", choices=Lens.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    indicators = forms.ModelMultipleChoiceField(
        label="Evaluation indicators it informs",
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        indicators = Indicator.objects.filter(plan__programme=programme).order_by("name")
        if indicators.exists():
            self.fields["indicators"].queryset = indicators
        else:
            del self.fields["indicators"]

    def clean_when(self):
        parsed = parse_when(self.cleaned_data["when"])
        if parsed is None:
            raise forms.ValidationError("Give a date like 14 March 2026, or a month like March 2026.")
        return parsed

    def service_fields(self) -> dict:
        """The cleaned data as the services take it."""
        data = dict(self.cleaned_data)
        data["happened_on"], data["month_only"] = data.pop("when")
        if "indicators" not in self.fields:
            data.pop("indicators", None)
        else:
            data["indicators"] = list(data["indicators"])
        return data

    @staticmethod
    def initial_for(outcome) -> dict:
        return {
            "who_changed": outcome.who_changed,
            "kind": outcome.kind,
            "description": outcome.description,
            "when": outcome.when_label,
            "where": outcome.where,
            "contribution": outcome.contribution,
            "significance": outcome.significance,
            "evidence": outcome.evidence,
            "lenses": outcome.lenses,
            "indicators": list(outcome.indicators.all()),
        }


class SubstantiateForm(NHSForm):
    verdict = forms.ChoiceField(
        label="Does the outcome describe what happened?",
        choices=[
            (Verdict.AGREE, "I agree"),
            (Verdict.PARTLY, "I partly agree"),
            (Verdict.DISAGREE, "I disagree"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="What you saw. If you partly agree or disagree, say what differs.",
    )


class LinkAnswerForm(SubstantiateForm):
    confirm_name = forms.CharField(label="Your name", max_length=200)


class LinkRequestForm(NHSForm):
    name = forms.CharField(label="Their name", max_length=200)
    email = forms.EmailField(label="Their email address")
    role = forms.CharField(
        label="Their role and organisation",
        max_length=200,
        help_text="For example \u201cEstates manager, Riverside Hospital\u201d.",
    )

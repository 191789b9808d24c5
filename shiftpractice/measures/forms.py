from django import forms

from shiftpractice.core.forms import NHSForm, NHSModelForm

from .choices import Chart, RuleSetName
from .imports import FIELD_LABELS, FIELDS
from .models import Measure, ProgrammeChartSettings
from .periods import EARLIEST, LATEST, PERIOD_NAMES, normalise_period, period_problem
from .uploads import limits, megabytes

DATE = forms.DateInput(
    attrs={"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()}, format="%Y-%m-%d"
)


def _clean_date(value):
    problem = value and period_problem(value)
    if problem:
        raise forms.ValidationError(problem)
    return value


class MeasureForm(NHSModelForm):
    class Meta:
        model = Measure
        fields = [
            "name",
            "measure_type",
            "definition",
            "unit",
            "data_kind",
            "rate_per",
            "direction",
            "target",
            "frequency",
            "collected_by",
            "collection_method",
            "collection_schedule",
            "sampling",
            "chart",
            "rule_set",
            "freeze_at",
        ]
        widgets = {
            "measure_type": forms.RadioSelect,
            "data_kind": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "definition": forms.Textarea(attrs={"rows": 3}),
            "collection_method": forms.Textarea(attrs={"rows": 2}),
            "sampling": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "measure_type": "Outcome: the result for people. Process: whether the change is being done. "
            "Balancing: what else might get worse. Sustainability: environmental, social or financial effect.",
            "freeze_at": "Leave blank to calculate the limits from all the data.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chart"].choices = [("", "Choose automatically from the data"), *Chart.choices]
        self.fields["rule_set"].choices = [("", "The programme's default"), *RuleSetName.choices]
        self.fields["rate_per"].required = False
        for name in ("measure_type", "data_kind", "direction"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]

    def clean_rate_per(self):
        return self.cleaned_data.get("rate_per") or 1000


class PointForm(NHSForm):
    period = forms.DateField(label="Period", widget=DATE, help_text="The date the period starts.")
    value = forms.FloatField(required=False)
    numerator = forms.FloatField(required=False)
    denominator = forms.FloatField(required=False)
    note = forms.CharField(required=False, max_length=300)
    excluded = forms.BooleanField(required=False, label="Leave this point out of the calculations")
    exclusion_reason = forms.CharField(required=False, max_length=200, label="Why it is left out")

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        if measure.has_denominator:
            del self.fields["value"]
        else:
            del self.fields["numerator"], self.fields["denominator"]
        if measure.frequency in PERIOD_NAMES:
            self.fields[
                "period"
            ].help_text = f"Any date in the period: it is saved as {PERIOD_NAMES[measure.frequency]}."

    def clean_period(self):
        """Any date in the period, read as the period's first day (as imports read it)."""
        period = _clean_date(self.cleaned_data.get("period"))
        return normalise_period(self.measure.frequency, period) if period else period


class PhaseForm(NHSForm):
    start = forms.DateField(
        label="New phase starts", widget=DATE, help_text="The first period of the new phase."
    )
    reason = forms.CharField(max_length=200, help_text="For example: new pathway started.")

    def clean_start(self):
        return _clean_date(self.cleaned_data.get("start"))


class ChartWindowForm(NHSForm):
    """Which part of a long chart to draw (a GET form: the engine still reads every point)."""

    start = forms.DateField(label="From", required=False, widget=DATE, help_text="The first period to draw.")
    end = forms.DateField(label="To", required=False, widget=DATE, help_text="The last period to draw.")
    phase = forms.IntegerField(required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput)

    def clean_start(self):
        return _clean_date(self.cleaned_data.get("start"))

    def clean_end(self):
        return _clean_date(self.cleaned_data.get("end"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The last period to draw must be on or after the first.")
        return data


class CyclesTestedForm(NHSForm):
    """Which of the project's PDSA cycles test a change this measure should show."""

    cycles = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="PDSA cycles that test this measure",
        help_text="A cycle ticked here is marked on the charts of the measures it tests only. A cycle tied to "
        "no measure is marked on every chart of the project.",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["cycles"]
        field.queryset = project.cycles.order_by("number")
        field.label_from_instance = lambda c: f"PDSA {c.number}: {c.title}"


class UploadForm(NHSForm):
    file = forms.FileField(label="CSV or Excel file")

    def __init__(self, *args, refused: str | None = None, **kwargs):
        """``refused``: why the upload was not taken at all (too large: the request stopped reading it)."""
        super().__init__(*args, **kwargs)
        self.refused = refused
        if refused:
            self.fields["file"].required = False
        lim = limits()
        self.fields["file"].help_text = (
            "A row of column names (period, value, or numerator and denominator, and note), then one row per "
            f"period. Up to {megabytes(lim.max_bytes)}, {lim.max_columns} columns and {lim.max_rows:,} rows."
        )

    def clean_file(self):
        if self.refused:
            raise forms.ValidationError(self.refused)
        return self.cleaned_data.get("file")


class MappingForm(NHSForm):
    def __init__(self, *args, headers: list[str], mapping: dict, needed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not in the file"), *((h, h) for h in headers if h)]
        for name in FIELDS:
            if (name == "value" and "numerator" in needed) or (
                name in ("numerator", "denominator") and "value" in needed
            ):
                continue
            self.fields[name] = forms.ChoiceField(
                label=f"Column for the {FIELD_LABELS[name].lower()}",
                choices=choices,
                required=False,
                initial=mapping.get(name, ""),
                widget=forms.Select(attrs={"class": "nhsuk-select"}),
            )
            self._nhs_css[name] = "nhsuk-select"


class ChartSettingsForm(NHSModelForm):
    class Meta:
        model = ProgrammeChartSettings
        fields = ["rule_set", "prefer_xmr"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].choices = [("", "Each chart's usual rules"), *RuleSetName.choices]

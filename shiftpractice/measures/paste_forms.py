"""The form for pasting many periods at once (``paste``): a textarea, and the first period for values
pasted without dates. The rows themselves are checked by ``paste.read_paste``, row by row."""

from datetime import date

from django import forms
from django.conf import settings
from django.utils.formats import date_format

from shiftpractice.core.forms import NHSForm

from .choices import Frequency
from .forms import DATE, _clean_date
from .paste import max_rows


def text_hint(measure) -> str:
    if measure.has_denominator:
        columns = (
            "Each line needs a numerator and a denominator (both are required for this measure), separated by a "
            "tab, a semicolon or a comma; the period's date may come first and a note last: period, numerator, "
            "denominator, note. Where commas separate the columns, no number may hold a comma."
        )
    else:
        columns = "One value a line; the period's date may come first and a note last: period, value, note."
    return (
        f"{columns} Paste from a spreadsheet, or type. A first line of column names is skipped, and so are "
        "blank lines. A comma followed by exactly three digits separates thousands (1,234 is 1234); any other "
        "comma in a number is a decimal point (3,5 is 3.5). Dates like 2024-04-01 or 01/04/2024, all written "
        f"the same way. Up to {max_rows():,} rows and {settings.FORM_TEXT_MAX_LENGTH:,} characters."
    )


class PasteForm(NHSForm):
    text = forms.CharField(
        label="Data",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": "Paste or type at least one row of data."},
        strip=False,
    )
    first_period = forms.DateField(
        label="Period of the first row, when the rows have no dates",
        required=False,
        widget=DATE,
    )

    def __init__(self, *args, measure, continue_at: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        label = "Numerators and denominators" if measure.has_denominator else "Values"
        self.fields["text"].label = f"{label}, one period a line"
        self.fields["text"].help_text = text_hint(measure)
        hint = "Each next row is the period after."
        if measure.frequency == Frequency.EVENT:
            hint = "This measure is recorded for each event: give every row its date instead."
        elif continue_at:
            hint += f" Leave blank to start at {date_format(continue_at, 'j M Y')}, after the latest period saved."
        self.fields["first_period"].help_text = hint
        self.continue_at = continue_at
        # The mixin added aria-describedby before the hints existed: hints are set here, so link them now.
        for name in ("text", "first_period"):
            self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_helptext"

    def clean_first_period(self):
        return _clean_date(self.cleaned_data.get("first_period")) or self.continue_at

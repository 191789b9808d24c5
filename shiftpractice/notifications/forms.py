from django import forms

from shiftpractice.core.forms import NHSForm

from .choices import Delivery
from .kinds import Kind


class PreferencesForm(NHSForm):
    """One question per kind of event: straight away, in the daily digest, or not by email."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=current.get(kind.value),
            )
        # The NHS mixin styled the fields before they existed; radios need no class.
        self._nhs_css = {name: "" for name in self.fields}

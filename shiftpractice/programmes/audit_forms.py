"""The audit viewer's filters."""

from django import forms

from shiftpractice.core.forms import NHSForm

from .audit_log import AuditScope, action_choices, object_type_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANY = [("", "Any")]


class AuditFilterForm(NHSForm):
    """Narrow the events: each field only narrows what the scope already allows, never widens it."""

    programme = forms.ChoiceField(label="Programme", required=False)
    person = forms.CharField(
        label="Person", required=False, max_length=100, help_text="Part of a name or email address."
    )
    object_type = forms.ChoiceField(label="Object", required=False)
    action = forms.ChoiceField(label="Action", required=False)
    since = forms.DateField(label="From", required=False, widget=DATE)
    until = forms.DateField(label="To", required=False, widget=DATE)

    def __init__(self, *args, scope: AuditScope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["programme"].choices = [("", "All your programmes")] + [
            (p.slug, p.name) for p in scope.programmes
        ]
        if scope.everything:
            self.fields["programme"].choices[0] = ("", "All programmes, and events of none")
        self.fields["object_type"].choices = ANY + object_type_choices()
        self.fields["action"].choices = ANY + action_choices(scope)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date must be the same as or after the start date")
        return data

    def filters(self) -> dict:
        """The valid filters, ready for ``event_list`` (an invalid one is left out, and shown as an error)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "programme": self.scope.programme_named(data.get("programme") or ""),
            "person": " ".join((data.get("person") or "").split()),
            "object_type": data.get("object_type") or "",
            "action": data.get("action") or "",
            "since": data.get("since"),
            "until": data.get("until"),
        }

from django import forms

from shiftpractice.core.forms import NHSFormMixin

from .choices import DEFAULT_DAYS, EXPIRY_CHOICES, Scope


class TokenForm(NHSFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, so you know it again: for example “weekly upload”."
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        help_text="A token that only reads cannot change anything.",
    )
    days = forms.TypedChoiceField(
        label="Expires after",
        choices=EXPIRY_CHOICES,
        coerce=int,
        initial=DEFAULT_DAYS,
        widget=forms.RadioSelect,
    )

"""The form that asks for erasure: the person's password, so a session left open cannot do it."""

from django import forms

from shiftpractice.core.forms import NHSFormMixin


class ErasureRequestForm(NHSFormMixin, forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To check that it is you asking.",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Enter your password correctly. It is case-sensitive.")
        return password

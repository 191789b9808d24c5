from django import forms
from django.contrib.auth import forms as auth_forms

from shiftpractice.core.forms import NHSFormMixin, NHSModelForm

from .models import User


class LoginForm(NHSFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }


class ProfileForm(NHSModelForm):
    class Meta:
        model = User
        fields = ["full_name", "job_title", "organisation", "region", "pronouns", "bio"]
        labels = {"full_name": "Full name"}
        help_texts = {
            "pronouns": "Optional. For example, she/her or they/them.",
            "bio": "Optional. A few sentences that your cohort will see.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class PasswordChangeForm(NHSFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(NHSFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(NHSFormMixin, auth_forms.SetPasswordForm):
    pass

from django import forms
from django.contrib.auth import forms as auth_forms

from shiftpractice.core.forms import NHSFormMixin, NHSModelForm

from . import services
from .models import User, normalise_email


class LoginForm(NHSFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. The password is case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def clean_username(self) -> str:
        # The spelling failed logins are counted against (accounts.throttling) is the one we log in with.
        return normalise_email(self.cleaned_data["username"])


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
    def save(self, **kwargs) -> None:
        """Put a reset email for each matching account in the outbox.

        Nothing secret is stored: the link (with Django's token) is made when the email is sent. The template
        and request arguments Django passes are not needed, since the email is rendered by ``accounts.emails``.
        """
        for user in self.get_users(self.cleaned_data["email"]):
            services.password_reset_request(user=user)


class SetPasswordForm(NHSFormMixin, auth_forms.SetPasswordForm):
    pass

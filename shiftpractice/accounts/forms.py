from functools import partial

from django import forms
from django.contrib.auth import forms as auth_forms
from django.db import transaction
from django.template.loader import render_to_string

from shiftpractice.core.forms import NHSFormMixin, NHSModelForm
from shiftpractice.core.tasks import send_email

from .models import User


class LoginForm(NHSFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. The password is case-sensitive.",
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
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the reset email for the task worker instead of sending it while the person waits."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        text = render_to_string(email_template_name, context)
        html = render_to_string(html_email_template_name, context) if html_email_template_name else ""
        transaction.on_commit(
            partial(send_email.enqueue, to=[to_email], subject=subject, text=text, html=html)
        )


class SetPasswordForm(NHSFormMixin, auth_forms.SetPasswordForm):
    pass

"""The password reset email, made at send time so that no working link is ever stored."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from shiftpractice.core.emails import Rendered, render_pair
from shiftpractice.core.models import EmailDelivery


def render_password_reset(email: EmailDelivery, secrets: dict[str, str]) -> Rendered | None:
    """Build the reset link from the recipient with Django's token generator (the token is only valid for the
    account as it is now, and stops working once the password changes). None if the account can no longer
    reset its password, so the email is not sent."""
    user = email.recipient
    if user is None or not user.is_active or not user.has_usable_password():
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])
    text, html = render_pair("accounts/email/password_reset", {"email": user.email, "link": link})
    return Rendered(text=text, html=html)

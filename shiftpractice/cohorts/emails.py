"""The invitation email, made at send time from the invitation and its sealed token, so no working link is
ever stored."""

import logging

from django.conf import settings
from django.urls import reverse

from shiftpractice.core.emails import Rendered, render_pair
from shiftpractice.core.models import EmailDelivery

from .models import Invitation
from .services import hash_token

logger = logging.getLogger(__name__)


def render_invitation(email: EmailDelivery, secrets: dict[str, str]) -> Rendered | None:
    """None (the email is not sent) once the invitation is accepted, replaced or expired."""
    invitation = (
        Invitation.objects.select_related("cohort__programme", "invited_by")
        .filter(pk=email.reference)
        .first()
    )
    token = secrets.get("token", "")
    if invitation is None or not invitation.is_live:
        return None
    if hash_token(token) != invitation.token_hash:
        logger.warning("outbox email %s does not carry the token of invitation %s", email.pk, invitation.pk)
        return None
    text, html = render_pair(
        "cohorts/email/invitation",
        {
            "invitation": invitation,
            "link": settings.SITE_URL + reverse("cohorts:invitation_accept", args=[token]),
            "inviter": invitation.invited_by,
            "days": settings.INVITATION_VALID_DAYS,
        },
    )
    return Rendered(text=text, html=html)

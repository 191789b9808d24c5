"""Vocabularies of the shared outbox: where an email stands, and what it is for."""

from django.db import models


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed: needs someone to look at it"
    CANCELLED = "cancelled", "Not needed any more"


class EmailPurpose(models.TextChoices):
    IMMEDIATE = "immediate", "One notification"
    DIGEST = "digest", "Daily digest"
    INVITATION = "invitation", "Invitation to a cohort"
    PASSWORD_RESET = "password_reset", "Password reset link"
    NETWORK_DIGEST = "network_digest", "Monthly network digest"
    OTHER = "other", "Other"


# Emails whose body holds a working link: rendered only at send time from a reference (and, where a secret
# cannot be re-made, a sealed copy of it), never stored as text.
SECRET_PURPOSES = (EmailPurpose.INVITATION, EmailPurpose.PASSWORD_RESET)

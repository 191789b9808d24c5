"""How long invitations are kept (``manage.py apply_retention``, ``core.retention``).

An invitation nobody accepted goes once it has been expired for the period (withdrawn and replaced ones expire
too, so they go the same way); the lead sees expired ones on the members page until then, to send them again.
Accepted invitations stay: they record who invited whom into the cohort.
"""

from django.db.models import Q

from shiftpractice.core.retention import Rule, register

from .models import Invitation

register(
    Rule(
        key="invitations",
        model=Invitation,
        what="expired invitations",
        old=lambda cutoff: Q(accepted_at__isnull=True, expires_at__lt=cutoff),
    ),
)

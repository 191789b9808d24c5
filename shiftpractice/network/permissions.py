"""Who may triage a programme's expressions of interest and offers of help: its leads, and nobody else (not a
superuser by that alone: the admin is theirs). The people who got in touch are members of the public; what they
wrote is for the team that recruits."""

from django.shortcuts import get_object_or_404

from shiftpractice.core.access import deny_unless
from shiftpractice.programmes.permissions import get_programme_for_user

from .models import Approach

LEADS_ONLY = "Expressions of interest and offers of help are for the programme's leads."


def leads(user, programme) -> bool:
    return user.is_authenticated and any(lead.pk == user.pk for lead in programme.leads.all())


def get_programme_for_triage(user, slug: str):
    """The programme (404 for those who may not know of it; 403 for its other members)."""
    programme = get_programme_for_user(user, slug)
    deny_unless(leads(user, programme), message=LEADS_ONLY)
    return programme


def get_approach_for_lead(user, slug: str, public_id) -> Approach:
    programme = get_programme_for_triage(user, slug)
    approach = get_object_or_404(
        Approach.objects.select_related("cohort", "invitation__cohort"),
        programme=programme,
        public_id=public_id,
        confirmed_at__isnull=False,  # an unconfirmed approach is nobody's business yet
    )
    approach.programme = programme
    return approach

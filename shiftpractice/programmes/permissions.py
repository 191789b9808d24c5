"""Who may see and change a programme: the one chokepoint every view goes through."""

from django.shortcuts import get_object_or_404

from shiftpractice.core.access import deny_unless

from .models import Programme


def is_programme_lead(user, programme: Programme) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Uses the prefetch when the caller made one.
    return any(lead.pk == user.pk for lead in programme.leads.all())


def get_programme_for_user(user, slug: str, *, write: bool = False) -> Programme:
    """Return the programme, or 404 if the user may not know of it, or 403 if they may not change it."""
    programme = get_object_or_404(Programme.objects.visible_to(user).prefetch_related("leads"), slug=slug)
    if write:
        deny_unless(is_programme_lead(user, programme))
    return programme


def can_create_programme(user) -> bool:
    """Staff, and anyone who already leads a programme, may set up a new one."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.led_programmes.exists()

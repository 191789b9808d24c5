"""Who may see and change cohorts and workshops: the chokepoints every view goes through."""

from django.shortcuts import get_object_or_404

from shiftpractice.core.access import deny_unless
from shiftpractice.programmes.permissions import is_programme_lead

from .choices import Role
from .models import Cohort, Workshop


def get_cohort_for_user(user, slug: str, *, write: bool = False) -> Cohort:
    """The cohort, 404 if the person neither belongs to it nor leads its programme, 403 on write for non-leads."""
    cohort = get_object_or_404(
        Cohort.objects.visible_to(user).select_related("programme").prefetch_related("programme__leads"),
        slug=slug,
    )
    if write:
        deny_unless(is_programme_lead(user, cohort.programme))
    return cohort


def can_record_attendance(user, workshop: Workshop) -> bool:
    if is_programme_lead(user, workshop.programme):
        return True
    if any(f.pk == user.pk for f in workshop.facilitators.all()):
        return True
    return workshop.cohorts.filter(memberships__user=user, memberships__role=Role.FACILITATOR).exists()


def get_workshop_for_user(user, public_id, *, write: bool = False, attendance: bool = False) -> Workshop:
    workshop = get_object_or_404(
        Workshop.objects.visible_to(user)
        .select_related("programme")
        .prefetch_related("programme__leads", "facilitators", "cohorts"),
        public_id=public_id,
    )
    if write:
        deny_unless(is_programme_lead(user, workshop.programme))
    if attendance:
        deny_unless(can_record_attendance(user, workshop))
    return workshop

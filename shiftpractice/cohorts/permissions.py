"""Who may see and change cohorts and workshops: the chokepoints every view goes through."""

from django.shortcuts import get_object_or_404

from shiftpractice.core.access import deny_unless
from shiftpractice.programmes.permissions import is_programme_lead

from .choices import Role
from .models import Cohort, Invitation, Membership, Workshop, WorkshopMaterial
from .roles import known_roles


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


def get_invitation_for_user(user, public_id) -> Invitation:
    """An invitation, to the leads of its programme only (404 to anyone who cannot see its cohort)."""
    invitation = get_object_or_404(Invitation.objects.select_related("cohort"), public_id=public_id)
    get_cohort_for_user(user, invitation.cohort.slug, write=True)
    return invitation


def get_membership_for_user(user, cohort_slug: str, person_id) -> Membership:
    """A member of a cohort, for the leads of its programme to change or remove."""
    cohort = get_cohort_for_user(user, cohort_slug, write=True)
    return get_object_or_404(
        Membership.objects.select_related("user", "cohort__programme"),
        cohort=cohort,
        user__public_id=person_id,
    )


def get_material_for_user(user, public_id, *, write: bool = False) -> WorkshopMaterial:
    """A workshop material: read by whoever sees the workshop, changed by the programme's leads."""
    material = get_object_or_404(WorkshopMaterial.objects.select_related("workshop"), public_id=public_id)
    material.workshop = get_workshop_for_user(user, material.workshop.public_id, write=write)
    return material


def portfolio_scope(user, programme) -> str:
    """Whose projects a person sees in the programme's portfolio: "all" for its leads and critical friends,
    "coachees" for its coaches, "" for everyone else (who may not open it)."""
    if not user.is_authenticated:
        return ""
    if is_programme_lead(user, programme):
        return "all"
    known = known_roles(user)  # the memberships this request has read already (the navigation's), if any
    if known is not None:
        roles = {m.role for m in known.memberships if m.cohort.programme_id == programme.pk}
    else:
        roles = set(
            Membership.objects.filter(user=user, cohort__programme=programme).values_list("role", flat=True)
        )
    if Role.CRITICAL_FRIEND in roles:
        return "all"
    if Role.COACH in roles:
        return "coachees"
    return ""

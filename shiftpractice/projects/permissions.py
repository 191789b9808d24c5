"""Who may read and change a change project: the one chokepoint every project view goes through."""

from django.shortcuts import get_object_or_404

from shiftpractice.core.access import deny_unless
from shiftpractice.programmes.permissions import is_programme_lead

from .models import ChangeProject


def can_edit_project(user, project: ChangeProject) -> bool:
    """The owner and the team edit; everyone else who can see the project only reads it."""
    if not user.is_authenticated:
        return False
    if project.owner_id == user.pk:
        return True
    return any(m.user_id == user.pk for m in project.members.all())


def can_approve_public(user, project: ChangeProject) -> bool:
    return is_programme_lead(user, project.cohort.programme)


def get_project_for_user(user, public_id, *, write: bool = False) -> ChangeProject:
    """The project, or 404 when the person may not know it exists, or 403 when they may read but not change it."""
    project = get_object_or_404(
        ChangeProject.objects.visible_to(user)
        .select_related("owner", "cohort", "cohort__programme", "public_approved_by")
        .prefetch_related("members__user", "cohort__programme__leads"),
        public_id=public_id,
    )
    if write:
        deny_unless(can_edit_project(user, project))
    return project

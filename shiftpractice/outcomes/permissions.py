"""Who may read, record and substantiate outcomes: the chokepoints every outcome page goes through.

- An outcome is read by whoever reads its project (``projects.permissions``: the team, the cohort's coaches, the
  programme's leads and critical friends, and others as the project's visibility says). Outcomes are not shown
  to the public, even on a public project: an outcome names other people's roles and organisations, and nobody
  outside the programme has checked it.
- The project's team and its coaches (an assigned coach of the owner, or a coach of the project's cohort) record,
  edit and remove outcomes.
- The programme's leads and critical friends substantiate outcomes and send the outside person's link; they read
  the harvest (every outcome of a cohort or the programme). Anyone else gets 404, anonymous people the login page.
"""

from django.shortcuts import get_object_or_404

from shiftpractice.coaching.models import CoachAssignment
from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership
from shiftpractice.core.access import deny_unless
from shiftpractice.evaluation.permissions import can_read_plan, get_programme_for_evaluation
from shiftpractice.programmes.models import Programme
from shiftpractice.projects.models import ChangeProject
from shiftpractice.projects.permissions import Access, can_edit_project, project_access

from .models import Outcome

RECORDERS = "Only the project's team and coaches can record and change its outcomes."
SUBSTANTIATORS = "Only the programme's leads and critical friends substantiate outcomes."


def is_project_coach(user, project: ChangeProject) -> bool:
    """A coach of the project: the owner's current assigned coach, or a coach of the project's cohort."""
    if not user.is_authenticated:
        return False
    if Membership.objects.filter(user=user, cohort_id=project.cohort_id, role=Role.COACH).exists():
        return True
    return (
        CoachAssignment.objects.current()
        .filter(coach=user, participant_id=project.owner_id, cohort_id=project.cohort_id)
        .exists()
    )


def can_record(user, project: ChangeProject) -> bool:
    return can_edit_project(user, project) or is_project_coach(user, project)


def can_read(user, project: ChangeProject) -> bool:
    return project_access(user, project) >= Access.READ or is_project_coach(user, project)


def can_substantiate(user, programme: Programme) -> bool:
    return can_read_plan(user, programme)


def _project(public_id) -> ChangeProject:
    return get_object_or_404(
        ChangeProject.objects.select_related("owner", "cohort", "cohort__programme").prefetch_related(
            "members", "cohort__programme__leads"
        ),
        public_id=public_id,
    )


def get_project_for_outcomes(user, public_id, *, write: bool = False) -> ChangeProject:
    """The project whose outcomes are asked for: 404 unless the person reads it, 403 to record unless they may."""
    project = _project(public_id)
    deny_unless(can_read(user, project), visible=False)
    if write:
        deny_unless(can_record(user, project), message=RECORDERS)
    return project


def get_outcome_for_user(user, public_id, *, write: bool = False, substantiate: bool = False) -> Outcome:
    """The outcome, 404 unless the person reads its project; 403 for a change or an answer they may not give."""
    outcome = get_object_or_404(
        Outcome.objects.select_related(
            "project__owner", "project__cohort__programme", "programme", "recorded_by"
        ).prefetch_related("project__members", "project__cohort__programme__leads"),
        public_id=public_id,
    )
    project = outcome.project
    deny_unless(can_read(user, project), visible=False)
    if write:
        deny_unless(can_record(user, project), message=RECORDERS)
    if substantiate:
        deny_unless(can_substantiate(user, project.cohort.programme), message=SUBSTANTIATORS)
    return outcome


def get_programme_for_harvest(user, slug: str) -> Programme:
    """The harvest is the leads' and critical friends' (404 for anyone else)."""
    return get_programme_for_evaluation(user, slug)

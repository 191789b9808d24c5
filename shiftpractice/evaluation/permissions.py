"""Who may see and do what in the evaluation: the chokepoints every view goes through.

The rule at the heart of it: a participant reaches only their own answers; leads and critical friends reach
aggregates (and counts of who answered); coaches reach whether their coachees answered, never what.
No function here ever returns another person's ``Response``.
"""

from django.shortcuts import get_object_or_404

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership
from shiftpractice.core.access import deny_unless
from shiftpractice.programmes.models import Programme
from shiftpractice.programmes.permissions import is_programme_lead

from .models import Indicator, Survey, SurveyWindow


def _roles_in_programme(user, programme_id: int) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, cohort__programme_id=programme_id).values_list("role", flat=True)
    )


def is_critical_friend(user, programme) -> bool:
    return Role.CRITICAL_FRIEND in _roles_in_programme(user, programme.pk)


def can_read_plan(user, programme) -> bool:
    """Leads and critical friends: the people who devise and judge the evaluation."""
    return is_programme_lead(user, programme) or is_critical_friend(user, programme)


def can_agree(user, programme) -> bool:
    """Only critical friends and leads comment on, propose and agree indicators."""
    return can_read_plan(user, programme)


def get_programme_for_evaluation(user, slug: str, *, lead: bool = False) -> Programme:
    """The programme, 404 unless the person leads it or is one of its critical friends; 403 for a critical
    friend where only a lead may act."""
    programme = get_object_or_404(Programme.objects.prefetch_related("leads"), slug=slug)
    deny_unless(can_read_plan(user, programme), visible=False)
    if lead:
        deny_unless(is_programme_lead(user, programme))
    return programme


def get_indicator_for_user(user, public_id, *, edit: bool = False) -> Indicator:
    indicator = get_object_or_404(
        Indicator.objects.select_related("plan__programme", "question", "owner"), public_id=public_id
    )
    programme = indicator.plan.programme
    deny_unless(can_read_plan(user, programme), visible=False)
    if edit:
        deny_unless(can_agree(user, programme))
    return indicator


def get_survey_for_user(user, public_id, *, write: bool = False) -> Survey:
    survey = get_object_or_404(
        Survey.objects.select_related("programme", "model_version"), public_id=public_id
    )
    deny_unless(can_read_plan(user, survey.programme), visible=False)
    if write:
        deny_unless(is_programme_lead(user, survey.programme))
    return survey


class WindowAccess:
    """What a person may know about a window: counts, who answered (not what), or nothing."""

    def __init__(self, user, window: SurveyWindow):
        programme = window.cohort.programme
        roles = (
            set(Membership.objects.filter(user=user, cohort=window.cohort).values_list("role", flat=True))
            if user.is_authenticated
            else set()
        )
        self.is_lead = is_programme_lead(user, programme)
        self.is_friend = is_critical_friend(user, programme)
        self.is_coach = Role.COACH in roles
        self.is_participant = Role.PARTICIPANT in roles

    @property
    def sees_counts(self) -> bool:
        return self.is_lead or self.is_friend or self.is_coach

    @property
    def sees_who_answered(self) -> bool:
        return self.is_lead or self.is_coach


def _window(public_id) -> SurveyWindow:
    return get_object_or_404(
        SurveyWindow.objects.select_related("cohort__programme", "survey"), public_id=public_id
    )


def get_window_for_user(user, public_id) -> tuple[SurveyWindow, WindowAccess]:
    """A window's status page: leads, critical friends and the cohort's coaches; 404 for anyone else."""
    window = _window(public_id)
    access = WindowAccess(user, window)
    deny_unless(access.sees_counts, visible=False)
    return window, access


def get_window_to_answer(user, public_id) -> SurveyWindow:
    """Only a participant of the window's cohort answers it (and only ever their own response)."""
    window = _window(public_id)
    deny_unless(WindowAccess(user, window).is_participant, visible=False)
    return window


def get_window_free_text(user, public_id) -> SurveyWindow:
    """Free-text answers, without names: leads and critical friends only."""
    window = _window(public_id)
    access = WindowAccess(user, window)
    deny_unless(access.is_lead or access.is_friend, visible=False)
    return window

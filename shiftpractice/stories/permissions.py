"""Who may see and change a case study: the one chokepoint every view goes through.

The working copy (drafts, review comments, consents) is read by its author, the people named on its team, the
project's team, the participant's coach (an assigned coach, or a coach of the cohort) and the programme's leads.
Everyone else, critical friends included, is told it does not exist. Only the author edits; the coach and the
leads comment; a lead approves and publishes; the author or a lead withdraws. The published version is public.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from shiftpractice.coaching.models import CoachAssignment
from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership
from shiftpractice.core.access import deny_unless
from shiftpractice.programmes.permissions import is_programme_lead

from .models import CaseStudy


@dataclass(frozen=True)
class Rights:
    read: bool = False
    edit: bool = False  # the author, on the working text
    consent: bool = False  # the author and each named team member give their own consent
    comment: bool = False  # the coach and the leads
    decide: bool = False  # approve or ask for changes: a lead
    publish: bool = False  # a lead
    withdraw: bool = False  # the author or a lead
    is_author: bool = False
    is_coach: bool = False
    is_lead: bool = False


def _is_coach(user, case_study: CaseStudy) -> bool:
    project = case_study.project
    assigned = CoachAssignment.objects.current().filter(
        cohort_id=project.cohort_id, participant_id=project.owner_id, coach=user
    )
    in_cohort = Membership.objects.filter(cohort_id=project.cohort_id, user=user, role=Role.COACH)
    return assigned.exists() or in_cohort.exists()


def rights_for(user, case_study: CaseStudy) -> Rights:
    """Worked out once per request and kept on the object (the template asks several times)."""
    known = getattr(case_study, "_rights_for", None)
    if known is not None and known[0] == getattr(user, "pk", None):
        return known[1]
    if not user.is_authenticated:
        rights = Rights()
    else:
        project = case_study.project
        is_author = case_study.author_id == user.pk
        is_team = (
            any(u.pk == user.pk for u in case_study.team.all())
            or project.owner_id == user.pk
            or any(m.user_id == user.pk for m in project.members.all())
        )
        is_lead = is_programme_lead(user, case_study.programme)
        is_coach = not (is_author or is_lead) and _is_coach(user, case_study)
        named = any(u.pk == user.pk for u in case_study.team.all())
        rights = Rights(
            read=is_author or is_team or is_coach or is_lead,
            edit=is_author,
            consent=is_author or named,
            comment=is_coach or is_lead,
            decide=is_lead,
            publish=is_lead,
            withdraw=is_author or is_lead,
            is_author=is_author,
            is_coach=is_coach,
            is_lead=is_lead,
        )
    case_study._rights_for = (getattr(user, "pk", None), rights)
    return rights


def get_case_study_for_user(user, public_id, *, need: str = "read") -> CaseStudy:
    """The working copy, or 404 for anyone who may not see it, or 403 when they see it but may not do ``need``."""
    case_study = get_object_or_404(
        CaseStudy.objects.select_related(
            "project", "project__cohort", "author", "programme", "published_version"
        ).prefetch_related("team", "project__members", "programme__leads"),
        public_id=public_id,
    )
    rights = rights_for(user, case_study)
    deny_unless(rights.read, visible=False)
    deny_unless(getattr(rights, need), message=NEED_MESSAGE.get(need, ""))
    return case_study


NEED_MESSAGE = {
    "edit": "Only the case study's author can change its text.",
    "consent": "Only the author and the people named on the team give consent here.",
    "comment": "Only the participant's coach and the programme's leads review case studies.",
    "decide": "Only the programme's leads approve case studies or ask for changes.",
    "publish": "Only the programme's leads publish case studies.",
    "withdraw": "Only the author or the programme's leads can withdraw a case study.",
}


def visible_case_studies(user):
    """The working copies a person may open, for their list: their own, their team's, their coachees', and
    every case study of the programmes they lead."""
    from django.db.models import Q

    if not user.is_authenticated:
        return CaseStudy.objects.none()
    coached = CoachAssignment.objects.current().filter(coach=user)
    coach_cohorts = Membership.objects.filter(user=user, role=Role.COACH).values("cohort_id")
    return CaseStudy.objects.filter(
        Q(author=user)
        | Q(team=user)
        | Q(project__owner=user)
        | Q(project__members__user=user)
        | Q(programme__leads=user)
        | Q(project__cohort_id__in=coach_cohorts)
        | Q(
            project__owner_id__in=coached.values("participant_id"),
            project__cohort_id__in=coached.values("cohort_id"),
        )
    ).distinct()

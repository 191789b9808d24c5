"""The home page: one section for each role the person holds, each built with a fixed number of queries."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from shiftpractice.coaching import selectors as coaching_selectors
from shiftpractice.cohorts import selectors as cohort_selectors
from shiftpractice.cohorts.choices import CohortStatus
from shiftpractice.evaluation import selectors as evaluation_selectors
from shiftpractice.evaluation.models import EvaluationPlan
from shiftpractice.programmes import selectors as programme_selectors
from shiftpractice.programmes.models import Programme
from shiftpractice.projects.models import ChangeProject

from .front_door import front_door
from .inbox import lead_inbox
from .roles import roles_for

# The home page summarises: each list on it shows a few rows and a count, with a link to the full, paged list.
HOME_COHORTS = 8
HOME_PROJECTS = 5
HOME_PEOPLE = 10
HOME_COACHEES = 5


def _lead_section(roles) -> dict:
    """The cohorts still to finish (the next few by start date, with fill and attendance), how many cohorts
    there are in each status, the next milestones and the inbox: the same size with 2 cohorts or 1,000."""
    programmes = list(Programme.objects.filter(id__in=roles.led_programme_ids).order_by("name"))
    cohorts = list(
        cohort_selectors.cohort_fill_list(programmes)
        .exclude(status=CohortStatus.FINISHED)
        .order_by("start_date", "id")[:HOME_COHORTS]
    )
    attended = cohort_selectors.attended_places(cohorts)
    for cohort in cohorts:
        cohort.fill_percent = (
            round(100 * cohort.participant_count / cohort.capacity) if cohort.capacity else 0
        )
        expected = cohort.participant_count * cohort.workshops_held
        cohort.attended = attended.get(cohort.id, 0)
        cohort.attendance_percent = round(100 * cohort.attended / expected) if expected else None
    summary = cohort_selectors.cohort_summary(programmes)
    return {
        "programmes": programmes,
        "cohorts": cohorts,
        "cohort_summary": [
            (label, summary["by_status"].get(value, 0))
            for value, label in CohortStatus.choices
            if summary["by_status"].get(value)
        ],
        "cohort_total": summary["total"],
        "milestones": programme_selectors.upcoming_milestones(programmes=programmes, limit=5),
        "inbox": lead_inbox(programmes),
    }


def _participant_section(request, roles) -> dict:
    memberships = [m for m in roles.memberships if m.role == "participant"]
    workshops = cohort_selectors.workshops_due_for(request.user)
    now = timezone.now()
    peers = cohort_selectors.peers_of(memberships[0]) if memberships else []
    projects = list(
        ChangeProject.objects.filter(owner=request.user)
        .select_related("cohort")
        .order_by("-updated_at", "-id")[: HOME_PROJECTS + 1]
    )
    return {
        "memberships": memberships,
        "next_workshop": next((w for w in workshops if w.ends_at >= now), None),
        "last_workshop": next((w for w in reversed(workshops) if w.ends_at < now), None),
        "peers": peers[:HOME_PEOPLE],
        "more_peers": max(len(peers) - HOME_PEOPLE, 0),
        "projects": projects[:HOME_PROJECTS],
        "more_projects": len(projects) > HOME_PROJECTS,
        "support": coaching_selectors.participant_support(request.user, projects=False),
        "surveys": evaluation_selectors.open_windows_for(request.user),
    }


def _critical_friend_section(roles, user) -> dict:
    memberships = [m for m in roles.memberships if m.role == "critical_friend"]
    programme_ids = {m.cohort.programme_id for m in memberships}
    programmes = list(Programme.objects.filter(id__in=programme_ids).prefetch_related("milestones"))
    plans = list(EvaluationPlan.objects.filter(programme__in=programmes).select_related("programme"))
    for plan in plans:
        plan.awaiting = evaluation_selectors.awaiting(evaluation_selectors.plan_indicators(plan), user)
    return {
        "memberships": memberships,
        "programmes": programmes,
        "plans": plans,
        "windows": evaluation_selectors.windows_with_rates(cohorts=[m.cohort for m in memberships]),
    }


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    """Signed in: the person's home page, a section for each role. Otherwise the public front door."""
    if not request.user.is_authenticated:
        return render(request, "home/front_door.html", {"front": front_door()})
    roles = roles_for(request)
    context = {"roles": roles}
    if roles.is_lead:
        context["lead"] = _lead_section(roles)
    if roles.is_participant:
        context["participant"] = _participant_section(request, roles)
    if roles.is_coach:
        supported = cohort_selectors.people_supported_by(request.user)
        context["coach"] = {
            "supported": list(supported[:HOME_PEOPLE]),
            "supported_count": supported.count(),
            **coaching_selectors.coachees_needing_attention(request.user, limit=HOME_COACHEES),
            "windows": evaluation_selectors.windows_with_rates(
                cohorts=[m.cohort for m in roles.memberships if m.role == "coach"]
            ),
        }
    if roles.is_critical_friend:
        context["critical_friend"] = _critical_friend_section(roles, request.user)
    context["no_role"] = not roles.memberships and not roles.is_lead
    return render(request, "home/index.html", context)

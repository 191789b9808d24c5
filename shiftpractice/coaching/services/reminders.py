"""Scheduled reminders and nudges, run by ``manage.py send_reminders`` (from cron, every 15 minutes).

Each reminder goes through ``notifications.services.notify_once`` with a key naming what it is about, so a
person hears about each thing once however often, or however concurrently, the command runs.
"""

from datetime import timedelta

from django.db.models import Max, Q
from django.utils import timezone

from shiftpractice.cohorts.models import Workshop
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import notify_once

from ..choices import ActionOwner
from ..models import Action, CoachAssignment
from ..permissions import policy_for

WORKSHOP_NOTICE = timedelta(days=2)
ACTION_NOTICE_DAYS = 2


def workshop_reminders(now=None) -> int:
    """Everyone due at a workshop that starts within the next 2 days: members of its cohorts, facilitators."""
    now = now or timezone.now()
    sent = 0
    workshops = Workshop.objects.filter(
        starts_at__gt=now, starts_at__lte=now + WORKSHOP_NOTICE
    ).prefetch_related("cohorts__memberships__user", "facilitators")
    for workshop in workshops:
        people = {m.user.pk: m.user for c in workshop.cohorts.all() for m in c.memberships.all()}
        people.update({f.pk: f for f in workshop.facilitators.all()})
        local = timezone.localtime(workshop.starts_at)
        for person in people.values():
            sent += notify_once(
                recipient=person,
                kind=Kind.WORKSHOP_SOON,
                key=f"workshop:{workshop.pk}:{workshop.starts_at:%Y%m%d%H%M}",
                title=f"{workshop.title} starts {local:%A %-d %B at %H:%M}",
                body="The joining link and the agenda are on the workshop page.",
                url=workshop.get_absolute_url(),
            )
    return sent


def action_reminders(today=None) -> int:
    """Open actions due in the next 2 days (one reminder), and overdue ones (one more), to their owner."""
    today = today or timezone.localdate()
    sent = 0
    actions = (
        Action.objects.open()
        .filter(due_on__lte=today + timedelta(days=ACTION_NOTICE_DAYS))
        .filter(Q(assignment__ends_on__isnull=True) | Q(assignment__ends_on__gte=today))
        .select_related("assignment__coach", "assignment__participant")
    )
    for action in actions:
        owner = (
            action.assignment.participant
            if action.owner == ActionOwner.PARTICIPANT
            else action.assignment.coach
        )
        overdue = action.due_on < today
        sent += notify_once(
            recipient=owner,
            kind=Kind.ACTION_DUE,
            key=f"action:{action.pk}:{'overdue' if overdue else 'due'}:{action.due_on:%Y%m%d}",
            title=(
                f"Overdue since {action.due_on:%-d %B}: {action.description}"
                if overdue
                else f"Due {action.due_on:%-d %B}: {action.description}"
            ),
            url=action.assignment.get_absolute_url(),
        )
    return sent


def contact_nudges(today=None) -> int:
    """Tell a coach when nobody has been in touch with a current coachee for the programme's nudge period
    (21 days unless the programme says otherwise). Once per quiet spell: a new contact starts a new one."""
    today = today or timezone.localdate()
    sent = 0
    assignments = (
        CoachAssignment.objects.current(today)
        .annotate(last_contact=Max("contacts__occurred_on"))
        .select_related("coach", "participant", "cohort__programme__coaching_policy")
    )
    for assignment in assignments:
        since = assignment.last_contact or assignment.starts_on
        days = (today - since).days
        if days < policy_for(assignment.cohort.programme).nudge_after_days:
            continue
        sent += notify_once(
            recipient=assignment.coach,
            kind=Kind.NO_CONTACT_NUDGE,
            key=f"nudge:{assignment.pk}:{since:%Y%m%d}",
            title=f"Nobody has been in touch with {assignment.participant} for {days} days",
            body="A short call or email keeps the momentum going between workshops.",
            url=assignment.get_absolute_url(),
        )
    return sent


def survey_reminders(now=None) -> int:
    """Hook for the evaluation app: remind people of surveys that are open for them (kind SURVEY_OPEN).

    Surveys are not built yet. When they are, the evaluation app provides the open surveys and their
    respondents, and this function calls ``notify_once(kind=Kind.SURVEY_OPEN, key=f"survey:{pk}", ...)``
    for each person who has not answered.
    """
    return 0


def reminders_send(now=None) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        "workshops": workshop_reminders(now),
        "actions": action_reminders(today),
        "nudges": contact_nudges(today),
        "surveys": survey_reminders(now),
    }

"""Reads on cohorts and workshops, shaped for the pages that show them (constant query counts)."""

from django.db.models import Count, F, Q
from django.utils import timezone

from .calendar import feed_window_start
from .choices import AttendanceStatus, Role
from .models import Attendance, Cohort, Membership, Workshop

ROLE_ORDER = [Role.PARTICIPANT, Role.COACH, Role.FACILITATOR, Role.CRITICAL_FRIEND, Role.OBSERVER]


def cohort_members(cohort: Cohort) -> list[Membership]:
    """Members of a cohort, participants first, each role in name order."""
    members = cohort.memberships.select_related("user").order_by("user__full_name")
    return sorted(members, key=lambda m: ROLE_ORDER.index(m.role))


def cohort_workshops(cohort: Cohort) -> list[Workshop]:
    return list(
        cohort.workshops.select_related("programme").prefetch_related("cohorts").order_by("starts_at")
    )


def workshops_due_for(user, *, since=None) -> list[Workshop]:
    qs = Workshop.objects.due_for(user).select_related("programme").prefetch_related("cohorts")
    if since is not None:
        qs = qs.filter(ends_at__gte=since)
    return list(qs.order_by("starts_at"))


def calendar_feed_workshops(user) -> list[Workshop]:
    return workshops_due_for(user, since=feed_window_start())


def cohorts_with_fill(programmes) -> list[Cohort]:
    """Cohorts of the given programmes with how full they are and attendance so far, in one query."""
    now = timezone.now()
    return list(
        Cohort.objects.filter(programme__in=programmes)
        .select_related("programme")
        .annotate(
            participant_count=Count(
                "memberships", filter=Q(memberships__role=Role.PARTICIPANT), distinct=True
            ),
            workshops_held=Count("workshops", filter=Q(workshops__ends_at__lt=now), distinct=True),
        )
        .order_by("programme__name", "start_date")
    )


def attended_places(cohorts: list[Cohort]) -> dict[int, int]:
    """Per cohort id, how many participant places at its past workshops were recorded as attended (one query)."""
    rows = (
        Attendance.objects.filter(
            workshop__cohorts__in=cohorts,
            workshop__ends_at__lt=timezone.now(),
            status=AttendanceStatus.ATTENDED,
            user__memberships__cohort=F("workshop__cohorts"),
            user__memberships__role=Role.PARTICIPANT,
        )
        .values("workshop__cohorts")
        .annotate(n=Count("id"))
    )
    return {row["workshop__cohorts"]: row["n"] for row in rows}


def people_supported_by(coach) -> list[Membership]:
    """Participants in the cohorts where this person is a coach (until coach assignments exist)."""
    cohort_ids = Membership.objects.filter(user=coach, role=Role.COACH).values("cohort_id")
    return list(
        Membership.objects.filter(cohort_id__in=cohort_ids, role=Role.PARTICIPANT)
        .select_related("user", "cohort")
        .order_by("cohort__start_date", "user__full_name")
    )


def peers_of(membership: Membership) -> list[Membership]:
    """The other members of the person's cohort: fellow participants first, then the people supporting them."""
    peers = (
        Membership.objects.filter(cohort_id=membership.cohort_id)
        .exclude(user_id=membership.user_id)
        .select_related("user")
        .order_by("user__full_name")
    )
    return sorted(peers, key=lambda m: ROLE_ORDER.index(m.role))


def programme_workshops_for(user, programme) -> list[Workshop]:
    return list(
        Workshop.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("programme")
        .prefetch_related("cohorts")
        .order_by("starts_at")
    )


def workshop_attendance(workshop: Workshop) -> list[dict]:
    """Everyone expected at a workshop with what was recorded for them (two queries), for the workshop page."""
    from .services import workshop_attendees  # the attendee rule is declared once, with the service

    recorded = {
        a.user_id: a for a in Attendance.objects.filter(workshop=workshop).select_related("recorded_by")
    }
    return [{"person": person, "record": recorded.get(person.pk)} for person in workshop_attendees(workshop)]

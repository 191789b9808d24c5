"""Coaching between workshops: the programme's coaching policy, who coaches whom, contacts, notes, actions."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from shiftpractice.cohorts.models import Cohort
from shiftpractice.core.models import PublicIdModel, TimeStampedModel
from shiftpractice.programmes.models import Programme
from shiftpractice.projects.models import ChangeProject, Cycle

from ..choices import ActionOwner, ActionStatus, ContactMode, Initiator

DEFAULT_NUDGE_DAYS = 21
MAX_CONTACT_MINUTES = 8 * 60


class CoachingPolicy(TimeStampedModel):
    """How a programme runs its coaching: who may read coaches' private notes, and when to nudge.

    Without a row, the defaults apply: notes are for the coach alone and the nudge comes after 21 days.
    Participants are shown what this policy says about notes, in plain words, on their support page.
    """

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="coaching_policy")
    leads_read_coach_notes = models.BooleanField(
        "programme leads may read coaches' private notes",
        default=False,
        help_text="Participants are told whether this is on.",
    )
    nudge_after_days = models.PositiveSmallIntegerField(
        "nudge a coach after this many days without contact", default=DEFAULT_NUDGE_DAYS
    )
    participant_note = models.TextField(
        "what else participants should know about coaching", blank=True, max_length=2000
    )

    class Meta:
        ordering = ["programme"]
        verbose_name_plural = "coaching policies"
        constraints = [
            models.CheckConstraint(condition=Q(nudge_after_days__gte=1), name="coaching_nudge_at_least_a_day")
        ]

    def __str__(self) -> str:
        return f"Coaching policy of {self.programme}"

    @property
    def notes_statement(self) -> str:
        if self.leads_read_coach_notes:
            return (
                "Your coach may keep private notes about your conversations. In this programme the programme "
                "leads can read them too (the notes written while this is the programme's policy), to support "
                "and supervise the coaches. You never see them, and nor does anyone else: a coach who takes "
                "over from yours does not read them either."
            )
        return (
            "Your coach may keep private notes about your conversations. Only the coach who writes them can "
            "read them: not you, not your peers, not a coach who takes over from yours, and not the "
            "programme leads."
        )


class AssignmentQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class CoachAssignment(PublicIdModel, TimeStampedModel):
    """A coach supporting one participant within one cohort, from a start date to an (optional) end date."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="coach_assignments")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coachees")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_assignments"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Leave empty while the support goes on.")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "participant__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "participant"], name="coaching_one_coach_per_cohort"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="coaching_assignment_ends_after_start",
            ),
            models.CheckConstraint(condition=~Q(coach=F("participant")), name="coaching_no_self_coaching"),
        ]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.participant} ({self.cohort})"

    def get_absolute_url(self) -> str:
        return reverse("coaching:coachee", args=[self.public_id])

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def has_started(self, on=None) -> bool:
        return self.starts_on <= (on or timezone.localdate())

    @property
    def period_phrase(self) -> str:
        """Where the support stands today, in words every page uses: "starts on 5 January 2027", "since
        2 March 2026" (with "until ..." when an end is set) or "ended on 1 June 2026"."""
        today = timezone.localdate()
        if not self.has_started(today):
            return f"starts on {self.starts_on:%-d %B %Y}"
        if self.ends_on is not None and self.ends_on < today:
            return f"ended on {self.ends_on:%-d %B %Y}"
        until = f" until {self.ends_on:%-d %B %Y}" if self.ends_on else ""
        return f"since {self.starts_on:%-d %B %Y}{until}"


class SupportContact(PublicIdModel, TimeStampedModel):
    """One conversation between coach and participant. The summary is shared with the participant; the
    coach's private notes live in ``CoachNote`` so no page that shows contacts can show notes by accident."""

    assignment = models.ForeignKey(CoachAssignment, on_delete=models.CASCADE, related_name="contacts")
    occurred_on = models.DateField("date of the contact")
    mode = models.CharField(max_length=10, choices=ContactMode.choices)
    duration_minutes = models.PositiveSmallIntegerField("how long, in minutes")
    initiated_by = models.CharField("who got in touch", max_length=12, choices=Initiator.choices)
    summary = models.TextField(help_text="Shared with the participant.")
    summary_html = models.TextField(blank=True, editable=False)
    next_contact_on = models.DateField("next agreed contact", null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assignment", "-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=MAX_CONTACT_MINUTES), name="coaching_contact_duration_max"
            ),
            models.CheckConstraint(
                condition=Q(next_contact_on__isnull=True) | Q(next_contact_on__gte=F("occurred_on")),
                name="coaching_next_contact_after_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} on {self.occurred_on:%d %b %Y} ({self.assignment})"


class CoachNote(TimeStampedModel):
    """The coach's private notes on a contact: read by the coach who wrote them (not by a coach who takes
    over later), never by the participant or peers, and not in the admin.

    ``leads_may_read`` is the programme's policy *when the note was written*: turning the policy on later
    does not open up notes written under the promise that only the coach reads them (nor does turning it
    off hide notes the coach wrote knowing the leads could read them).
    """

    contact = models.OneToOneField(SupportContact, on_delete=models.CASCADE, related_name="coach_note")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    leads_may_read = models.BooleanField(
        "programme leads may read it",
        default=False,
        editable=False,
        help_text="The programme's coaching policy when the note was written.",
    )

    class Meta:
        ordering = ["contact"]

    def __str__(self) -> str:
        return f"Coach's note on contact {self.contact_id}"


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Action(PublicIdModel, TimeStampedModel):
    """Something the participant or the coach agreed to do, by a date, maybe for a project or PDSA cycle."""

    assignment = models.ForeignKey(CoachAssignment, on_delete=models.CASCADE, related_name="actions")
    contact = models.ForeignKey(
        SupportContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    owner = models.CharField("whose action", max_length=12, choices=ActionOwner.choices)
    description = models.CharField(max_length=300)
    due_on = models.DateField("due date")
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    project = models.ForeignKey(
        ChangeProject, null=True, blank=True, on_delete=models.SET_NULL, related_name="coaching_actions"
    )
    cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="coaching_actions"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["assignment", "status", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="coaching_action_due_idx")]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < timezone.localdate()

    def owner_user(self):
        return self.assignment.participant if self.owner == ActionOwner.PARTICIPANT else self.assignment.coach

"""A programme (the improvement programme a team runs) and its timeline of milestones."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from shiftpractice.core import memo
from shiftpractice.core.models import PublicIdModel, TimeStampedModel

from .choices import MilestoneStatus


def known_programmes_key(user_id: int) -> tuple:
    """Where a request keeps the ids of the programmes a person leads or belongs to, once it has read their
    roles (``cohorts.roles``, above this app, keeps them there: ``core.memo``)."""
    return ("programme_ids", user_id)


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Programmes a person may see: those they lead, and those with a cohort they belong to."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        known = memo.peek(known_programmes_key(user.pk))
        if known is not None:  # the request has read the person's roles: the same rule, over their list
            return self.filter(pk__in=known)
        # Each rule a subquery that starts from the person: no join of every member of every cohort, no DISTINCT.
        return self.filter(
            models.Q(pk__in=self.model.leads.through.objects.filter(user_id=user.pk).values("programme_id"))
            | models.Q(pk__in=self.model.objects.filter(cohorts__memberships__user=user).values("pk"))
        )


class Programme(TimeStampedModel):
    """An improvement programme: cohorts are run within it and its leads manage it."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(blank=True)
    organisation = models.CharField("owning organisation", max_length=200)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="led_programmes", blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cohorts:programme", args=[self.slug])


class Milestone(PublicIdModel, TimeStampedModel):
    """A dated point on the programme timeline, with evidence that it was reached."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED)
    evidence = models.TextField("evidence note", blank=True)
    # A page of the platform that is the milestone's evidence (a published evaluation report), set by the app
    # that publishes it; shown as a link beside the note.
    link_url = models.CharField(max_length=300, blank=True, editable=False)
    link_text = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.due_date:%d %b %Y}: {self.title}"

    @property
    def is_overdue(self) -> bool:
        """Planned but past its date: shown as late even before anyone updates the status."""
        return self.status == MilestoneStatus.PLANNED and self.due_date < timezone.localdate()

    @property
    def display_status(self) -> str:
        return MilestoneStatus.LATE.label if self.is_overdue else self.get_status_display()

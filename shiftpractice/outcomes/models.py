"""Outcome harvesting: observed changes in people other than the participant, recorded on a change project, and
their substantiation by a critical friend, a lead or an outside person who saw the change.

An outcome's ``status`` is the latest substantiator's answer, kept on the outcome by the service that records the
answer, so the harvest filters and counts it in the database without reading every substantiation.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shiftpractice.core.models import PublicIdModel, TimeStampedModel
from shiftpractice.evaluation.models import Indicator
from shiftpractice.programmes.models import Programme
from shiftpractice.projects.models import ChangeProject

from .choices import LENS_FIELDS, LENS_LABELS, ChangeKind, Status, Verdict


class Outcome(PublicIdModel, TimeStampedModel):
    """A change in the behaviour, relationships, policy or practice of a social actor, with the project's part
    in it."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="outcomes")
    # The project's programme, kept here so the harvest of a programme reads one indexed column.
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="outcomes")
    who_changed = models.CharField(
        "who changed",
        max_length=200,
        help_text="A role, team or organisation (for example \u201cthe ward\u2019s night nurses\u201d). Never a "
        "patient\u2019s name.",
    )
    kind = models.CharField("kind of change", max_length=16, choices=ChangeKind.choices)
    description = models.TextField("what changed")
    happened_on = models.DateField("when")
    month_only = models.BooleanField(default=False, help_text="Only the month is known.")
    where = models.CharField(max_length=200, blank=True)
    contribution = models.TextField("the project's contribution")
    significance = models.TextField("why it matters")
    evidence = models.TextField(blank=True)
    lens_systems = models.BooleanField("systems", default=False)
    lens_resilience = models.BooleanField("resilience", default=False)
    lens_equality = models.BooleanField("equality", default=False)
    lens_ecology = models.BooleanField("ecology", default=False)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="outcomes")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NONE)
    # Raised when what was observed is reworded: answers and links given about an earlier wording stop counting.
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="outcomes_recorded"
    )

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [
            models.Index(fields=["programme", "status"], name="outcome_programme_status_idx"),
            models.Index(fields=["programme", "kind"], name="outcome_programme_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.who_changed}: {self.get_kind_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("outcomes:detail", args=[self.public_id])

    @property
    def lenses(self) -> list[str]:
        return [key for key, field in LENS_FIELDS.items() if getattr(self, field)]

    @property
    def lens_labels(self) -> list[str]:
        return [LENS_LABELS[key] for key in self.lenses]

    @property
    def when_label(self) -> str:
        return self.happened_on.strftime("%B %Y" if self.month_only else "%-d %B %Y")

    @property
    def is_substantiated(self) -> bool:
        return self.status != Status.NONE


class SubstantiationRequest(models.Model):
    """A single-use emailed link asking an outside person (no account) to substantiate one outcome.

    Only the token's hash is stored; the link itself exists only in the sealed email."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="link_requests")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    role = models.CharField("role and organisation", max_length=200)
    outcome_version = models.PositiveIntegerField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Substantiation(TimeStampedModel):
    """One person's answer about an outcome: a critical friend or lead signed in, or an outside person by a link."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="substantiations")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    comment = models.TextField(blank=True)
    outcome_version = models.PositiveIntegerField()
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link = models.OneToOneField(
        SubstantiationRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="answer"
    )
    via_link = models.BooleanField("answered through an emailed link", default=False)
    # Who answered, as they gave it: the person's name and their role and organisation.
    name = models.CharField(max_length=200)
    role = models.CharField("role and organisation", max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values),
                name="substantiation_has_verdict",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_verdict_display()}"

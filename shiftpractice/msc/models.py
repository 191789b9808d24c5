"""Most significant change: a programme's domains, the participants' stories in them, and the selection rounds
in which a panel chooses the most significant story of each domain and says why.

A story belongs to its author: outside a panel only they read it. A cohort round reads the stories of its cohort
written before it closed; a programme round is stacked on closed cohort rounds and reads only the stories chosen
in them. Withdrawing consent (``Story.withdrawn_at``) takes a story out of every selection and unpublished report;
the row stays so the letters a panel saw ("Story A, B, ...") never shift.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shiftpractice.core.models import PublicIdModel, TimeStampedModel

MAX_TITLE = 200
MAX_STORY = 6000
MAX_WHY = 3000
MAX_REASONS = 2000


class Domain(PublicIdModel, TimeStampedModel):
    """A kind of change the programme asks about, e.g. "Changes for patients, communities or nature"."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="msc_domains"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="msc_domain_name_unique_in_programme",
                violation_error_message="The programme already has a domain with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Story(PublicIdModel, TimeStampedModel):
    """One participant's most significant change in one domain: at most one per person and domain."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="msc_stories"
    )
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="msc_stories")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="stories")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="msc_stories")
    title = models.CharField(max_length=MAX_TITLE)
    story = models.TextField()
    why = models.TextField("why it is significant to you")
    show_name = models.BooleanField("the panel may see my name", default=False)
    consent_at = models.DateTimeField(help_text="When the author agreed to its use in evaluation reports.")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["domain", "id"]
        verbose_name_plural = "stories"
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "author"],
                name="msc_one_story_per_domain_and_person",
                violation_error_message="You have already written a story in this domain.",
            )
        ]
        indexes = [models.Index(fields=["cohort", "domain"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Round(PublicIdModel, TimeStampedModel):
    """A selection round: a cohort round (``cohort`` set) or a programme round stacked on closed cohort rounds."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="msc_rounds")
    cohort = models.ForeignKey(
        "cohorts.Cohort", null=True, blank=True, on_delete=models.CASCADE, related_name="msc_rounds"
    )
    title = models.CharField(max_length=200)
    stacked = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="stacked_into", help_text="Closed cohort rounds."
    )
    panel = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="msc_panels")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["programme", "cohort", "closed_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_programme_round(self) -> bool:
        return self.cohort_id is None


class Choice(TimeStampedModel):
    """The panel's choice in one domain of one round, with its reasons (chosen again: the row is replaced)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="choices")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="choices")
    reasons = models.TextField()
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["round", "domain__order", "domain_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "domain"], name="msc_one_choice_per_round_and_domain"),
            models.CheckConstraint(condition=~Q(reasons=""), name="msc_choice_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.domain}"

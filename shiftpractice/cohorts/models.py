"""Cohorts of a programme, who belongs to them in which role, their workshops and attendance."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from shiftpractice.content.models import ModelVersion
from shiftpractice.core.models import EmailDelivery, PublicIdModel, TimeStampedModel
from shiftpractice.programmes.models import Programme

from .choices import AttendanceStatus, CohortStatus, Role


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cohorts a person belongs to, and every cohort of a programme they lead.

        Each rule is a subquery that starts from the person (their memberships, the programmes they lead), so
        the database never joins every member of every cohort to find them (a lead of a programme of 10,000
        was 80 ms on PostgreSQL), and no row comes twice (no DISTINCT)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(pk__in=Membership.objects.filter(user=user).values("cohort_id"))
            | Q(
                programme_id__in=Programme.leads.through.objects.filter(user_id=user.pk).values(
                    "programme_id"
                )
            )
        )


class Cohort(TimeStampedModel):
    """A group of participants who go through the programme together."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    start_date = models.DateField()
    end_date = models.DateField()
    capacity = models.PositiveIntegerField(help_text="The most participants this cohort can take.")
    status = models.CharField(max_length=12, choices=CohortStatus.choices, default=CohortStatus.PLANNED)
    # The version of the model this cohort is taught and answers against; PROTECT, because saved answers
    # record "slug@version" and the version must outlive them.
    model_version = models.ForeignKey(
        ModelVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        limit_choices_to={"status": "published"},
        help_text="Only published versions can be chosen. Participants answer against this version.",
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="cohort_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique_in_programme"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cohorts:detail", args=[self.slug])


class Membership(TimeStampedModel):
    """A person's place in a cohort, with the role they play there."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    sharing_terms_accepted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the person accepted the programme's sharing terms on joining "
        "(empty for members who joined before the terms were shown, or whom a lead added directly).",
    )

    class Meta:
        ordering = ["cohort", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cohort"],
                name="membership_unique_per_cohort",
                violation_error_message="This person is already a member of the cohort.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.cohort})"


class WorkshopQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        # Subqueries from the person, as ``CohortQuerySet.visible_to``: no join of every member, no DISTINCT.
        return self.filter(
            Q(
                pk__in=Workshop.cohorts.through.objects.filter(
                    cohort_id__in=Membership.objects.filter(user=user).values("cohort_id")
                ).values("workshop_id")
            )
            | Q(
                programme_id__in=Programme.leads.through.objects.filter(user_id=user.pk).values(
                    "programme_id"
                )
            )
            | Q(pk__in=Workshop.facilitators.through.objects.filter(user_id=user.pk).values("workshop_id"))
        )

    def due_for(self, user):
        """Workshops a person is due at: those of every cohort they belong to, and those they facilitate."""
        return self.filter(Q(cohorts__memberships__user=user) | Q(facilitators=user)).distinct()


class Workshop(PublicIdModel, TimeStampedModel):
    """An online workshop, attended by one cohort or (a shared learning workshop) by several."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="workshops")
    cohorts = models.ManyToManyField(Cohort, related_name="workshops")
    number = models.PositiveSmallIntegerField(
        help_text="Its place in the cohort's sequence, for example 1 or 2."
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    joining_url = models.URLField("online joining link", blank=True)
    agenda = models.TextField(blank=True, help_text="Markdown: headings, lists, bold and links.")
    agenda_html = models.TextField(blank=True, editable=False)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_workshops", blank=True
    )

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="workshop_ends_after_start",
                violation_error_message="The workshop must end after it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cohorts:workshop", args=[self.public_id])

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_shared(self) -> bool:
        """Attended by more than one cohort (uses the prefetch when there is one)."""
        return len(self.cohorts.all()) > 1


class WorkshopMaterial(PublicIdModel):
    """Slides, a handout or a recording for a workshop: a link, or a file uploaded by a lead.

    Files are checked by ``cohorts.uploads`` (extension, content type, size) and only ever served as downloads.
    """

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    # Stored under a random name the service gives it; the person's file name is kept only in ``filename``.
    file = models.FileField(upload_to="workshop-materials/%Y/%m/", blank=True, max_length=200)
    filename = models.CharField("original file name", max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["workshop", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="material_link_or_file",
                violation_error_message="Give either a link or a file, not both.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        return reverse("cohorts:material_download", args=[self.public_id]) if self.file else self.url


class Attendance(TimeStampedModel):
    """Whether a person attended a workshop, as the facilitator recorded it."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["workshop", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["workshop", "user"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.user} at {self.workshop}: {self.get_status_display()}"


class Invitation(PublicIdModel, TimeStampedModel):
    """An emailed, single-use link that lets a new person join a cohort in a role.

    Only a hash of the token is stored, so a database leak does not leak working links; the token itself waits,
    sealed, in the outbox until the email is sent. A person has at most one open invitation to a cohort (the
    database refuses a second); an expired one is closed (``superseded_at``) when the person is invited again.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the invitation was closed: a newer one to the same person replaced it, or a lead "
        "withdrew it (then revoked_at is set too).",
    )
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="When a lead withdrew the invitation.")
    delivery = models.ForeignKey(
        EmailDelivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                F("cohort"),
                Lower("email"),
                condition=Q(accepted_at__isnull=True, superseded_at__isnull=True),
                name="invitation_one_open_per_person",
                violation_error_message="This person already has an invitation to the cohort.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.cohort} as {self.get_role_display()}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_used(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_live(self) -> bool:
        return not (self.is_used or self.is_superseded or self.is_expired)

"""Expressions of interest and offers of help from the public and a programme's open call for them; the network's
directory, blocks, events with their sign-ups, and the digest's ledger."""

import secrets

from django.conf import settings
from django.db import models

from shiftpractice.cohorts.models import Cohort, Invitation
from shiftpractice.core.models import PublicIdModel, TimeStampedModel
from shiftpractice.programmes.models import Programme

from .choices import ApproachKind, ApproachStatus, HeardFrom, Lens, Offer, Region, SignupStatus, labels_of


class OpenCall(TimeStampedModel):
    """Whether a programme takes expressions of interest and offers of help from its public page (a lead opens
    and closes it), with a few words for the people who might answer it."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="open_call")
    is_open = models.BooleanField(default=False)
    invitation = models.TextField(
        "what to tell people",
        blank=True,
        help_text="Shown above the forms: who the programme is for, what taking part asks of people.",
    )

    def __str__(self) -> str:
        return f"Open call of {self.programme} ({'open' if self.is_open else 'closed'})"


class Approach(PublicIdModel, TimeStampedModel):
    """One person's expression of interest in a programme, or offer of help to it: one row per programme, kind
    and email address (a second submission from the same address updates the row, once confirmed)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="approaches")
    kind = models.CharField(max_length=10, choices=ApproachKind.choices)
    status = models.CharField(
        max_length=12, choices=ApproachStatus.choices, default=ApproachStatus.UNCONFIRMED
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    role = models.CharField("job role", max_length=150)
    organisation = models.CharField(max_length=200)
    region = models.CharField(max_length=20, choices=Region.choices)
    change = models.TextField("what they would like to change at work", blank=True)
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: any cohort.",
    )
    offers = models.JSONField(default=list, blank=True, help_text="Values of choices.Offer.")
    offer_detail = models.TextField("about the offer", blank=True)
    heard_from = models.CharField(max_length=12, choices=HeardFrom.choices, blank=True)
    consent_to_contact = models.BooleanField(default=False)
    # A later submission from the same address, waiting for its confirmation link before it replaces the above.
    pending = models.JSONField(null=True, blank=True)
    confirm_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirm_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdraw_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "email"], name="approach_one_per_address")
        ]
        indexes = [
            models.Index(fields=["programme", "kind", "status", "created_at"], name="approach_triage"),
            models.Index(fields=["confirm_token_hash"], name="approach_confirm_token"),
            models.Index(fields=["withdraw_token_hash"], name="approach_withdraw_token"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("network:approach", args=[self.programme.slug, self.public_id])

    @property
    def offer_labels(self) -> list[str]:
        return labels_of(self.offers, Offer)


class ApproachNote(TimeStampedModel):
    """A lead's note on an approach while triaging it; seen by the programme's leads only."""

    approach = models.ForeignKey(Approach, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.approach}"


class RefusedSubmission(models.Model):
    """How many submissions of a programme's public forms were refused as automated, by day and reason (the
    submissions themselves are not kept)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    reason = models.CharField(max_length=20)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "day", "reason"], name="refused_submission_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} refused ({self.reason}) on {self.day}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class DirectoryProfile(PublicIdModel, TimeStampedModel):
    """A network member's entry in the directory (only when ``listed``: opting in is the member's choice), seen
    by the people they share a programme with, never by the public; and their choice of the monthly digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_profile"
    )
    listed = models.BooleanField("list me in the directory", default=False)
    listed_at = models.DateTimeField(null=True, blank=True, help_text="When they last listed themselves.")
    worked_on = models.TextField("what I have worked on", blank=True, max_length=1000)
    lenses = models.JSONField(default=list, blank=True, help_text="Values of choices.Lens.")
    topics = models.CharField("topics I know about", max_length=300, blank=True)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    offers = models.JSONField(default=list, blank=True, help_text="Values of choices.Offer.")
    wants = models.TextField("what I am looking for", blank=True, max_length=1000)
    digest = models.BooleanField("send me the monthly network digest", default=False)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    class Meta:
        indexes = [models.Index(fields=["listed", "region"], name="directory_listed_region")]

    def __str__(self) -> str:
        return f"Directory profile of {self.user}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("network:member", args=[self.public_id])

    @property
    def offer_labels(self) -> list[str]:
        return labels_of(self.offers, Offer)

    @property
    def lens_labels(self) -> list[str]:
        return labels_of(self.lenses, Lens)


class Block(models.Model):
    """A member who takes no more messages from another through the directory."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once")]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"


class NetworkEvent(PublicIdModel, TimeStampedModel):
    """A webinar or meet-up for a programme's whole network (its members in every cohort, alumni included)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="network_events")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=3000)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    joining_url = models.URLField("joining link", blank=True)
    capacity = models.PositiveIntegerField(
        help_text="The most people who can book; the rest join a waiting list."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["programme", "starts_at"], name="network_event_when")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="network_event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("network:event", args=[self.public_id])

    @property
    def places_left(self) -> int:
        """With ``booked`` annotated (``events.visible_events``)."""
        return max(self.capacity - getattr(self, "booked", 0), 0)


class EventSignup(TimeStampedModel):
    event = models.ForeignKey(NetworkEvent, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_signups"
    )
    status = models.CharField(max_length=8, choices=SignupStatus.choices)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="event_signup_once")]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="event_signup_queue")]

    def __str__(self) -> str:
        return f"{self.user} for {self.event} ({self.status})"


class DigestLedger(models.Model):
    """Which month's digest went to whom: sending twice in a month sends nothing more."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month the digest is for.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "month"], name="digest_once_a_month")]

    def __str__(self) -> str:
        return f"Digest of {self.month:%B %Y} to {self.user}"

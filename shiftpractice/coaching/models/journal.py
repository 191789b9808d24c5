"""The reflective journal: entries written to the model's prompts or freely, each with its own privacy."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Cohort, Membership
from shiftpractice.core.models import PublicIdModel, TimeStampedModel

from ..choices import Privacy
from .peers import PeerGroup, PeerGroupMember


class JournalEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who reads a reflection. Every page, list, export and count goes through it.

        Private: the author alone. Coach: the author and the coach it was shared with (``shared_with_coach``,
        the author's coach in that cohort when it was shared: a coach who takes over later does not inherit
        it, and the earlier coach keeps it). Peer group: those, and the members of the chosen peer group.
        Cohort: those, and the participants, coaches and facilitators of the cohort. There is deliberately no
        exception for programme leads or superusers.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        in_group = Exists(PeerGroupMember.objects.filter(group_id=OuterRef("peer_group_id"), user_id=user.pk))
        in_cohort = Exists(
            Membership.objects.filter(
                cohort_id=OuterRef("cohort_id"),
                user_id=user.pk,
                role__in=[Role.PARTICIPANT, Role.COACH, Role.FACILITATOR],
            )
        )
        shared = [Privacy.COACH, Privacy.PEER_GROUP, Privacy.COHORT]
        return self.filter(
            Q(author_id=user.pk)
            | Q(privacy__in=shared, shared_with_coach_id=user.pk)
            | (Q(privacy__in=[Privacy.PEER_GROUP, Privacy.COHORT]) & in_group)
            | (Q(privacy=Privacy.COHORT) & in_cohort)
        )


class JournalEntry(PublicIdModel, TimeStampedModel):
    """One reflection. ``prompt_ref`` records the prompt version it answered ("slug@version"), if any.
    ``shared_with_coach`` is set by the journal services, never by a form."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="journal_entries")
    privacy = models.CharField(
        "who can read it", max_length=12, choices=Privacy.choices, default=Privacy.PRIVATE
    )
    peer_group = models.ForeignKey(
        PeerGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="reflections"
    )
    shared_with_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The author's coach in the cohort when the entry was shared; empty while it is private.",
    )
    prompt_ref = models.CharField(max_length=120, blank=True)
    prompt_title = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField(blank=True, editable=False)
    tags = models.JSONField(default=list, blank=True)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "journal entries"
        constraints = [
            models.CheckConstraint(
                condition=~Q(privacy=Privacy.PEER_GROUP) | Q(peer_group__isnull=False),
                name="coaching_peer_entry_names_group",
            )
        ]

    def __str__(self) -> str:
        return f"Journal entry {self.public_id}"

    def get_absolute_url(self) -> str:
        return reverse("coaching:journal_entry", args=[self.public_id])

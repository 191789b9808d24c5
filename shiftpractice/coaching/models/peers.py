"""Peer support inside a cohort: triads and action learning sets, their members and their meetings."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from shiftpractice.cohorts.models import Cohort
from shiftpractice.core.models import PublicIdModel, TimeStampedModel

from ..choices import PROTOCOLS, PeerGroupKind, PeerRole


class PeerGroup(PublicIdModel, TimeStampedModel):
    """A coaching triad or an action learning set, formed within one cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="peer_groups")
    kind = models.CharField(max_length=20, choices=PeerGroupKind.choices)
    name = models.CharField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cohort", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="coaching_peer_group_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coaching:peer_group", args=[self.public_id])

    @property
    def protocol(self) -> dict:
        return PROTOCOLS[PeerGroupKind(self.kind)]

    @property
    def roles(self) -> list:
        return self.protocol["roles"]


class PeerGroupMember(models.Model):
    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_groups")

    class Meta:
        ordering = ["group", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="coaching_peer_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"


class PeerMeeting(PublicIdModel, TimeStampedModel):
    """One meeting of a peer group: when, who took which role, and what each person committed to."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="meetings")
    met_on = models.DateField("date of the meeting")
    notes = models.TextField("what we talked about", blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["group", "-met_on", "-id"]

    def __str__(self) -> str:
        return f"{self.group} on {self.met_on:%d %b %Y}"


class MeetingRole(models.Model):
    meeting = models.ForeignKey(PeerMeeting, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=12, choices=PeerRole.choices)
    commitment = models.CharField("commitment made", max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="coaching_one_role_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"

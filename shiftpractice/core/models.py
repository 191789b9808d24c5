"""Abstract base models, the audit log and the email outbox. No domain models live here."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import EmailPurpose, EmailStatus


class TimeStampedModel(models.Model):
    """Adds creation and modification times to a model."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(models.Model):
    """A model addressed in URLs by a random UUID instead of its integer key."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


def lock_and_refresh(obj: models.Model) -> None:
    """Lock the object's row (inside the caller's transaction) and read it again into the caller's object, so a
    service decides on the row as it is now, never on a copy another request has since changed, and the save
    that follows writes nothing stale. (SQLite takes the whole database's write lock at the transaction's
    start instead, see core/sqlite3/.)"""
    list(type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    obj.refresh_from_db()


class AuditEvent(models.Model):
    """One recorded change, or one read of someone's personal data: who did what to which object, and when.

    Changes are written by services, never by views, so every path that changes data (pages, commands, the
    API) leaves the same trail. Reads of personal data by someone other than the person (a lead reading a
    coach's private notes, say) are written by ``core.access_log.record_read`` with a verb under ``read.``.

    ``subject`` is the person the data is about: they see the reads of their data on their profile.
    ``programme_id`` is the programme the event belongs to, so the programme's leads see it in the audit
    viewer: a plain integer, not a foreign key, because core sits below programmes in the layering (and an
    event outlives a deleted programme).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the (subject, at) index below serves every lookup by subject
        help_text="The person the data is about, when the event is a read of someone's personal data.",
    )
    programme_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The programme the event belongs to: its leads see it."
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx"),
            # A person's "who read my data" page: their events, newest first.
            models.Index(fields=["subject", "at"], name="core_audit_subject_at_idx"),
            # A lead's audit viewer: the events of the programmes they lead, newest first.
            models.Index(fields=["programme_id", "at"], name="core_audit_programme_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.object_type}:{self.object_id}"


class EmailDelivery(models.Model):
    """One email to one address, kept until it is sent: the outbox every email of the site goes through.

    A send is claimed by one UPDATE (pending -> sending, ``attempts`` + 1) that also sets a lease; just before
    the message is handed to the mail server ``handed_over_at`` is written. A worker that dies before the hand-over
    leaves a claim that any later run takes again once the lease is over; one that dies after it leaves a send
    that may or may not have reached the server, so it is marked failed for an operator rather than sent twice.

    Emails with a working link in them (invitations, password resets) keep no body here: the body is rendered
    when it is sent, from ``reference`` and the recipient, and a secret that cannot be made again (an invitation
    token) is kept ``sealed`` (encrypted with a key derived from SECRET_KEY) and wiped once the email is sent.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    to_address = models.EmailField()
    purpose = models.CharField(max_length=16, choices=EmailPurpose.choices)
    reference = models.CharField(
        max_length=64, blank=True, help_text="What the email is about, for example the invitation's id."
    )
    subject = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    sealed = models.TextField(blank=True, editable=False)
    headers = models.JSONField(
        default=dict,
        blank=True,
        help_text="Extra message headers (a digest's List-Unsubscribe, for example).",
    )
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "email"
        verbose_name_plural = "email outbox"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_email_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=EmailStatus.SENT, sent_at__isnull=False) | ~Q(status=EmailStatus.SENT),
                name="core_email_sent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status=EmailStatus.SENDING, lease_expires_at__isnull=False)
                | ~Q(status=EmailStatus.SENDING),
                name="core_email_claim_has_lease",
            ),
            # Whatever was sealed to send later is gone once the email has gone (or is not needed).
            models.CheckConstraint(
                condition=Q(sealed="") | ~Q(status__in=[EmailStatus.SENT, EmailStatus.CANCELLED]),
                name="core_email_sealed_wiped_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to_address} ({self.get_status_display()})"

"""Personal access tokens for the REST API: named, scoped, expiring, revocable, stored only as a hash."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from shiftpractice.core.models import PublicIdModel

from .choices import Scope


class ApiToken(PublicIdModel):
    """One token a person made for a script or a tool. The token itself is shown once, when it is made; only
    its SHA-256 digest is kept (a token has 256 random bits, so a fast digest is as safe as a slow hash and
    lets each request find its token in one indexed lookup) with its first characters, to recognise it by."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, so you know it again.")
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="api_token_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

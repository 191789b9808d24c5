"""People: the custom user model (email is the login) and their profile."""

import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from shiftpractice.core.models import PublicIdModel

# What an erased account is called wherever its contributions to shared work are shown (privacy.erasure).
ERASED_NAME = "A former participant"

_TITLES = {"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "rev", "revd"}


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


def normalise_email(value: str | None) -> str:
    """The one spelling of an email address used to store it, to log in with it and to count failed logins
    against it: no surrounding spaces, all lower case.

    >>> normalise_email("  Ward.Sister@Example.ORG ")
    'ward.sister@example.org'
    """
    return (value or "").strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None):
        return self.get(email__iexact=normalise_email(username))


class User(PublicIdModel, AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address. The profile lives on the same row."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    bio = models.TextField("short bio", max_length=1000, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can use the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the person's account was erased at their request: the row stays, with nothing personal "
        "left on it, so the shared work they contributed stays attributed to a former participant.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)

    def get_full_name(self) -> str:
        return self.full_name

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def get_short_name(self) -> str:
        """The name to greet someone by: their first name, passing over a title such as "Dr".

        >>> User(full_name="Dr Aisha Rahman").get_short_name()
        'Aisha'
        >>> User(full_name="Cher", email="c@example.org").get_short_name()
        'Cher'
        """
        if self.erased_at is not None:
            return ERASED_NAME
        words = [w for w in self.full_name.split() if w.rstrip(".").lower() not in _TITLES]
        return words[0] if words else (self.full_name or self.email)

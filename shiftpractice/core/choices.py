"""Shared vocabularies: where an email stands and what it is for, and the regions that the network and the library
both tag by."""

from django.db import models


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed: needs someone to look at it"
    CANCELLED = "cancelled", "Not needed any more"


class EmailPurpose(models.TextChoices):
    IMMEDIATE = "immediate", "One notification"
    DIGEST = "digest", "Daily digest"
    INVITATION = "invitation", "Invitation to a cohort"
    PASSWORD_RESET = "password_reset", "Password reset link"
    NETWORK_DIGEST = "network_digest", "Monthly network digest"
    OTHER = "other", "Other"


# Emails whose body holds a working link: rendered only at send time from a reference (and, where a secret
# cannot be re-made, a sealed copy of it), never stored as text.
SECRET_PURPOSES = (EmailPurpose.INVITATION, EmailPurpose.PASSWORD_RESET)


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East and Yorkshire"
    NORTH_WEST = "north_west", "North West"
    MIDLANDS = "midlands", "Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
    ELSEWHERE = "elsewhere", "Outside the UK"


class Lens(models.TextChoices):
    """The model's four sustainable-development lenses, as a directory profile names what someone knows and the
    library tags what it holds."""

    SYSTEMS = "systems", "Systems"
    RESILIENCE = "resilience", "Resilience"
    EQUALITY = "equality", "Equality"
    ECOLOGY = "ecology", "Ecology"


class Setting(models.TextChoices):
    """Where in health and care a piece of work happened, as case studies and the library tag it."""

    PRIMARY_CARE = "primary_care", "Primary care"
    COMMUNITY = "community", "Community services"
    HOSPITAL = "hospital", "Hospital"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SOCIAL_CARE = "social_care", "Social care"
    PUBLIC_HEALTH = "public_health", "Public health"
    ANY = "any", "Any setting"

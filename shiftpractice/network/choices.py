"""The network's vocabularies, declared once: the forms, the triage list, its filters, the CSV and the emails read
these."""

from django.db import models

from shiftpractice.cohorts.choices import Role
from shiftpractice.core.choices import Lens, Region  # noqa: F401  (declared once in core: the library tags by them too)


def labels_of(values, choices) -> list[str]:
    """The labels of stored choice values (a JSON list on a row), in their stored order; unknown ones left out."""
    return [choices(v).label for v in values if v in choices.values]


class ApproachKind(models.TextChoices):
    """Why someone got in touch through the public forms."""

    INTEREST = "interest", "Expression of interest in taking part"
    OFFER = "offer", "Offer of help"


class ApproachStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Email not confirmed yet"
    NEW = "new", "New"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INVITED = "invited", "Invited"
    WAITING = "waiting", "Waiting list"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn by the person"


# What a lead can move a confirmed approach to by hand (inviting and declining have their own actions, which
# send an email; withdrawal is the person's own).
TRIAGE_STATUSES = (ApproachStatus.NEW, ApproachStatus.SHORTLISTED, ApproachStatus.WAITING)


class Offer(models.TextChoices):
    """The ways of contributing the programme asks for ("how you can contribute")."""

    CRITICAL_FRIEND = (
        "critical_friend",
        "Be a critical friend: help set evaluation indicators and judge impact",
    )
    COACH = "coach", "Coach participants between workshops"
    WORKSHOP = "workshop", "Host or speak at a workshop"
    CASE_STUDY = "case_study", "Share a case study of change in your workplace"
    DATA = "data", "Offer data for measures or evaluation"
    FUNDING = "funding", "Offer funding or other resources"


# The cohort role an offer of help is invited into, when the lead invites the person into a cohort.
OFFER_ROLE = {Offer.CRITICAL_FRIEND: Role.CRITICAL_FRIEND, Offer.COACH: Role.COACH}


class HeardFrom(models.TextChoices):
    COLLEAGUE = "colleague", "A colleague"
    ALUMNI = "alumni", "Someone who took part"
    NEWSLETTER = "newsletter", "A newsletter or bulletin"
    SOCIAL = "social", "Social media"
    EVENT = "event", "An event or conference"
    WEBSITE = "website", "This website"
    OTHER = "other", "Somewhere else"


class SignupStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "On the waiting list"

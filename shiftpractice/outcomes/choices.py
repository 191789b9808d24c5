"""The outcome harvest's vocabularies, declared once: the kinds of change, the answers a substantiator gives and
where an outcome stands, and the lens columns the lens tags are stored in."""

from django.db import models

from shiftpractice.core.choices import Lens


class ChangeKind(models.TextChoices):
    """What changed in someone other than the participant (outcome harvesting's four kinds)."""

    BEHAVIOUR = "behaviour", "Behaviour"
    RELATIONSHIPS = "relationships", "Relationships"
    POLICY = "policy", "Policy"
    PRACTICE = "practice", "Practice"


class Verdict(models.TextChoices):
    """A substantiator's answer about an outcome as it is described."""

    AGREE = "agree", "Agrees"
    PARTLY = "partly", "Partly agrees"
    DISAGREE = "disagree", "Disagrees"


class Status(models.TextChoices):
    """Where an outcome stands: the latest substantiator's answer, or none yet."""

    NONE = "none", "Not substantiated yet"
    AGREE = "agree", "Agreed"
    PARTLY = "partly", "Partly agreed"
    DISAGREE = "disagree", "Disagreed"


# Each lens is one boolean column, so counting outcomes by lens is one aggregate query on any database (counting
# values inside a JSON list is not portable between SQLite and PostgreSQL).
LENS_FIELDS = {lens.value: f"lens_{lens.value}" for lens in Lens}
LENS_LABELS = dict(Lens.choices)

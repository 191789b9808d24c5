from django.db import models


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", "Getting started"
    ACTIVE = "active", "Testing changes"
    SUSTAINING = "sustaining", "Sustaining and spreading"
    COMPLETE = "complete", "Complete"
    PAUSED = "paused", "Paused"


class Visibility(models.TextChoices):
    TEAM = "team", "My team and coach only"
    COHORT = "cohort", "My cohort"
    PROGRAMME = "programme", "Everyone in the programme"
    PUBLIC = "public", "Public (after the programme lead approves)"


class TeamRole(models.TextChoices):
    MEMBER = "member", "Team member"
    COACH = "coach", "Coach"


class Circle(models.TextChoices):
    CONTROL = "control", "Control: I can change this myself"
    INFLUENCE = "influence", "Influence: I can affect this through others"
    CONCERN = "concern", "Concern: it matters, but I cannot change it"


class Stance(models.TextChoices):
    CHAMPION = "champion", "Champion"
    SUPPORTER = "supporter", "Supporter"
    NEUTRAL = "neutral", "Neutral"
    SCEPTIC = "sceptic", "Sceptical"
    OPPOSED = "opposed", "Opposed"
    UNKNOWN = "unknown", "Not known yet"


class DriverKind(models.TextChoices):
    PRIMARY = "primary", "Primary driver"
    SECONDARY = "secondary", "Secondary driver"
    CHANGE_IDEA = "change_idea", "Change idea"


class CycleStatus(models.TextChoices):
    PLANNING = "planning", "Plan"
    DOING = "doing", "Do"
    STUDYING = "studying", "Study"
    COMPLETE = "complete", "Complete"


class LearningLoop(models.TextChoices):
    SINGLE = "single", "Single loop: we changed what we do"
    DOUBLE = "double", "Double loop: we changed the assumptions behind what we do"
    TRIPLE = "triple", "Triple loop: we changed how we learn and decide"


class ActDecision(models.TextChoices):
    ADOPT = "adopt", "Adopt: make it the way we work"
    ADAPT = "adapt", "Adapt: change it and test again"
    ABANDON = "abandon", "Abandon: stop and try something else"


class Period(models.TextChoices):
    DAY = "day", "per day"
    WEEK = "week", "per week"
    MONTH = "month", "per month"
    YEAR = "year", "per year"


PERIODS_PER_YEAR = {Period.DAY: 365, Period.WEEK: 52, Period.MONTH: 12, Period.YEAR: 1}


class ActivityPhase(models.TextChoices):
    BEFORE = "before", "Before the change"
    AFTER = "after", "After the change"


class ImpactDirection(models.TextChoices):
    GAIN = "gain", "Gains"
    LOSS = "loss", "Loses"
    MIXED = "mixed", "Mixed"

"""The case study's vocabularies, declared once: its sections (the edit pages, the review comments, the public
page, the PDF and the library's search text all read ``SECTIONS``), its states and the consents it needs."""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    prompt: str  # what the author is asked, on the edit page


# A SQUIRE-informed structure in plain words (SQUIRE 2.0: problem, intervention, results, lessons, cost, next).
SECTIONS = (
    Section("problem", "The problem", "What was wrong, for whom, and why it mattered. Where was this?"),
    Section("why", "Why it mattered to us", "Your story of self, of us and of now: why you took this on."),
    Section("what_we_did", "What we did", "The changes you tested, the lenses you used, who took part."),
    Section("what_happened", "What happened", "What the measures and your observations showed."),
    Section("learnt", "What we learnt", "What worked, what did not, and what surprised you."),
    Section("cost_saved", "What it cost and saved", "Time, money, carbon and other effects, as ranges."),
    Section("next", "What next", "What you will keep, spread or stop, and what others could try."),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
SECTION_HEADINGS = {s.key: s.heading for s in SECTIONS}
GENERAL = "general"  # a review comment on the whole case study rather than one section


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The states in which the author edits the working text.
EDITABLE = (State.DRAFT, State.CHANGES_REQUESTED)


class ConsentKind(models.TextChoices):
    AUTHOR = "author", "Author"
    TEAM = "team", "Team member"
    ORGANISATION = "organisation", "Organisation sign-off"


class ConsentMethod(models.TextChoices):
    IN_APP = "in_app", "In the app, signed in"
    EMAIL_LINK = "email_link", "By a single-use link sent by email"


class Decision(models.TextChoices):
    AGREE = "agree", "I agree to publication"
    DECLINE = "decline", "I do not agree"


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", "Approve for publication"
    CHANGES = "changes", "Ask for changes"


# The statements people agree to, versioned: a consent records which wording it was given against.
CONSENT_WORDING_VERSION = 1
CONSENT_WORDING = {
    ConsentKind.AUTHOR: (
        "I wrote this case study, it is accurate to the best of my knowledge, it names no patient and no one who "
        "has not agreed, and I agree to it being published under the licence I chose."
    ),
    ConsentKind.TEAM: (
        "I am named in this case study and I agree to it being published, with my name, exactly as shown."
    ),
    ConsentKind.ORGANISATION: (
        "I am authorised to speak for the organisation named and I agree to this case study being published, "
        "exactly as shown."
    ),
}

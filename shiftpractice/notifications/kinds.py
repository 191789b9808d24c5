"""Every kind of event people can be told about, declared once, with the words the preferences page shows.

Apps above this one pass one of these kinds to ``services.notify``; a kind not listed here is refused, so the
preferences page always covers every email anyone can receive.
"""

from django.db import models


class Kind(models.TextChoices):
    COACH_ASSIGNED = "coach_assigned", "A coach or coachee is assigned to you"
    CONTACT_LOGGED = "contact_logged", "Your coach records a support contact with you"
    ACTION_AGREED = "action_agreed", "An action is agreed with you"
    ACTION_DUE = "action_due", "Reminder: an action of yours is due soon or overdue"
    WORKSHOP_SOON = "workshop_soon", "Reminder: a workshop starts in the next 2 days"
    SURVEY_OPEN = "survey_open", "Reminder: a survey is open for you"
    NO_CONTACT_NUDGE = "no_contact_nudge", "Nudge: nobody has been in touch with a coachee for a while"
    REFLECTION_SHARED = "reflection_shared", "Someone shares a reflection with you"
    PEER_MEETING = "peer_meeting", "A meeting of your peer group is recorded"
    DISCUSSION_THREAD = "discussion_thread", "A new discussion thread starts on one of your boards"
    DISCUSSION_REPLY = "discussion_reply", "Someone replies in a thread you take part in"
    POST_HIDDEN = "post_hidden", "A programme lead hides one of your posts"
    COMMENT = "comment", "Someone comments on your project or PDSA cycle"
    COACHING_PRIVACY = "coaching_privacy", "Who can read your coaching notes changes"
    DATA_EXPORT = "data_export", "The copy of your data you asked for is ready (or could not be made)"
    NETWORK_EVENT = "network_event", "A network event you booked: a place came free, or it starts tomorrow"
    NEW_APPROACH = (
        "new_approach",
        "As a programme lead: someone expresses interest in the programme or offers help",
    )
    EVALUATION_REPORT = "evaluation_report", "An evaluation report of your programme is published"
    CASE_STUDY = (
        "case_study",
        "A case study you write, review or are named in needs you, or is approved or published",
    )
    AWAITING_LEAD = (
        "awaiting_lead",
        "As a programme lead: a project asks to be public, or a model item needs verifying",
    )


def label(kind: str) -> str:
    try:
        return Kind(kind).label
    except ValueError:
        return kind

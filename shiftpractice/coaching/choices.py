from django.db import models


class ContactMode(models.TextChoices):
    TELEPHONE = "telephone", "Telephone"
    EMAIL = "email", "Email"
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"
    MESSAGE = "message", "Message"


class Initiator(models.TextChoices):
    COACH = "coach", "The coach"
    PARTICIPANT = "participant", "The participant"


class ActionOwner(models.TextChoices):
    PARTICIPANT = "participant", "The participant"
    COACH = "coach", "The coach"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Privacy(models.TextChoices):
    """Who may read a journal entry. Each level includes the people of the levels before it."""

    PRIVATE = "private", "Only me"
    COACH = "coach", "Me and my coach"
    PEER_GROUP = "peer_group", "My peer group (and my coach)"
    COHORT = "cohort", "My cohort (participants, coaches and facilitators)"


class PeerGroupKind(models.TextChoices):
    TRIAD = "triad", "Coaching triad"
    ACTION_LEARNING_SET = "action_learning_set", "Action learning set"


class PeerRole(models.TextChoices):
    COACH = "coach", "Coach"
    COACHEE = "coachee", "Coachee"
    OBSERVER = "observer", "Observer"
    PRESENTER = "presenter", "Presenter"
    QUESTIONER = "questioner", "Questioner"
    ADVISER = "adviser", "Adviser"


# The roles each kind of group rotates through, in order, and how a meeting runs.
PROTOCOLS = {
    PeerGroupKind.TRIAD: {
        "roles": [PeerRole.COACHEE, PeerRole.COACH, PeerRole.OBSERVER],
        "text": (
            "Three people, three rounds. In each round one person is the coachee and brings a live issue from "
            "their change project; one is the coach and asks open questions (the GROW questions help: goal, "
            "reality, options, way forward); one is the observer, who keeps time and at the end of the round "
            "tells the coach what helped. Swap roles after each round so everyone takes every role. Close with "
            "each coachee's commitment: what they will do, by when."
        ),
    },
    PeerGroupKind.ACTION_LEARNING_SET: {
        "roles": [PeerRole.PRESENTER, PeerRole.QUESTIONER, PeerRole.ADVISER],
        "text": (
            "Four to eight people meet regularly. In turn, a presenter describes a problem they own. The "
            "questioners ask only questions, open and curious, never advice dressed as questions, to help the "
            "presenter see the problem afresh. The adviser (the set's facilitator for that meeting) keeps to "
            "the process and, at the end, may offer one suggestion if the presenter asks. The presenter closes "
            "with the action they will take before the next meeting, and reports back on it then. The "
            "presenter role moves on each meeting."
        ),
    },
}


class BoardScope(models.TextChoices):
    COHORT = "cohort", "Cohort"
    PROGRAMME = "programme", "Programme"

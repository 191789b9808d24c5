from django.db import models


class CohortStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RECRUITING = "recruiting", "Recruiting"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"


class Role(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    COACH = "coach", "Coach"
    FACILITATOR = "facilitator", "Facilitator"
    CRITICAL_FRIEND = "critical_friend", "Critical friend"
    OBSERVER = "observer", "Observer"


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Absent"


# What everyone accepts on joining a programme, shown on the invitation page and recorded on the membership
# (``Membership.sharing_terms_accepted_at``). The rule itself is ``projects.models.ChangeProject.objects.visible_to``.
SHARING_TERMS = (
    "The programme's leads and critical friends can read every change project in the programme, read-only, "
    "to oversee and evaluate it. Who else sees your project (your team, your cohort, the programme or the "
    "public) is your choice on the project. Reflective journal entries, coaching notes and individual survey "
    "answers are not part of this: they stay as private as they are."
)

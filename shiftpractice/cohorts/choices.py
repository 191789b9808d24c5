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

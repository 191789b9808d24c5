from django.db import models


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"
    LATE = "late", "Late"

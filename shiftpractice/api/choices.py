from django.db import models


class Scope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


# How long a new token lasts unless the person chooses otherwise, and the choices offered.
DEFAULT_DAYS = 90
EXPIRY_CHOICES = [(7, "7 days"), (30, "30 days"), (90, "90 days"), (180, "180 days"), (365, "1 year")]

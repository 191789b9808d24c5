from django.db import models


class ExportStatus(models.TextChoices):
    BUILDING = "building", "Being prepared"
    READY = "ready", "Ready to download"
    DOWNLOADED = "downloaded", "Downloaded"
    EXPIRED = "expired", "Expired"
    FAILED = "failed", "Failed"


# How long a prepared export waits to be downloaded before it is deleted unread.
READY_FOR_DAYS = 7

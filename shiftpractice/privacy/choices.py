from django.db import models


class ExportStatus(models.TextChoices):
    BUILDING = "building", "Being prepared"
    READY = "ready", "Ready to download"
    DOWNLOADED = "downloaded", "Downloaded"
    EXPIRED = "expired", "Expired"
    FAILED = "failed", "Failed"


# How long a prepared export waits to be downloaded before it is deleted unread.
READY_FOR_DAYS = 7


class ErasureStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "unconfirmed", "Waiting for you to confirm by email"
    SCHEDULED = "scheduled", "Confirmed: waiting out the grace period"
    CANCELLED = "cancelled", "Cancelled"
    REFUSED = "refused", "Not possible"
    ERASED = "erased", "Erased"


# The requests still under way: at most one per person.
ERASURE_OPEN = (ErasureStatus.AWAITING_CONFIRMATION, ErasureStatus.SCHEDULED)

from django.db import models


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me straight away"
    DIGEST = "digest", "Put it in one email a day (a digest)"
    NEVER = "never", "Do not email me (it is still listed on my notifications page)"


# Quiet by default: one email a day at most, unless a person asks for more.
DEFAULT_DELIVERY = Delivery.DIGEST

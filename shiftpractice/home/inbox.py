"""What awaits a programme lead, for the top of their home page (two queries)."""

from django.urls import reverse

from shiftpractice.content.choices import ItemStatus
from shiftpractice.content.models import ContentItem
from shiftpractice.projects.choices import Visibility
from shiftpractice.projects.models import ChangeProject


def lead_inbox(programmes) -> dict:
    """Projects of the lead's programmes whose owners asked to make them public, and model items that need
    someone to verify their sources before they can be published. (Expressions of interest join this list
    once the network exists.)"""
    awaiting_public = list(
        ChangeProject.objects.filter(
            cohort__programme__in=programmes, visibility=Visibility.PUBLIC, public_approved_at__isnull=True
        )
        .select_related("owner", "cohort")
        .order_by("updated_at")
    )
    to_verify = list(
        ContentItem.objects.filter(needs_verification=True, verified_at__isnull=True)
        .exclude(status=ItemStatus.RETIRED)
        .order_by("kind", "slug", "version")
    )
    return {
        "awaiting_public": awaiting_public,
        "to_verify": to_verify,
        "pending_url": reverse("content:pending"),
        "count": len(awaiting_public) + len(to_verify),
    }

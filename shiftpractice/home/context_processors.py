"""Role-aware navigation for every page."""

from django.urls import reverse

from shiftpractice.network.members import NETWORK_ROLES
from shiftpractice.notifications.selectors import unread_count

from .roles import roles_for


def navigation(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    roles = roles_for(request)
    items = [("Home", reverse("home:index"))]
    items.append(("Programmes", reverse("programmes:list")))
    items.append(("Projects", reverse("projects:list")))
    if roles.is_coach or roles.is_participant or roles.is_lead:
        # One entry for coaching, the journal, peer groups and discussions: the header has room for few.
        items.append(("Coaching", reverse("coaching:dashboard")))
    if roles.is_lead or any(m.role in NETWORK_ROLES for m in roles.memberships):
        # The directory, network events and the digest: for the people of a programme, alumni included.
        items.append(("Network", reverse("network:directory")))
    items.append(("The model", reverse("content:model")))
    for membership in roles.memberships[:3]:
        items.append((membership.cohort.name, membership.cohort.get_absolute_url()))
    items.append(("My workshops", reverse("cohorts:my_calendar")))
    items.append(("Profile", reverse("accounts:profile")))
    if request.user.is_staff:
        items.append(("Admin", reverse("admin:index")))
    current = request.path
    return {
        "nav_items": [
            {
                "label": label,
                "url": url,
                "current": url == current or (url != "/" and current.startswith(url)),
            }
            for label, url in items
        ],
        "person_roles": roles,
        "unread_notifications": unread_count(request.user),
    }

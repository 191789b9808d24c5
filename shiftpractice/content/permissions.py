"""Who may read and change the model: the chokepoints every content view goes through.

Published versions are public: the model is meant to be read by anyone, and a cohort's members read the
version their cohort uses. Drafts are seen and changed only by people who lead a programme (and
superusers): the model is shared by every programme on the installation.
"""

from django.shortcuts import get_object_or_404

from shiftpractice.core.access import deny_unless

from .models import ContentItem, ModelVersion


def can_edit_model(user) -> bool:
    """Leads of at least one programme, and superusers. Cached on the user for the request."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_can_edit_model", None)
    if cached is None:
        cached = user.is_superuser or user.led_programmes.exists()
        user._can_edit_model = cached
    return cached


EDITORS_ONLY = "Only programme leads can change the model. Published versions never change."


def require_editor(user) -> None:
    """403 for a logged-in person who does not lead a programme (anonymous people are sent to log in)."""
    deny_unless(can_edit_model(user), message=EDITORS_ONLY)


def get_version_for_user(user, slug: str, *, write: bool = False) -> ModelVersion:
    """The version; 404 for a draft the person may not see; 403 on write for people who cannot edit."""
    version = get_object_or_404(ModelVersion.objects.select_related("parent", "published_by"), slug=slug)
    editor = can_edit_model(user)
    deny_unless(editor or not version.is_draft, visible=False)
    if write:
        deny_unless(editor, message=EDITORS_ONLY)
    return version


def get_item_for_editor(user, slug: str, number: int) -> ContentItem:
    require_editor(user)
    return get_object_or_404(ContentItem, slug=slug, version=number)

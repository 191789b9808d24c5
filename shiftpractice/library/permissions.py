"""Who may read and write the library: everyone (anonymous visitors too) reads a published item; a programme's
leads (and superusers, as ``programmes.permissions.is_programme_lead`` says) write their programme's items. A case
study is kept by the stories app: nobody edits it here."""

from django.shortcuts import get_object_or_404

from shiftpractice.core.access import deny_unless
from shiftpractice.programmes.models import Programme
from shiftpractice.programmes.permissions import get_programme_for_user, is_programme_lead

from .choices import ItemKind, ItemStatus
from .models import LibraryItem

LEADS_ONLY = "Only the programme's leads can change its library items."
CASE_STUDY = "A case study is changed, corrected or withdrawn from its own page in the stories app."


def can_write(user, item: LibraryItem) -> bool:
    if item.kind == ItemKind.CASE_STUDY or item.programme is None:
        return False
    return is_programme_lead(user, item.programme)


def get_programme_for_library(user, slug: str) -> Programme:
    """The programme whose library a lead manages (404 for those who may not know of it, 403 for its members)."""
    programme = get_programme_for_user(user, slug)
    deny_unless(is_programme_lead(user, programme), message=LEADS_ONLY)
    return programme


def get_item_for_user(user, slug: str, *, write: bool = False) -> LibraryItem:
    """The item (404 for a draft the person may not see; 403 for a write they may not make). A withdrawn item is
    returned to everyone: its page says it was withdrawn (410)."""
    item = get_object_or_404(
        LibraryItem.objects.select_related("programme", "model_version").prefetch_related("programme__leads"),
        slug=slug,
    )
    writer = can_write(user, item) if item.programme is not None else False
    superuser = getattr(user, "is_superuser", False)
    deny_unless(item.status != ItemStatus.DRAFT or writer or superuser, visible=False)
    if write:
        deny_unless(
            writer, visible=True, message=CASE_STUDY if item.kind == ItemKind.CASE_STUDY else LEADS_ONLY
        )
    return item

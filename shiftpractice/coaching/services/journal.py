"""Writes on the reflective journal. A private entry is never announced to anyone, and leaves no trace outside
the journal: no audit event and no content reference (both are listed in the admin)."""

from contextlib import suppress

from django.core.exceptions import ValidationError
from django.db import transaction

from shiftpractice.cohorts.choices import Role
from shiftpractice.cohorts.models import Membership
from shiftpractice.content import services as content_services
from shiftpractice.core.audit import audit
from shiftpractice.core.text import render_markdown
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.services import notify

from ..choices import Privacy
from ..models import CoachAssignment, JournalEntry, PeerGroupMember

WRITERS = [Role.PARTICIPANT, Role.COACH, Role.FACILITATOR]


def clean_tags(raw) -> list[str]:
    if isinstance(raw, str):
        raw = raw.split(",")
    seen = []
    for tag in raw or []:
        tag = " ".join(str(tag).split())[:40]
        if tag and tag.lower() not in {t.lower() for t in seen}:
            seen.append(tag)
    return seen[:12]


def _check(*, author, cohort, title, body, privacy, peer_group) -> None:
    errors = {}
    if not Membership.objects.filter(user=author, cohort=cohort, role__in=WRITERS).exists():
        errors["cohort"] = "You can only keep a journal in a cohort you take part in."
    if not (title or "").strip():
        errors["title"] = "Give the entry a title."
    if not (body or "").strip():
        errors["body"] = "Write your reflection: the entry is empty."
    if privacy not in Privacy.values:
        errors["privacy"] = "Choose who can read it."
    if privacy == Privacy.PEER_GROUP:
        if peer_group is None:
            errors["peer_group"] = "Choose which of your peer groups can read it."
        elif (
            peer_group.cohort_id != cohort.pk
            or not PeerGroupMember.objects.filter(group=peer_group, user=author).exists()
        ):
            errors["peer_group"] = "Choose a peer group you belong to in this cohort."
    if (
        privacy == Privacy.COACH
        and not CoachAssignment.objects.filter(cohort=cohort, participant=author).exists()
    ):
        errors["privacy"] = (
            "You have no coach in this cohort yet: keep it private for now, or share it wider."
        )
    if errors:
        raise ValidationError(errors)


def _coach_of(author, cohort):
    """The author's coach in the cohort now: the coach a reflection shared now is shared with."""
    assignment = (
        CoachAssignment.objects.filter(cohort=cohort, participant=author).select_related("coach").first()
    )
    return assignment.coach if assignment else None


def _announce(entry: JournalEntry, actor) -> None:
    """Tell the people an entry was just shared with (the coach, the peer group); never the text itself."""
    if entry.privacy == Privacy.PRIVATE:
        return
    recipients = [entry.shared_with_coach] if entry.shared_with_coach_id else []
    if entry.privacy == Privacy.PEER_GROUP and entry.peer_group_id:
        recipients += [m.user for m in entry.peer_group.members.select_related("user")]
    notify(
        recipients=recipients,
        kind=Kind.REFLECTION_SHARED,
        title=f"{entry.author} shared a reflection with you",
        url=entry.get_absolute_url(),
        actor=actor,
    )


def _record_prompt(entry: JournalEntry) -> None:
    """Note the prompt version a shared entry answered. A private entry records none: the references are
    listed in the admin, and a private entry must not exist for it."""
    if not entry.prompt_ref:
        return
    # If the prompt version was withdrawn since the entry was written there is nothing to protect: the entry
    # keeps its own copy of the prompt's ref and title.
    with suppress(ValidationError):
        content_services.reference_record(ref=entry.prompt_ref, obj=entry)


@transaction.atomic
def entry_create(
    *,
    author,
    cohort,
    title,
    body,
    privacy=Privacy.PRIVATE,
    tags=(),
    peer_group=None,
    prompt=None,
    quiet=False,
) -> JournalEntry:
    """Write a reflection; ``prompt`` is the model's prompt item it answers, recorded as slug@version.
    A shared entry records the author's coach in the cohort now as the coach it is shared with.
    ``quiet`` (the demo) records it without telling anyone."""
    if privacy != Privacy.PEER_GROUP:
        peer_group = None
    _check(author=author, cohort=cohort, title=title, body=body, privacy=privacy, peer_group=peer_group)
    shared = privacy != Privacy.PRIVATE
    entry = JournalEntry.objects.create(
        author=author,
        cohort=cohort,
        privacy=privacy,
        peer_group=peer_group,
        shared_with_coach=_coach_of(author, cohort) if shared else None,
        prompt_ref=prompt.ref if prompt else "",
        prompt_title=prompt.title if prompt else "",
        title=title.strip(),
        body=body.strip(),
        body_html=render_markdown(body.strip()),
        tags=clean_tags(tags),
    )
    if shared:
        if prompt is not None:
            content_services.reference_record(ref=prompt.ref, obj=entry)
        # The audit trail records that a shared entry exists and its privacy, never its words; a private
        # entry is not recorded at all.
        audit(actor=author, verb="journal_entry.created", obj=entry, privacy=privacy)
    if not quiet:
        _announce(entry, author)
    return entry


@transaction.atomic
def entry_update(
    *, entry: JournalEntry, actor, title, body, privacy, tags=(), peer_group=None
) -> JournalEntry:
    """Change an entry. An entry that stays shared stays with the coach it was shared with; a private entry
    that is shared again is shared with the author's coach now."""
    if privacy != Privacy.PEER_GROUP:
        peer_group = None
    _check(
        author=entry.author,
        cohort=entry.cohort,
        title=title,
        body=body,
        privacy=privacy,
        peer_group=peer_group,
    )
    was_private = entry.privacy == Privacy.PRIVATE
    shared = privacy != Privacy.PRIVATE
    if not shared:
        entry.shared_with_coach = None
    elif was_private:
        entry.shared_with_coach = _coach_of(entry.author, entry.cohort)
    entry.title, entry.body, entry.body_html = title.strip(), body.strip(), render_markdown(body.strip())
    entry.privacy, entry.peer_group, entry.tags = privacy, peer_group, clean_tags(tags)
    entry.save()
    if shared:
        if was_private:
            _record_prompt(entry)
        audit(actor=actor, verb="journal_entry.updated", obj=entry, privacy=privacy)
        if was_private:
            _announce(entry, actor)
    elif not was_private:
        content_services.reference_release(obj=entry)
    return entry


@transaction.atomic
def entry_delete(*, entry: JournalEntry, actor) -> None:
    content_services.reference_release(obj=entry)
    if entry.privacy != Privacy.PRIVATE:
        audit(actor=actor, verb="journal_entry.deleted", obj=entry)
    entry.delete()

"""The privacy rules, proved over every persona and every way in: pages, lists, the admin, the export, the
audit trail, notifications and emails.

A reflection marked private is seen by its author alone. Each wider level adds people: the coach, then the
peer group, then the cohort's participants, coaches and facilitators. Nobody else, whatever their role or
powers, reads an entry. Coaches' private notes are never shown to participants or peers, and to programme
leads only when the programme's coaching policy says so.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.coaching.choices import Privacy
from shiftpractice.coaching.models import CoachNote, JournalEntry
from shiftpractice.coaching.services import journal
from shiftpractice.coaching.services import support as services
from shiftpractice.content.models import ContentReference
from shiftpractice.core.models import AuditEvent
from shiftpractice.notifications.models import EmailDelivery, Notification, NotificationPreference
from tests.factories import MembershipFactory, UserFactory

READERS = {
    Privacy.PRIVATE: {"participant"},
    Privacy.COACH: {"participant", "coach"},
    Privacy.PEER_GROUP: {"participant", "coach", "peer"},
    Privacy.COHORT: {"participant", "coach", "peer", "cohortmate"},
}
PERSONAS = [
    "participant",
    "coach",
    "peer",
    "cohortmate",
    "critical_friend",
    "lead",
    "other_participant",
    "outsider",
    "superuser",
    "anonymous",
]


@pytest.fixture
def entries(coaching, django_capture_on_commit_callbacks):
    people = coaching.people
    people["cohortmate"] = UserFactory(full_name="Cora Cohortmate")
    MembershipFactory(cohort=coaching.world.cohort, user=people["cohortmate"], role="participant")
    # Everyone who might be told about an entry asks for email straight away, to prove nothing leaks by email.
    for key in PERSONAS[:-1]:
        NotificationPreference.objects.create(
            user=people[key], kind="reflection_shared", delivery="immediate"
        )
    made = {}
    with django_capture_on_commit_callbacks(execute=True):
        for level in Privacy.values:
            made[level] = journal.entry_create(
                author=people["participant"],
                cohort=coaching.world.cohort,
                title=f"TITLE-{level}",
                body=f"BODY-{level}-words only the chosen readers may see",
                privacy=level,
                peer_group=coaching.triad if level == Privacy.PEER_GROUP else None,
                tags=["influence"],
            )
    coaching.entries = made
    return coaching


@pytest.mark.parametrize("level", Privacy.values)
def test_each_entry_is_read_by_exactly_its_readers_on_every_page(entries, level):
    entry = entries.entries[level]
    for persona in PERSONAS:
        user = entries.user(persona)
        may = persona in READERS[level]
        client = client_for(Client(), user)
        detail = client.get(reverse("coaching:journal_entry", args=[entry.public_id]))
        assert detail.status_code == (200 if may else 302 if user is None else 404), f"{level} as {persona}"
        if user is None:
            continue
        assert JournalEntry.objects.visible_to(user).filter(pk=entry.pk).exists() == may, persona
        listing = client.get(reverse("coaching:journal")).content.decode()
        assert (f"TITLE-{level}" in listing) == may, f"journal list, {level} as {persona}"
        export = client.get(reverse("coaching:journal_export")).content.decode()
        assert (f"BODY-{level}" in export) == (persona == "participant"), f"export, {level} as {persona}"
        coachee = client.get(reverse("coaching:coachee", args=[entries.assignment.public_id]))
        assert f"TITLE-{level}" not in coachee.content.decode() or (may and persona != "participant")
        group = client.get(reverse("coaching:peer_group", args=[entries.triad.public_id])).content.decode()
        assert (f"TITLE-{level}" in group) == (may and level == Privacy.PEER_GROUP), (
            f"group page, {level} as {persona}"
        )


def test_the_coach_sees_reflections_shared_with_them_on_the_coachee_page(entries):
    client = client_for(Client(), entries.people["coach"])
    page = client.get(reverse("coaching:coachee", args=[entries.assignment.public_id])).content.decode()
    assert "TITLE-coach" in page and "TITLE-peer_group" in page and "TITLE-cohort" in page
    assert "TITLE-private" not in page


def test_the_admin_never_shows_a_private_entry_nor_any_entry_text(entries):
    client = client_for(Client(), entries.people["superuser"])
    changelist = client.get(reverse("admin:coaching_journalentry_changelist")).content.decode()
    assert str(entries.entries[Privacy.PRIVATE].public_id) not in changelist
    for level, entry in entries.entries.items():
        assert f"BODY-{level}" not in changelist and f"TITLE-{level}" not in changelist
        change = client.get(reverse("admin:coaching_journalentry_change", args=[entry.pk]))
        body = change.content.decode()
        assert f"BODY-{level}" not in body and f"TITLE-{level}" not in body
        if level == Privacy.PRIVATE:
            assert change.status_code == 302  # "doesn't exist", as far as the admin knows
        else:
            assert change.status_code == 200
    # Nor through the audit log or the notifications in the admin.
    for name in ("admin:core_auditevent_changelist", "admin:notifications_notification_changelist"):
        page = client.get(reverse(name)).content.decode()
        assert "BODY-" not in page and "TITLE-" not in page
    assert client.get(reverse("admin:coaching_journalentry_add")).status_code == 403
    assert CoachNote not in admin.site._registry


def test_no_notification_or_email_carries_a_reflection_and_private_ones_make_none(entries, mailoutbox):
    private = entries.entries[Privacy.PRIVATE]
    for note in Notification.objects.all():
        assert "BODY-" not in note.title + note.body and "TITLE-" not in note.title + note.body
        assert str(private.public_id) not in note.url
    for email in EmailDelivery.objects.all():
        assert "BODY-" not in email.text + email.html and "TITLE-" not in email.text + email.html
    for message in mailoutbox:
        assert "BODY-" not in message.body and "TITLE-" not in message.body
    # The coach heard about the three shared entries; the peer about the peer-group one; nobody else.
    shared = Notification.objects.filter(kind="reflection_shared")
    assert sorted(shared.values_list("recipient__email", flat=True)) == sorted(
        ["coach@example.org"] * 3 + ["peer@example.org", "third@example.org"]
    )
    # The three shared entries are audited (with their privacy); the private one leaves no trace at all.
    audited = AuditEvent.objects.filter(object_type="coaching.journalentry")
    assert sorted(e.data["privacy"] for e in audited) == sorted(["coach", "peer_group", "cohort"])
    assert not audited.filter(object_id=str(private.pk)).exists()
    assert not any("private" in str(e.data) for e in AuditEvent.objects.all())
    assert not any("BODY-" in str(e.data) or "BODY-" in e.summary for e in AuditEvent.objects.all())


def test_making_a_private_entry_wider_tells_its_new_readers_and_narrowing_hides_it_again(entries):
    entry = entries.entries[Privacy.PRIVATE]
    journal.entry_update(
        entry=entry,
        actor=entries.people["participant"],
        title=entry.title,
        body=entry.body,
        privacy=Privacy.COACH,
    )
    coach = entries.people["coach"]
    assert JournalEntry.objects.visible_to(coach).filter(pk=entry.pk).exists()
    journal.entry_update(
        entry=entry,
        actor=entries.people["participant"],
        title=entry.title,
        body=entry.body,
        privacy=Privacy.PRIVATE,
    )
    assert not JournalEntry.objects.visible_to(coach).filter(pk=entry.pk).exists()


def log_contact(coaching):
    return services.contact_log(
        assignment=coaching.assignment,
        actor=coaching.people["coach"],
        occurred_on=timezone.localdate(),
        mode="telephone",
        duration_minutes=30,
        initiated_by="coach",
        summary="SUMMARY-shared: we talked about the leaflet.",
        notes="SECRET-NOTE: seemed tired, check in about workload.",
        next_contact_on=timezone.localdate() + timedelta(days=14),
    )


@pytest.mark.parametrize("leads_read", [False, True])
def test_coach_notes_are_for_the_coach_and_for_leads_only_by_policy(coaching, leads_read, mailoutbox):
    policy = services.policy_update(
        programme=coaching.world.programme, actor=coaching.people["lead"], leads_read_coach_notes=leads_read
    )
    assert policy.leads_read_coach_notes is leads_read
    contact = log_contact(coaching)  # written under the policy
    url = reverse("coaching:coachee", args=[coaching.assignment.public_id])
    readers = {"coach", "lead"} if leads_read else {"coach"}
    for persona in [*PERSONAS, "third"]:
        if persona == "cohortmate":
            continue
        response = client_for(Client(), coaching.user(persona)).get(url)
        page = response.content.decode()
        assert ("SECRET-NOTE" in page) == (persona in readers), f"notes as {persona}, policy {leads_read}"
        if persona in {"participant", "coach", "lead"}:
            assert response.status_code == 200 and "SUMMARY-shared" in page
        elif persona != "anonymous":
            assert response.status_code == 404
    participant_page = client_for(Client(), coaching.people["participant"]).get(url).content.decode()
    assert ("programme leads can read them" in participant_page) == leads_read  # the participant is told
    superuser = client_for(Client(), coaching.people["superuser"])
    admin_page = superuser.get(
        reverse("admin:coaching_supportcontact_change", args=[contact.pk])
    ).content.decode()
    assert "SECRET-NOTE" not in admin_page
    for note in Notification.objects.all():
        assert "SECRET-NOTE" not in note.title + note.body
    assert not any("SECRET-NOTE" in m.body for m in mailoutbox)
    assert not any("SECRET-NOTE" in str(e.data) + e.summary for e in AuditEvent.objects.all())


def test_a_private_entry_leaves_no_audit_event_and_no_content_reference(coaching):
    """The audit log and the content references are listed in the admin: a private entry is in neither,
    until its author shares it, and it leaves them again when made private."""
    people = coaching.people
    prompt = SimpleNamespace(ref="prompt.public-narrative@1", title="Story of self")
    entry = journal.entry_create(
        author=people["participant"],
        cohort=coaching.world.cohort,
        title="Mine",
        body="words",
        privacy=Privacy.PRIVATE,
        prompt=prompt,
    )
    about_it = {"object_type": "coaching.journalentry", "object_id": str(entry.pk)}
    edit = {"entry": entry, "actor": people["participant"], "title": "Mine", "body": "more words"}
    journal.entry_update(**edit, privacy=Privacy.PRIVATE)
    assert not AuditEvent.objects.filter(**about_it).exists()
    assert not ContentReference.objects.filter(**about_it).exists()

    journal.entry_update(**edit, privacy=Privacy.COACH)
    assert ContentReference.objects.filter(ref=prompt.ref, **about_it).exists()
    assert list(AuditEvent.objects.filter(**about_it).values_list("data", flat=True)) == [
        {"privacy": "coach"}
    ]

    journal.entry_update(**edit, privacy=Privacy.PRIVATE)
    assert not ContentReference.objects.filter(**about_it).exists()
    assert AuditEvent.objects.filter(**about_it).count() == 1  # the narrowing is not recorded
    journal.entry_delete(entry=entry, actor=people["participant"])
    assert AuditEvent.objects.filter(**about_it).count() == 1
    assert not any("private" in str(e.data) for e in AuditEvent.objects.all())

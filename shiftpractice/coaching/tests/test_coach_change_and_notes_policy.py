"""What a change of coach and a change of the notes policy do to who reads what.

A coach's private note is read by the coach who wrote it, and by the programme's leads only when the policy in
force when it was written let them. A reflection shared "with my coach" stays with the coach it was shared
with: a coach who takes over does not inherit it, and the earlier coach keeps it.
"""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.coaching.choices import Privacy
from shiftpractice.coaching.models import CoachNote, JournalEntry
from shiftpractice.coaching.permissions import can_read_coach_note
from shiftpractice.coaching.services import journal
from shiftpractice.coaching.services import support as services
from shiftpractice.content.models import ContentItem, ContentReference
from shiftpractice.core.models import AuditEvent
from shiftpractice.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory

TODAY = timezone.localdate


def log(coaching, coach, note: str, summary: str = "We talked about the leaflet."):
    return services.contact_log(
        assignment=coaching.assignment,
        actor=coach,
        occurred_on=TODAY(),
        mode="telephone",
        duration_minutes=30,
        initiated_by="coach",
        summary=summary,
        notes=note,
    )


def share(coaching, title: str, privacy=Privacy.COACH):
    return journal.entry_create(
        author=coaching.people["participant"],
        cohort=coaching.world.cohort,
        title=title,
        body="words",
        privacy=privacy,
        peer_group=coaching.triad if privacy == Privacy.PEER_GROUP else None,
    )


def page(user, assignment) -> tuple[int, str]:
    response = client_for(Client(), user).get(reverse("coaching:coachee", args=[assignment.public_id]))
    return response.status_code, response.content.decode()


@pytest.fixture
def handover(coaching):
    """Cara coaches Pat, writes a note, and Pat shares reflections with her; then Nia takes over."""
    people = coaching.people
    people["new_coach"] = UserFactory(full_name="Nia Newcoach", email="nia@example.org")
    MembershipFactory(cohort=coaching.world.cohort, user=people["new_coach"], role="coach")
    log(coaching, people["coach"], "OLD-NOTE about workload", summary="OLD-SUMMARY shared with Pat")
    coaching.old_entry = share(coaching, "SHARED-WITH-OLD")
    coaching.old_group_entry = share(coaching, "GROUP-WITH-OLD", Privacy.PEER_GROUP)
    coaching.private_entry = share(coaching, "PRIVATE-ONE", Privacy.PRIVATE)
    Notification.objects.all().delete()
    services.assignment_update(
        assignment=coaching.assignment,
        coach=people["new_coach"],
        starts_on=coaching.assignment.starts_on,
        ends_on=None,
        actor=people["lead"],
    )
    return coaching


def test_a_new_coach_does_not_inherit_the_old_coachs_notes_or_shared_reflections(handover):
    people, assignment = handover.people, handover.assignment
    new, old = people["new_coach"], people["coach"]
    status, body = page(new, assignment)
    assert status == 200 and "OLD-SUMMARY shared with Pat" in body  # the shared summary is part of the record
    assert "OLD-NOTE about workload" not in body
    assert "SHARED-WITH-OLD" not in body and "GROUP-WITH-OLD" not in body and "PRIVATE-ONE" not in body
    for entry in (handover.old_entry, handover.old_group_entry, handover.private_entry):
        assert not JournalEntry.objects.visible_to(new).filter(pk=entry.pk).exists()
        response = client_for(Client(), new).get(reverse("coaching:journal_entry", args=[entry.public_id]))
        assert response.status_code == 404
    note = CoachNote.objects.get()
    assert can_read_coach_note(old, note, handover.world.programme)
    assert not can_read_coach_note(new, note, handover.world.programme)
    assert not can_read_coach_note(people["lead"], note, handover.world.programme)

    # The earlier coach keeps what was shared with them (and nothing new).
    assert set(JournalEntry.objects.visible_to(old).values_list("title", flat=True)) == {
        "SHARED-WITH-OLD",
        "GROUP-WITH-OLD",
    }
    assert page(old, assignment)[0] == 404  # no longer their coaching relationship

    # What is shared from now on goes to the new coach only.
    later = share(handover, "SHARED-WITH-NEW")
    assert later.shared_with_coach == new
    assert JournalEntry.objects.visible_to(new).filter(pk=later.pk).exists()
    assert not JournalEntry.objects.visible_to(old).filter(pk=later.pk).exists()
    assert Notification.objects.filter(kind="reflection_shared", recipient=new).count() == 1
    assert not Notification.objects.filter(kind="reflection_shared", recipient=old).exists()

    # The new coach's own notes are theirs; the old coach's stay hidden from them.
    log(handover, new, "NEW-NOTE on the leaflet")
    body = page(new, assignment)[1]
    assert "NEW-NOTE on the leaflet" in body and "OLD-NOTE about workload" not in body
    assert "NEW-NOTE" not in page(people["participant"], assignment)[1]


def test_the_participant_is_told_what_the_new_coach_can_and_cannot_see(handover):
    people = handover.people
    told = Notification.objects.get(recipient=people["participant"], kind="coach_assigned")
    assert "Nia Newcoach is now your coach" in told.title
    assert "cannot read Cara Coach's private notes" in told.body
    assert "reflections you shared with Cara Coach" in told.body
    assert "OLD-NOTE" not in told.title + told.body and "SHARED-WITH-OLD" not in told.title + told.body
    assert Notification.objects.filter(recipient=people["coach"], title__contains="no longer coach").exists()
    assert Notification.objects.filter(recipient=people["new_coach"], kind="coach_assigned").exists()
    event = AuditEvent.objects.filter(verb="coach_assignment.updated").get()
    assert event.data["coach"] == {"old": people["coach"].pk, "new": people["new_coach"].pk}


def test_an_edited_entry_stays_with_its_coach_and_resharing_gives_it_to_the_new_one(handover):
    people, entry = handover.people, handover.old_entry
    edit = {"entry": entry, "actor": people["participant"], "title": entry.title, "body": "fixed a typo"}
    journal.entry_update(**edit, privacy=Privacy.COACH)
    entry.refresh_from_db()
    assert entry.shared_with_coach == people["coach"]
    journal.entry_update(**edit, privacy=Privacy.PRIVATE)
    entry.refresh_from_db()
    assert entry.shared_with_coach is None
    assert not JournalEntry.objects.visible_to(people["coach"]).filter(pk=entry.pk).exists()
    journal.entry_update(**edit, privacy=Privacy.COACH)
    entry.refresh_from_db()
    assert entry.shared_with_coach == people["new_coach"]
    assert not JournalEntry.objects.visible_to(people["coach"]).filter(pk=entry.pk).exists()


def test_an_ended_coach_keeps_what_was_shared_with_them(coaching):
    entry = share(coaching, "SHARED-BEFORE-THE-END")
    assignment = coaching.assignment
    services.assignment_update(
        assignment=assignment,
        coach=coaching.people["coach"],
        starts_on=assignment.starts_on,
        ends_on=TODAY() - timedelta(days=1),
        actor=coaching.people["lead"],
    )
    assert JournalEntry.objects.visible_to(coaching.people["coach"]).filter(pk=entry.pk).exists()


# The notes policy --------------------------------------------------------------------------------------------


def test_turning_the_policy_on_does_not_open_notes_written_before(coaching):
    people, assignment = coaching.people, coaching.assignment
    lead, programme = people["lead"], coaching.world.programme
    log(coaching, people["coach"], "BEFORE-NOTE written for the coach alone")
    services.policy_update(programme=programme, actor=lead, leads_read_coach_notes=True)
    assert "BEFORE-NOTE" not in page(lead, assignment)[1]
    log(coaching, people["coach"], "DURING-NOTE written knowing the leads read it")
    body = page(lead, assignment)[1]
    assert "DURING-NOTE" in body and "BEFORE-NOTE" not in body
    assert "(Cara Coach)" in body  # the lead sees whose note it is

    # Turning it off again keeps the notes written while it was on readable by the leads; the participant is
    # told so on their page.
    services.policy_update(programme=programme, actor=lead, leads_read_coach_notes=False)
    log(coaching, people["coach"], "AFTER-NOTE for the coach alone again")
    body = page(lead, assignment)[1]
    assert "DURING-NOTE" in body and "BEFORE-NOTE" not in body and "AFTER-NOTE" not in body
    participant_page = page(people["participant"], assignment)[1]
    assert "stay readable by the programme leads" in participant_page
    assert not any(f"{n}-NOTE" in participant_page for n in ("BEFORE", "DURING", "AFTER"))
    coach_page = page(people["coach"], assignment)[1]
    assert all(f"{n}-NOTE" in coach_page for n in ("BEFORE", "DURING", "AFTER"))


def test_a_policy_change_is_announced_to_participants_and_coaches_and_audited(coaching):
    people, programme = coaching.people, coaching.world.programme
    MembershipFactory(cohort=coaching.world.other_cohort, user=UserFactory(), role="participant")
    services.policy_update(programme=programme, actor=people["lead"], nudge_after_days=14)
    assert not Notification.objects.filter(kind="coaching_privacy").exists()  # nothing about notes changed

    services.policy_update(programme=programme, actor=people["lead"], leads_read_coach_notes=True)
    told = Notification.objects.filter(kind="coaching_privacy")
    participants = {"participant", "peer", "third", "other_participant"}
    assert {n.recipient for n in told} >= {people[k] for k in participants | {"coach"}}
    assert told.count() == len(participants) + 2  # and the other cohort's new participant
    assert not told.filter(recipient__in=[people["lead"], people["critical_friend"], people["outsider"]])
    note = told.get(recipient=people["participant"])
    assert "can now read" in note.title and "Notes written before this change stay" in note.body
    first, second = AuditEvent.objects.filter(verb="coaching_policy.updated").order_by("id")
    assert first.data["changes"] == {"nudge_after_days": {"old": 21, "new": 14}}
    assert second.data["changes"] == {"leads_read_coach_notes": {"old": False, "new": True}}


# Migrating what was there before --------------------------------------------------------------------------


def test_the_backfill_records_coaches_policies_and_drops_private_references(coaching):
    people, programme = coaching.people, coaching.world.programme
    shared = share(coaching, "SHARED")
    private = share(coaching, "PRIVATE", Privacy.PRIVATE)
    JournalEntry.objects.update(shared_with_coach=None)
    item = ContentItem.objects.exclude(status="draft").first()
    for entry in (shared, private):
        ContentReference.objects.create(
            item=item,
            ref=f"{item.slug}@{item.version}",
            object_type="coaching.journalentry",
            object_id=entry.pk,
        )
    old = log(coaching, people["coach"], "OLD")
    services.policy_update(programme=programme, actor=people["lead"], leads_read_coach_notes=True)
    new = log(coaching, people["coach"], "NEW")
    CoachNote.objects.update(leads_may_read=False)

    migration = importlib.import_module(
        "shiftpractice.coaching.migrations.0003_backfill_note_policy_and_shared_coach"
    )
    migration.forwards(apps, None)

    shared.refresh_from_db()
    private.refresh_from_db()
    assert shared.shared_with_coach == people["coach"] and private.shared_with_coach is None
    assert CoachNote.objects.get(contact=old).leads_may_read is False  # unknown: the stricter rule
    assert CoachNote.objects.get(contact=new).leads_may_read is True
    refs = ContentReference.objects.filter(object_type="coaching.journalentry")
    assert list(refs.values_list("object_id", flat=True)) == [str(shared.pk)]

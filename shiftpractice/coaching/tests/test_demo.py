"""The demo's coaching data: assignments, weeks of contacts and actions, reflections at every privacy level,
a triad and an action learning set per cohort with meetings, and discussions; loaded twice, made once."""

import pytest
from django.core.management import call_command

from shiftpractice.coaching.models import (
    Action,
    CoachAssignment,
    CoachNote,
    JournalEntry,
    PeerGroup,
    PeerMeeting,
    Post,
    SupportContact,
    Thread,
)
from shiftpractice.notifications.models import Notification

MODELS = (
    CoachAssignment,
    SupportContact,
    CoachNote,
    Action,
    JournalEntry,
    PeerGroup,
    PeerMeeting,
    Thread,
    Post,
)


@pytest.mark.django_db
def test_demo_coaching_is_complete_and_idempotent(settings):
    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    first = [m.objects.count() for m in MODELS]
    call_command("load_demo", "--quiet-logins")
    assert [m.objects.count() for m in MODELS] == first
    assert CoachAssignment.objects.count() == 10
    assert CoachAssignment.objects.filter(coach__email="coach1@shiftpractice.example").count() == 5
    assert SupportContact.objects.count() >= 25 and Action.objects.filter(status="open").exists()
    assert set(JournalEntry.objects.values_list("privacy", flat=True)) == {
        "private",
        "coach",
        "peer_group",
        "cohort",
    }
    assert JournalEntry.objects.exclude(prompt_ref="").exists()
    for slug in ("cohort-1", "cohort-2"):
        kinds = set(PeerGroup.objects.filter(cohort__slug=slug).values_list("kind", flat=True))
        assert kinds == {"triad", "action_learning_set"}
        assert PeerMeeting.objects.filter(group__cohort__slug=slug).count() == 4
    assert Thread.objects.count() == 3 and Post.objects.count() == 7
    assert not Notification.objects.exists()  # history is not news

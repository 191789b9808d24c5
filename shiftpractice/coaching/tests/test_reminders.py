"""The reminder command: workshops in 2 days, actions due and overdue, nudges; run twice, each email once."""

from datetime import timedelta
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from shiftpractice.coaching.models import Action
from shiftpractice.coaching.services import support as services
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.models import Notification, NotificationPreference, ReminderLedger
from tests.factories import WorkshopFactory

REMINDER_KINDS = [Kind.WORKSHOP_SOON, Kind.ACTION_DUE, Kind.NO_CONTACT_NUDGE]


def run(django_capture_on_commit_callbacks) -> str:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_running_the_reminders_twice_sends_each_email_once(
    coaching, world, django_capture_on_commit_callbacks
):
    people = coaching.people
    for user in people.values():
        if user is not None:
            for kind in REMINDER_KINDS:
                NotificationPreference.objects.create(user=user, kind=kind, delivery="immediate")
    soon = WorkshopFactory(
        programme=world.programme, cohorts=[world.cohort], starts_at=timezone.now() + timedelta(hours=30)
    )
    soon.facilitators.add(people["lead"])
    due = services.action_create(
        assignment=coaching.assignment,
        spec=services.ActionSpec("Send the leaflet", "participant", timezone.localdate() + timedelta(days=1)),
        actor=people["coach"],
    )
    late = services.action_create(
        assignment=coaching.assignment,
        spec=services.ActionSpec("Call the practice manager", "coach", timezone.localdate()),
        actor=people["coach"],
    )
    Action.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=3))

    first = run(django_capture_on_commit_callbacks)
    sent = [(m.to[0], m.subject) for m in mail.outbox]
    # Cohort A: participant, coach, critical friend, peer, third; and the lead who facilitates.
    workshop_mails = [s for s in sent if soon.title in s[1]]
    assert sorted(to for to, _ in workshop_mails) == sorted(
        [
            "participant@example.org",
            "coach@example.org",
            "friend@example.org",
            "peer@example.org",
            "third@example.org",
            "lead@example.org",
        ]
    )
    assert ("participant@example.org", f"Due {due.due_on:%-d %B}: Send the leaflet") in sent
    assert any(to == "coach@example.org" and "Overdue" in subject for to, subject in sent)
    assert any(to == "coach@example.org" and "Nobody has been in touch" in subject for to, subject in sent)
    assert "workshops: 6" in first

    second = run(django_capture_on_commit_callbacks)
    assert [(m.to[0], m.subject) for m in mail.outbox] == sent
    assert "workshops: 0, actions: 0, nudges: 0" in second
    assert ReminderLedger.objects.count() == len(sent)


def test_a_new_contact_ends_the_quiet_spell_and_a_later_one_nudges_again(
    coaching, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks)
    assert Notification.objects.filter(kind=Kind.NO_CONTACT_NUDGE).count() == 1
    services.contact_log(
        assignment=coaching.assignment,
        actor=coaching.people["coach"],
        occurred_on=timezone.localdate(),
        mode="email",
        duration_minutes=0,
        initiated_by="participant",
        summary="Quick update by email.",
    )
    run(django_capture_on_commit_callbacks)
    assert Notification.objects.filter(kind=Kind.NO_CONTACT_NUDGE).count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=22)):
        run(django_capture_on_commit_callbacks)
    assert Notification.objects.filter(kind=Kind.NO_CONTACT_NUDGE).count() == 2


def test_the_programme_sets_how_long_before_a_nudge(coaching, django_capture_on_commit_callbacks):
    services.policy_update(
        programme=coaching.world.programme, actor=coaching.people["lead"], nudge_after_days=90
    )
    run(django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(kind=Kind.NO_CONTACT_NUDGE).exists()


def test_ended_support_gets_no_reminders(coaching, django_capture_on_commit_callbacks):
    services.action_create(
        assignment=coaching.assignment,
        spec=services.ActionSpec("x", "participant", timezone.localdate()),
        actor=coaching.people["coach"],
    )
    a = coaching.assignment
    a.ends_on = timezone.localdate() - timedelta(days=1)
    a.save()
    run(django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(kind__in=[Kind.ACTION_DUE, Kind.NO_CONTACT_NUDGE]).exists()

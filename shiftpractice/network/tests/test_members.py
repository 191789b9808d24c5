"""The network's members: the directory (seen only by the people of the same programmes), messages relayed
without an address, blocks and the daily limit, events with a waiting list, the calendar feed and reminders,
and the monthly digest with its one-click unsubscribe."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.core.models import AuditEvent, EmailDelivery
from shiftpractice.network import digest, events, members
from shiftpractice.network.choices import SignupStatus
from shiftpractice.network.models import DigestLedger, DirectoryProfile, EventSignup
from shiftpractice.notifications.models import Notification
from shiftpractice.projects.models import ChangeProject
from tests.factories import CohortFactory, MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_module]

MEMBERS = ["lead", "coach", "participant", "other_participant", "critical_friend"]


def listed(user, **fields) -> DirectoryProfile:
    return members.profile_save(user=user, actor=user, listed=True, **fields)


@pytest.fixture
def stranger(world):
    """Listed, but in another programme: nobody in the pilot sees them."""
    elsewhere = CohortFactory(programme=ProgrammeFactory(slug="elsewhere"))
    person = UserFactory(full_name="Sol Stranger")
    MembershipFactory(cohort=elsewhere, user=person, role="participant")
    return listed(person)


# The directory -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", MEMBERS)
def test_a_member_finds_the_listed_people_of_their_programmes_only(world, stranger, persona):
    listed(world.people["participant"], worked_on="Green prescribing", offers=["coach"])
    DirectoryProfile.objects.create(user=world.people["coach"])  # not listed
    client = client_for(Client(), world.people[persona])
    page = client.get(reverse("network:directory")).content.decode().split('id="members"')[1]
    assert "Pat Participant" in page
    assert "Cara Coach" not in page and "Sol Stranger" not in page
    assert client.get(stranger.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_the_directory_is_never_for_the_public(world, persona):
    profile = listed(world.people["participant"])
    client = client_for(Client(), world.people[persona])
    for url in (
        reverse("network:directory"),
        profile.get_absolute_url(),
        reverse("network:message", args=[profile.public_id]),
        reverse("network:events"),
        reverse("network:digest"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        assert b"Pat Participant" not in response.content


def test_filters_run_in_the_database(world):
    listed(world.people["participant"], lenses=["ecology"], offers=["case_study"], region="london")
    listed(world.people["coach"], lenses=["systems"], offers=["coach"], region="wales")
    viewer = world.people["lead"]
    names = lambda **f: {p.user.full_name for p in members.directory(viewer, **f)}  # noqa: E731
    assert names(lens="ecology") == {"Pat Participant"}
    assert names(offer="coach") == {"Cara Coach"}
    assert names(region="wales") == {"Cara Coach"}
    assert names(q="cara") == {"Cara Coach"}
    world.cohort.status = "finished"
    world.cohort.save()
    assert names(alumni=True) == {"Pat Participant"}  # a participant of a finished cohort; the coach is not


def test_listing_and_unlisting_are_audited(world):
    person = world.people["participant"]
    listed(person)
    members.profile_save(user=person, actor=person, listed=False)
    verbs = list(AuditEvent.objects.filter(subject=person).order_by("id").values_list("verb", flat=True))
    assert verbs[-2:] == ["network.listed", "network.unlisted"]


# Messages ----------------------------------------------------------------------------------------------------


def test_a_relayed_message_carries_no_address(world):
    sender, recipient = world.people["participant"], world.people["coach"]
    listed(sender)
    to = listed(recipient)
    client = client_for(Client(), sender)
    response = client.post(
        reverse("network:message", args=[to.public_id]), {"body": "Could we talk about green space?"}
    )
    assert response.status_code == 302
    email = EmailDelivery.objects.filter(to_address=recipient.email).latest("id")
    for text in (email.text, email.html, email.subject):
        assert recipient.email not in text and sender.email not in text
    assert "Could we talk about green space?" in email.text
    mine = DirectoryProfile.objects.get(user=sender)
    assert reverse("network:message", args=[mine.public_id]) in email.text  # answered through the directory
    assert reverse("network:block", args=[mine.public_id]) in email.text


def test_a_blocked_sender_is_told_and_nothing_is_sent(world):
    sender, recipient = world.people["participant"], world.people["coach"]
    mine, to = listed(sender), listed(recipient)
    members.block_set(blocker=recipient, profile=mine, blocked=True)
    client = client_for(Client(), sender)
    before = EmailDelivery.objects.count()
    response = client.post(reverse("network:message", args=[to.public_id]), {"body": "Hello again"})
    assert response.status_code == 400 and "does not take messages from you" in response.content.decode()
    assert EmailDelivery.objects.count() == before


def test_messages_are_limited_a_day_and_need_a_listed_sender(world):
    sender, recipient = world.people["participant"], world.people["coach"]
    to = listed(recipient)
    client = client_for(Client(), sender)
    url = reverse("network:message", args=[to.public_id])
    response = client.post(url, {"body": "Hi"})
    assert response.status_code == 400 and "List yourself in the directory first" in response.content.decode()
    listed(sender)
    for _ in range(members.MESSAGES_A_DAY):
        assert client.post(url, {"body": "Hi"}).status_code == 302
    response = client.post(url, {"body": "One more"})
    assert response.status_code == 400 and "the most a day" in response.content.decode()
    assert response.content.decode().count("One more") >= 1  # what they typed is kept


# Events ------------------------------------------------------------------------------------------------------


@pytest.fixture
def event(world):
    start = timezone.now() + timedelta(days=3)
    return events.event_save(
        programme=world.programme,
        actor=world.people["lead"],
        title="Webinar on carbon",
        description="",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        joining_url="https://meet.example.org/x",
        capacity=1,
    )


def test_a_full_event_has_a_waiting_list_that_moves_up(world, event):
    first, second = world.people["participant"], world.people["other_participant"]
    assert events.signup(event=event, user=first).status == SignupStatus.BOOKED
    assert events.signup(event=event, user=second).status == SignupStatus.WAITING
    events.cancel(event=event, user=first)
    assert EventSignup.objects.get(user=second).status == SignupStatus.BOOKED
    assert Notification.objects.filter(recipient=second, kind="network_event").exists()


def test_event_pages_for_members_only(world, event, stranger):
    for persona in MEMBERS:
        client = client_for(Client(), world.people[persona])
        assert client.get(event.get_absolute_url()).status_code == 200, persona
    client = client_for(Client(), stranger.user)
    assert client.get(event.get_absolute_url()).status_code == 404  # another programme's member
    assert client.post(event.get_absolute_url(), {"action": "signup"}).status_code == 404
    client = client_for(Client(), world.people["outsider"])
    assert client.get(event.get_absolute_url()).status_code == 403
    assert client.get(reverse("network:event_people", args=[event.public_id])).status_code in (403, 404)
    assert not EventSignup.objects.exists()
    for persona in ["coach", "participant", "critical_friend"]:
        client = client_for(Client(), world.people[persona])
        assert client.get(reverse("network:event_people", args=[event.public_id])).status_code == 403
        assert client.get(reverse("network:event_new", args=[world.programme.slug])).status_code == 403


def test_booking_from_the_page_and_the_calendar_feed(client, world, event):
    person = world.people["participant"]
    client_for(client, person)
    assert client.post(event.get_absolute_url(), {"action": "signup"}).status_code == 302
    again = client.post(event.get_absolute_url(), {"action": "signup"})
    assert again.status_code == 400 and "You have a place already" in again.content.decode()
    ics = client.get(reverse("network:event_ics", args=[event.public_id]))
    assert b"BEGIN:VEVENT" in ics.content and b"Webinar on carbon" in ics.content
    feed = Client().get(reverse("cohorts:calendar_feed", args=[person.calendar_token]))
    assert b"Webinar on carbon" in feed.content and b"Workshop A1" in feed.content


def test_a_bad_event_form_keeps_what_was_typed(client, world):
    client_for(client, world.people["lead"])
    response = client.post(
        reverse("network:event_new", args=[world.programme.slug]),
        {
            "title": "Meet-up",
            "starts_at": "2031-03-04 12:00",
            "ends_at": "2031-03-04 11:00",
            "capacity": "10",
        },
    )
    assert response.status_code == 400
    assert (
        "The end must be after the start" in response.content.decode()
        and 'value="Meet-up"' in response.content.decode()
    )


def test_reminders_go_once_the_day_before(world, event):
    events.signup(event=event, user=world.people["participant"])
    assert events.send_reminders(now=event.starts_at - timedelta(days=2)) == 0
    assert events.send_reminders(now=event.starts_at - timedelta(hours=20)) == 1
    assert events.send_reminders(now=event.starts_at - timedelta(hours=19)) == 0


# The digest --------------------------------------------------------------------------------------------------


def test_the_digest_goes_once_a_month_with_a_one_click_unsubscribe(
    world, event, django_capture_on_commit_callbacks
):
    reader = world.people["participant"]
    listed(reader, digest=True)
    listed(world.people["coach"], offers=["coach"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_digests() == 1
        assert digest.send_digests() == 0  # the same month: nothing more
    message = [m for m in mail.outbox if m.to == [reader.email]][-1]
    profile = DirectoryProfile.objects.get(user=reader)
    link = digest.unsubscribe_url(profile)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Webinar on carbon" in message.body and "Cara Coach" in message.body
    # A mail client posts the one-click form: no session, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    profile.refresh_from_db()
    assert not profile.digest
    assert Client().post(reverse("network:unsubscribe", args=["forged"])).status_code == 404


def test_an_empty_digest_is_not_sent(world):
    listed(world.people["participant"], digest=True)
    ChangeProject.objects.all().delete()
    assert digest.send_digests() == 0
    assert DigestLedger.objects.count() == 1


def test_a_sender_who_unlisted_can_still_be_blocked(world):
    sender, recipient = world.people["participant"], world.people["coach"]
    mine = listed(sender)
    listed(recipient)
    members.profile_save(user=sender, actor=sender, listed=False)
    client = client_for(Client(), recipient)
    assert client.post(reverse("network:block", args=[mine.public_id])).status_code == 302
    assert members.has_blocked(recipient, sender)


def test_the_ics_gives_the_joining_link_only_to_a_booked_person(client, world, event):
    events.signup(event=event, user=world.people["participant"])
    events.signup(event=event, user=world.people["other_participant"])  # full: waiting
    url = reverse("network:event_ics", args=[event.public_id])
    assert b"meet.example.org" in client_for(Client(), world.people["participant"]).get(url).content
    assert b"meet.example.org" not in client_for(Client(), world.people["other_participant"]).get(url).content

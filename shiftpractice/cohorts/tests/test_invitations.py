"""Invitations: created by a lead, emailed, accepted once within 14 days, and refused clearly otherwise."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.cohorts import services
from shiftpractice.cohorts.models import Invitation, Membership

# The personas' world is built once for the module; each test's writes are rolled back (root conftest.py).
pytestmark = pytest.mark.world_per_module

User = get_user_model()


def invite(world, email="new.person@example.org", role="participant"):
    return services.invitation_create(cohort=world.cohort, email=email, role=role, actor=world.people["lead"])


def invitation_path_in(body: str) -> str:
    """The path of the invitation link in an email's text."""
    prefix = reverse("cohorts:invitation_accept", args=["TOKEN"]).split("TOKEN")[0]
    return re.search(rf"http://testserver({re.escape(prefix)}[^\s/]+/)", body).group(1)


def accept_data(name="New Person", password="a-long-and-unusual-passphrase"):
    return {"full_name": name, "password1": password, "password2": password, "accept_terms": "on"}


def test_lead_invites_through_the_page_and_an_email_is_sent(
    client, world, django_capture_on_commit_callbacks
):
    client_for(client, world.people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cohorts:members", args=[world.cohort.slug]),
            {"invite-email": "New.Person@Example.org", "invite-role": "coach"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.org" and invitation.role == "coach"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    link = invitation_path_in(message.body)
    # The token in the link is never stored: only its hash is.
    assert link.rstrip("/").rsplit("/", 1)[1] not in invitation.token_hash


def test_accepting_creates_the_account_and_membership_and_logs_in(client, world):
    _invitation, token = invite(world)
    response = client.post(reverse("cohorts:invitation_accept", args=[token]), accept_data())
    assert response.status_code == 302 and response.url == reverse("home:index")
    user = User.objects.get(email="new.person@example.org")
    assert user.full_name == "New Person" and user.check_password("a-long-and-unusual-passphrase")
    assert Membership.objects.filter(user=user, cohort=world.cohort, role="participant").exists()
    assert client.get(reverse("home:index")).status_code == 200


def test_an_invitation_works_once(client, world):
    _invitation, token = invite(world)
    client.post(reverse("cohorts:invitation_accept", args=[token]), accept_data())
    client.logout()
    response = client.get(reverse("cohorts:invitation_accept", args=[token]))
    assert response.status_code == 404
    assert "already been used" in response.content.decode()
    response = client.post(
        reverse("cohorts:invitation_accept", args=[token]), accept_data(name="Someone Else")
    )
    assert response.status_code == 404
    assert User.objects.filter(email="new.person@example.org").count() == 1


def test_an_invitation_expires_after_14_days(client, world):
    _invitation, token = invite(world)
    with time_machine.travel(timezone.now() + timedelta(days=14, seconds=1)):
        response = client.post(reverse("cohorts:invitation_accept", args=[token]), accept_data())
    assert response.status_code == 404 and "expired" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()
    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        assert client.get(reverse("cohorts:invitation_accept", args=[token])).status_code == 200


def test_a_forged_link_is_refused(client, world):
    invite(world)
    response = client.get(reverse("cohorts:invitation_accept", args=["forged-token-value"]))
    assert response.status_code == 404 and "not valid" in response.content.decode()


def test_inviting_an_email_that_has_an_account_is_refused(client, world):
    client_for(client, world.people["lead"])
    response = client.post(
        reverse("cohorts:members", args=[world.cohort.slug]),
        {"invite-email": world.people["other_participant"].email.upper(), "invite-role": "participant"},
    )
    assert response.status_code == 200
    assert "There is already an account" in response.content.decode()
    assert "nhsuk-error-summary" in response.content.decode()
    assert not Invitation.objects.exists()


def test_account_created_meanwhile_blocks_acceptance(client, world):
    _invitation, token = invite(world)
    User.objects.create_user(email="new.person@example.org", password="x" * 12, full_name="Early Bird")
    response = client.post(reverse("cohorts:invitation_accept", args=[token]), accept_data())
    assert response.status_code == 200
    assert "already an account" in response.content.decode()
    assert not Membership.objects.filter(user__email="new.person@example.org").exists()


def test_weak_or_mismatched_passwords_change_nothing(client, world):
    _invitation, token = invite(world)
    url = reverse("cohorts:invitation_accept", args=[token])
    response = client.post(url, {**accept_data("N", "password")})
    assert response.status_code == 200 and "too common" in response.content.decode()
    response = client.post(url, {"full_name": "N", "password1": "a-long-passphrase-1", "password2": "other"})
    assert "do not match" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_adding_an_existing_account_and_refusing_a_duplicate(client, world):
    client_for(client, world.people["lead"])
    url = reverse("cohorts:members", args=[world.cohort.slug])
    other = world.people["other_participant"]
    response = client.post(url, {"add-email": other.email, "add-role": "observer"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=other, cohort=world.cohort, role="observer").exists()
    response = client.post(url, {"add-email": other.email, "add-role": "participant"})
    assert response.status_code == 200 and "already a member" in response.content.decode()
    assert Membership.objects.filter(user=other, cohort=world.cohort).count() == 1


def test_a_full_cohort_refuses_another_participant(world):
    world.cohort.capacity = 1
    world.cohort.save()
    with pytest.raises(services.ValidationError, match="full"):
        services.membership_add(
            cohort=world.cohort,
            user=world.people["other_participant"],
            role="participant",
            actor=world.people["lead"],
        )


def test_accepting_into_a_cohort_filled_meanwhile_is_refused(client, world):
    from tests.factories import MembershipFactory

    world.cohort.capacity = 2
    world.cohort.save()
    _invitation, token = invite(world)
    MembershipFactory(cohort=world.cohort, role="participant")  # added directly by a lead meanwhile
    response = client.post(reverse("cohorts:invitation_accept", args=[token]), accept_data())
    assert response.status_code == 200 and "is full" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_participant_invitations_count_against_capacity(world):
    world.cohort.capacity = 2
    world.cohort.save()
    invite(world, email="first@example.org")
    with pytest.raises(services.ValidationError, match="no participant places left"):
        invite(world, email="second@example.org")
    invite(world, email="coach2@example.org", role="coach")  # other roles do not take a place


# --- One live invitation per person and cohort.


def test_inviting_someone_twice_while_the_first_is_live_is_refused_and_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    from shiftpractice.core.models import AuditEvent, EmailDelivery

    client_for(client, world.people["lead"])
    url = reverse("cohorts:members", args=[world.cohort.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"invite-email": "new.person@example.org", "invite-role": "participant"})
    before = (Invitation.objects.count(), EmailDelivery.objects.count(), AuditEvent.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"invite-email": " New.Person@EXAMPLE.org", "invite-role": "coach"})
    body = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in body
    assert "already has an invitation to Cohort A waiting to be accepted" in body
    assert (Invitation.objects.count(), EmailDelivery.objects.count(), AuditEvent.objects.count()) == before
    assert len(mail.outbox) == 1
    # The same person may still be invited to another cohort.
    services.invitation_create(
        cohort=world.other_cohort,
        email="new.person@example.org",
        role="participant",
        actor=world.people["lead"],
    )


def test_the_database_refuses_a_second_open_invitation_to_the_same_person(world):
    from django.db import IntegrityError, transaction

    invitation, _token = invite(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            cohort=world.cohort,
            email="NEW.PERSON@example.org",
            role="coach",
            token_hash="x" * 64,
            expires_at=invitation.expires_at,
        )


def test_an_expired_invitation_is_replaced_and_its_old_link_says_so(client, world):
    first, old_token = invite(world)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        second, new_token = invite(world)
        first.refresh_from_db()
        assert first.superseded_at is not None and second.superseded_at is None
        response = client.get(reverse("cohorts:invitation_accept", args=[old_token]))
        assert response.status_code == 404 and "replaced by a newer one" in response.content.decode()
        assert client.get(reverse("cohorts:invitation_accept", args=[new_token])).status_code == 200


# --- Invitation emails go through the outbox: a mail outage loses nothing and the lead is told the truth.


class FailingBackend:
    """An email backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server unreachable")


def test_an_invitation_during_a_mail_outage_is_kept_shown_as_waiting_and_sent_later(
    client, world, settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    client_for(client, world.people["lead"])
    url = reverse("cohorts:members", args=[world.cohort.slug])
    settings.EMAIL_BACKEND = "shiftpractice.cohorts.tests.test_invitations.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"invite-email": "new.person@example.org", "invite-role": "participant"})
    page = client.get(response.url).content.decode()
    assert "is on its way" in page and "Invitation sent" not in page
    assert "the mail server could not be reached, and it will be tried again" in page
    invitation = Invitation.objects.get()
    assert invitation.delivery.status == "pending" and not mail.outbox

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        call_command("deliver_emails")
        page = client.get(url).content.decode()
    assert "Email sent" in page
    link = invitation_path_in(mail.outbox[0].body)
    response = client.post(link, accept_data())
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="new.person@example.org", cohort=world.cohort).exists()


def test_an_invitation_accepted_before_its_email_went_is_not_sent(
    client, world, django_capture_on_commit_callbacks
):
    from shiftpractice.core.emails import emails_process_due

    with django_capture_on_commit_callbacks(execute=False):
        invitation, token = invite(world)
    client.post(reverse("cohorts:invitation_accept", args=[token]), accept_data())
    assert emails_process_due() == {"cancelled": 1}
    invitation.delivery.refresh_from_db()
    assert invitation.delivery.status == "cancelled" and invitation.delivery.sealed == "" and not mail.outbox

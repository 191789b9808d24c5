"""Notifications: the quiet default, immediate emails, the daily digest, the outbox's retries, and the pages."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.core import emails
from shiftpractice.core.choices import EmailStatus
from shiftpractice.core.models import EmailDelivery
from shiftpractice.core.paging import PAGE_SIZE
from shiftpractice.notifications import services
from shiftpractice.notifications.models import Notification, NotificationPreference


class FailingBackend:
    """An email backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server unreachable")


@pytest.fixture
def people(world):
    return world.people


def test_notify_defaults_to_the_digest_and_never_tells_the_actor(people):
    made = services.notify(
        recipients=[people["participant"], people["coach"], people["participant"]],
        kind="comment",
        title="Hello",
        actor=people["coach"],
    )
    assert [n.recipient for n in made] == [people["participant"]]
    assert made[0].delivery == "digest" and made[0].email is None
    assert not EmailDelivery.objects.exists()


def test_unknown_kinds_are_refused(people):
    with pytest.raises(ValueError, match="declare it"):
        services.notify(recipients=[people["participant"]], kind="made-up", title="x")


def test_immediate_emails_have_text_and_html_and_are_sent_once_on_commit(
    people, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=people["participant"], kind="comment", delivery="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[people["participant"]], kind="comment", title="New comment", url="/projects/"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "New comment" and "http://testserver/projects/" in message.body
    assert message.alternatives[0][1] == "text/html" and "New comment" in message.alternatives[0][0]
    email = EmailDelivery.objects.get()
    assert email.status == EmailStatus.SENT and email.attempts == 1
    assert emails.email_deliver(email.pk) == "skipped"  # a second worker finds nothing to send
    call_command("deliver_emails")
    assert len(mail.outbox) == 1


def test_never_means_no_email_but_still_listed(people, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=people["participant"], kind="comment", delivery="never")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[people["participant"]], kind="comment", title="Quiet")
    assert services.digests_send() == 0 and not mail.outbox
    assert Notification.objects.get().title == "Quiet"


def test_the_digest_sends_one_email_per_person_once(people, django_capture_on_commit_callbacks):
    for n in range(3):
        services.notify(
            recipients=[people["participant"], people["coach"]], kind="comment", title=f"Item {n}"
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send() == 0
        call_command("send_digests")
    assert len(mail.outbox) == 2
    body = next(m for m in mail.outbox if m.to == ["participant@example.org"]).body
    assert "Item 0" in body and "Item 2" in body and "notifications/preferences/" in body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_read_notifications_are_left_out_of_the_digest(people):
    services.notify(recipients=[people["participant"]], kind="comment", title="Seen already")
    services.mark_all_read(user=people["participant"])
    assert services.digests_send() == 0


def test_a_failed_send_is_logged_retried_with_back_off_and_never_lost(
    people, settings, django_capture_on_commit_callbacks, caplog
):
    NotificationPreference.objects.create(user=people["participant"], kind="comment", delivery="immediate")
    settings.EMAIL_BACKEND = "shiftpractice.notifications.tests.test_notifications.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[people["participant"]], kind="comment", title="Try again")
    email = EmailDelivery.objects.get()
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert "mail server unreachable" in email.last_error and "retrying" in caplog.text
    assert email.next_attempt_at > timezone.now()
    assert emails.emails_process_due() == {}  # not due yet: back-off

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert emails.emails_process_due() == {"retry": 1}
    email.refresh_from_db()
    assert email.attempts == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        call_command("deliver_emails")
        call_command("deliver_emails")
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and len(mail.outbox) == 1


def test_after_the_last_attempt_the_email_is_kept_as_failed_and_can_be_retried(people, settings, caplog):
    settings.EMAIL_BACKEND = "shiftpractice.notifications.tests.test_notifications.FailingBackend"
    email = EmailDelivery.objects.create(
        recipient=people["participant"],
        to_address="participant@example.org",
        purpose="immediate",
        subject="S",
        text="T",
        next_attempt_at=timezone.now(),
        attempts=emails.MAX_ATTEMPTS - 1,
    )
    assert emails.email_deliver(email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and "giving up" in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert emails.emails_retry(deliveries=EmailDelivery.objects.all(), actor=people["lead"]) == 1
    assert emails.emails_process_due() == {"sent": 1}


def test_notify_once_is_once(people):
    kwargs = dict(recipient=people["participant"], kind="workshop_soon", key="workshop:1", title="Soon")
    assert services.notify_once(**kwargs) is True
    assert services.notify_once(**kwargs) is False
    assert Notification.objects.count() == 1


def test_the_list_page_counts_unread_and_marks_read(client, people):
    note = services.notify(
        recipients=[people["participant"]], kind="comment", title="Look", url="/projects/"
    )[0]
    services.notify(recipients=[people["coach"]], kind="comment", title="Not yours")
    client_for(client, people["participant"])
    page = client.get(reverse("notifications:list")).content.decode()
    assert "1 unread" in page and "Look" in page and "Not yours" not in page
    response = client.post(reverse("notifications:open", args=[note.public_id]))
    assert response.url == "/projects/"
    note.refresh_from_db()
    assert note.read_at is not None
    other = Notification.objects.get(title="Not yours")
    assert client.post(reverse("notifications:open", args=[other.public_id])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert "no unread" in client.get(reverse("notifications:list")).content.decode()


def test_an_offsite_url_is_never_followed(client, people):
    note = services.notify(
        recipients=[people["participant"]], kind="comment", title="x", url="https://evil.example/"
    )[0]
    client_for(client, people["participant"])
    assert client.post(reverse("notifications:open", args=[note.public_id])).url == reverse(
        "notifications:list"
    )


def test_preferences_page_saves_each_kind(client, people):
    client_for(client, people["participant"])
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    data = {name: "digest" for name in page.context["form"].fields}
    data["comment"] = "immediate"
    data["discussion_thread"] = "never"
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert dict(NotificationPreference.objects.values_list("kind", "delivery")) == {
        "comment": "immediate",
        "discussion_thread": "never",
    }
    bad = client.post(reverse("notifications:preferences"), {**data, "comment": "hourly"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_list_page_query_budget(client, people, django_assert_max_num_queries):
    for n in range(40):
        services.notify(
            recipients=[people["participant"]], kind="comment", title=f"n{n}", actor=people["coach"]
        )
    client_for(client, people["participant"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_the_unread_count_covers_more_than_the_listed_notifications(client, people):
    """The list shows a page of the latest; the count is of every unread notification (and the header agrees)."""
    Notification.objects.bulk_create(
        Notification(recipient=people["participant"], kind="comment", title=f"n{n}") for n in range(130)
    )
    Notification.objects.filter(title="n0").update(read_at=timezone.now())
    client_for(client, people["participant"])
    response = client.get(reverse("notifications:list"))
    assert response.context["unread"] == 129 and len(response.context["items"].object_list) == PAGE_SIZE
    assert "129 unread" in response.content.decode()

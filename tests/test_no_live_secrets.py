"""No live secret is readable from the database or the admin: invitation links and password reset links are
nowhere in any table (the task queue included) or on any admin page, before or after their emails are sent,
while the links themselves work."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import client_for
from shiftpractice.cohorts import services as cohort_services
from shiftpractice.core.models import EmailDelivery
from shiftpractice.core.sealing import unseal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

INVITE = re.compile(r"http://testserver/cohorts/invitations/([^/\s]+)/")
RESET = re.compile(r"http://testserver/accounts/password/reset/([^/\s]+)/([^/\s]+)/")


def database_values():
    """Every value in every column of every table, as text (session data decoded, too)."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # The table names come from the database itself, quoted.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    if isinstance(value, bytes):
                        value = value.decode("latin-1")
                    yield table, str(value)
    for session in Session.objects.all():
        yield "django_session (decoded)", str(session.get_decoded())


def admin_pages(client):
    """Every admin changelist, and the change page of every object of every registered model."""
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse("admin:{}_{}_changelist".format(*info))
        yield url, client.get(url)
        for pk in model._default_manager.values_list("pk", flat=True):
            url = reverse("admin:{}_{}_change".format(*info), args=[quote(pk)])
            yield url, client.get(url)


def assert_nowhere(secrets: set[str], admin_client) -> int:
    """Check no secret is in the database or on an admin page; returns how many admin pages were read."""
    assert secrets and all(len(secret) >= 20 for secret in secrets)
    for table, value in database_values():
        for secret in secrets:
            assert secret not in value, f"a live secret is stored in {table}"
    pages = 0
    for url, response in admin_pages(admin_client):
        assert response.status_code in {200, 302, 403, 404}, url
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, f"a live secret shows on {url}"
        pages += 1
    return pages


def test_no_invitation_or_password_reset_secret_is_in_the_database_or_the_admin(world, settings):
    # The real queue: task arguments are stored in the database, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lead, participant = world.people["lead"], world.people["participant"]
    lead_client = client_for(Client(), lead)
    lead_client.post(
        reverse("cohorts:members", args=[world.cohort.slug]),
        {"invite-email": "first.new@example.org", "invite-role": "participant"},
    )
    _invitation, token = cohort_services.invitation_create(
        cohort=world.other_cohort, email="second.new@example.org", role="coach", actor=lead
    )
    Client().post(reverse("accounts:password_reset"), {"email": participant.email})
    admin_client = client_for(Client(), UserFactory(is_staff=True, is_superuser=True))

    # Queued, not yet sent: the invitation tokens exist (sealed in the outbox); no reset token exists yet.
    assert EmailDelivery.objects.filter(status="pending").count() == 3 and not mail.outbox
    tokens = {unseal(email.sealed)["token"] for email in EmailDelivery.objects.filter(purpose="invitation")}
    assert token in tokens and len(tokens) == 2
    assert assert_nowhere(tokens, admin_client) > 20

    call_command("db_worker", "--batch", "--no-startup-delay")
    assert EmailDelivery.objects.filter(status="sent").count() == 3 and len(mail.outbox) == 3

    # Sent: every link the emails carried, whole and as its token, is nowhere in the database or the admin.
    invitation_links = [INVITE.search(message.body) for message in mail.outbox]
    reset_links = [RESET.search(message.body) for message in mail.outbox]
    invitations = [match for match in invitation_links if match]
    resets = [match for match in reset_links if match]
    assert len(invitations) == 2 and len(resets) == 1
    secrets = {match.group(0) for match in invitations + resets}
    secrets |= {match.group(1) for match in invitations} | {resets[0].group(2)}
    assert {match.group(1) for match in invitations} == tokens
    assert assert_nowhere(secrets, admin_client) > 20
    assert not EmailDelivery.objects.exclude(sealed="").exists()

    # And they were live secrets: each link opens its page.
    visitor = Client()
    for match in invitations:
        page = visitor.get(match.group(0).removeprefix("http://testserver"))
        assert page.status_code == 200 and "Create my account" in page.content.decode()
    page = visitor.get(resets[0].group(0).removeprefix("http://testserver"), follow=True)
    assert page.status_code == 200 and "new_password1" in page.content.decode()

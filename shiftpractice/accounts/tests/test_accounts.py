"""Logging in with an email address, throttling, profile, password change and reset."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from conftest import client_for
from tests.factories import PASSWORD, UserFactory

User = get_user_model()


def test_email_is_the_login_and_is_case_insensitive(client, db):
    UserFactory(email="ward.sister@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "Ward.Sister@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("home:index")


def test_wrong_password_shows_the_error_summary(client, db):
    UserFactory(email="gp@example.org")
    response = client.post(reverse("accounts:login"), {"username": "gp@example.org", "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "Enter a correct email address and password" in body
    assert "<title>Error: Log in" in body


def test_repeated_failures_lock_the_account_out(client, db):
    UserFactory(email="gp@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "gp@example.org", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "gp@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_duplicate_email_differing_in_case_is_refused_by_the_database(db):
    from django.db import IntegrityError

    UserFactory(email="a@example.org")
    with pytest.raises(IntegrityError):
        User.objects.create(email="A@example.org", full_name="Dup")


def test_password_hashing_is_argon2_in_production_settings():
    from config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_profile_update_is_saved_and_audited(client, db):
    from shiftpractice.core.models import AuditEvent

    user = UserFactory()
    client_for(client, user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Dr New Name",
            "job_title": "GP",
            "organisation": "Practice",
            "region": "Wales",
            "pronouns": "",
            "bio": "Hi",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.region, user.bio) == ("Dr New Name", "Wales", "Hi")
    event = AuditEvent.objects.get(verb="profile.updated")
    assert set(event.data["fields"]) >= {"full_name", "region", "bio"}


def test_profile_without_a_name_is_refused(client, db):
    user = UserFactory(full_name="Kept Name")
    client_for(client, user)
    response = client.post(reverse("accounts:profile"), {"full_name": "", "job_title": "GP"})
    assert response.status_code == 200 and "nhsuk-error-summary" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "Kept Name" and user.job_title == "Nurse"


def test_password_change(client, db):
    user = UserFactory()
    client_for(client, user)
    new = "a-brand-new-long-passphrase"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_by_email(client, db, django_capture_on_commit_callbacks):
    user = UserFactory(email="reset.me@example.org")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(reverse("accounts:password_reset"), {"email": "reset.me@example.org"})
    assert len(queued) == 1  # sent by the task worker, after the request, not while the person waits
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].alternatives
    path = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(path, follow=True)
    new = "another-long-passphrase-42"
    response = client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_reset_for_an_unknown_email_reveals_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and not mail.outbox


def test_logout_needs_post_and_ends_the_session(client, db):
    client_for(client, UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    home = client.get(reverse("home:index"))  # the public front door now
    assert home.status_code == 200 and "Log out" not in home.content.decode()
    assert client.get(reverse("projects:list")).status_code == 302


# --- The login lock: one count per person whatever the spelling, cleared by a reset, per client behind a proxy.

LOGIN = "accounts:login"


def fail_login(client, username, **headers):
    return client.post(reverse(LOGIN), {"username": username, "password": "wrong"}, **headers)


def log_in(client, username, password=PASSWORD, **headers):
    return client.post(reverse(LOGIN), {"username": username, "password": password}, **headers)


def test_every_spelling_of_an_email_counts_towards_one_lock_and_none_gets_past_it(client, db):
    UserFactory(email="lock2@example.org")
    spellings = ["LOCK2@example.org", " lock2@EXAMPLE.org ", "Lock2@Example.Org", "lock2@example.org"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail_login(client, spellings[n % len(spellings)])
    for spelling in [*spellings, "LOCK2@EXAMPLE.ORG"]:
        response = log_in(client, spelling)
        assert response.status_code == 429, spelling
        assert "Too many attempts" in response.content.decode()


def test_a_lock_counts_the_spelling_that_login_uses():
    from shiftpractice.accounts.throttling import axes_username

    assert axes_username(None, {"username": "  Mixed.Case@Example.ORG "}) == "mixed.case@example.org"


def test_a_successful_password_reset_clears_the_lock(client, db, django_capture_on_commit_callbacks):
    user = UserFactory(email="locked.out@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail_login(client, "Locked.Out@example.org")
    assert log_in(client, "locked.out@example.org").status_code == 429

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "locked.out@example.org"})
    path = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(path, follow=True)
    new = "a-fresh-long-passphrase-7"
    response = client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)

    response = log_in(client, "locked.out@example.org", password=new)
    assert response.status_code == 302 and response.url == reverse("home:index")


def proxy_settings(count: int) -> dict:
    """The axes/ipware settings config/settings.py derives from TRUSTED_PROXY_COUNT (read in a fresh process)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import json, config.settings as s; print(json.dumps({'AXES_IPWARE_PROXY_COUNT': s.AXES_IPWARE_PROXY_COUNT,"
        " 'AXES_IPWARE_META_PRECEDENCE_ORDER': s.AXES_IPWARE_META_PRECEDENCE_ORDER,"
        " 'IPWARE_STRICT': s.IPWARE_STRICT}))"
    )
    env = {**os.environ, "TRUSTED_PROXY_COUNT": str(count), "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    values = json.loads(result.stdout)
    values["AXES_IPWARE_META_PRECEDENCE_ORDER"] = tuple(values["AXES_IPWARE_META_PRECEDENCE_ORDER"])
    return values


PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # the reverse proxy: every request reaches the app from it


def test_without_a_configured_proxy_the_forwarded_header_is_not_believed(client, db):
    assert proxy_settings(0) == {
        "AXES_IPWARE_PROXY_COUNT": None,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
        "IPWARE_STRICT": False,
    }
    UserFactory(email="gp@example.org")
    # Making up a new X-Forwarded-For for each guess does not buy more guesses.
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail_login(client, "gp@example.org", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert log_in(client, "gp@example.org", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_behind_a_proxy_one_person_cannot_lock_everyone_else_out(client, db, settings):
    settings_for_one_proxy = proxy_settings(1)
    assert settings_for_one_proxy["AXES_IPWARE_PROXY_COUNT"] == 0
    for name, value in settings_for_one_proxy.items():
        setattr(settings, name, value)
    UserFactory(email="ward.manager@example.org")
    # The attacker guesses through the proxy, putting the victim's address in the header themselves; the proxy
    # appends the address it really saw.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail_login(
            client, "ward.manager@example.org", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.66", **PROXY
        )
    assert (
        log_in(client, "ward.manager@example.org", HTTP_X_FORWARDED_FOR="203.0.113.66", **PROXY).status_code
        == 429
    )

    # The real person, through the same proxy from their own address, logs in.
    response = log_in(client, "Ward.Manager@example.org", HTTP_X_FORWARDED_FOR="198.51.100.7", **PROXY)
    assert response.status_code == 302 and response.url == reverse("home:index")


def test_with_two_proxies_the_client_is_the_address_the_outer_one_saw(client, db, settings):
    for name, value in proxy_settings(2).items():
        setattr(settings, name, value)
    UserFactory(email="gp@example.org")
    # CDN (outer) saw 203.0.113.66 and appended it; the load balancer appended the CDN's address.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail_login(
            client, "gp@example.org", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.66, 192.0.2.10", **PROXY
        )
    assert (
        log_in(client, "gp@example.org", HTTP_X_FORWARDED_FOR="203.0.113.66, 192.0.2.10", **PROXY).status_code
        == 429
    )
    assert (
        log_in(client, "gp@example.org", HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.10", **PROXY).status_code
        == 302
    )


# --- Password reset emails go through the outbox and keep no working link.


class FailingBackend:
    """An email backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server unreachable")


def test_a_reset_email_during_a_mail_outage_is_kept_and_sent_later(
    client, db, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    from shiftpractice.core.models import EmailDelivery

    user = UserFactory(email="reset.me@example.org")
    settings.EMAIL_BACKEND = "shiftpractice.accounts.tests.test_accounts.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "Reset.Me@example.org"})
    assert response.status_code == 302 and not mail.outbox
    email = EmailDelivery.objects.get()
    assert email.status == "pending" and "unreachable" in email.last_error
    assert (email.recipient, email.text, email.html, email.sealed) == (user, "", "", "")

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        call_command("deliver_emails")
    email.refresh_from_db()
    assert email.status == "sent" and (email.text, email.html) == ("", "")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reset.me@example.org"]
    path = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(path, follow=True).status_code == 200
    assert "Choose a new password" in client.get(path, follow=True).content.decode()

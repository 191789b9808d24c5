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
    assert client.get(reverse("home:index")).status_code == 302

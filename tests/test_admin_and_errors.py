"""Staff get the admin for every model; error pages are in the service's style and never show a traceback."""

import pytest
from django.contrib import admin
from django.test import Client, override_settings
from django.urls import path, reverse

from conftest import client_for
from tests.factories import UserFactory

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_admin_changelist_and_add_pages_open_for_staff(client, world, model):
    client_for(client, UserFactory(is_staff=True, is_superuser=True))
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    add = client.get(reverse("admin:{}_{}_add".format(*info)))
    assert add.status_code in {200, 403}  # 403 where adding by hand is deliberately refused (the audit log)


def test_every_foundation_model_is_in_the_admin():
    labels = {m._meta.label for m in MODELS}
    expected = {
        "accounts.User",
        "core.AuditEvent",
        "programmes.Programme",
        "programmes.Milestone",
        "cohorts.Cohort",
        "cohorts.Membership",
        "cohorts.Workshop",
        "cohorts.WorkshopMaterial",
        "cohorts.Attendance",
        "cohorts.Invitation",
    }
    assert expected <= labels


def broken_view(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("broken/", broken_view)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_shows_the_friendly_page_without_a_traceback(db):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/broken/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_not_found_page_is_styled(client, world):
    client_for(client, world.people["participant"])
    response = client.get("/cohorts/no-such-cohort/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and "nhsuk-header" in body


def test_staff_can_add_a_person_in_the_admin(client, db):
    from shiftpractice.accounts.models import User

    client_for(client, UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "added@example.org",
            "full_name": "Added Person",
            "usable_password": "true",
            "password1": "a-long-passphrase-99",
            "password2": "a-long-passphrase-99",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="added@example.org").check_password("a-long-passphrase-99")


def test_admin_lists_nothing_about_journal_entries(client, db):
    from shiftpractice.content.models import ContentItem, ContentReference
    from shiftpractice.core.models import AuditEvent

    AuditEvent.objects.create(
        verb="journal_entry.created", object_type="coaching.journalentry", object_id="42"
    )
    item = ContentItem.objects.filter(status="published").first()
    ContentReference.objects.create(
        item=item, ref=item.ref, object_type="coaching.journalentry", object_id="42"
    )
    client_for(client, UserFactory(is_staff=True, is_superuser=True))
    for name in ("admin:core_auditevent_changelist", "admin:content_contentreference_changelist"):
        body = client.get(reverse(name)).content.decode()
        assert "coaching.journalentry" not in body and "journal_entry.created" not in body, name

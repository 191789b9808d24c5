"""Staff get the admin for every model, under its own Content-Security-Policy, and a refused delete is explained;
error pages are in the service's style, never show a traceback, and the operators hear of every server error."""

import re

import pytest
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.core import mail
from django.db import models, transaction
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse

from conftest import client_for
from shiftpractice.core import views as core_views
from tests.factories import UserFactory

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


def assert_admin_csp(response) -> None:
    """The admin's own policy is on the page, and the page has no inline script it would block."""
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'", policy
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'", policy
    body = response.content.decode()
    inline = [tag for tag in re.findall(r"<script\b[^>]*>", body) if " src=" not in tag]
    assert not inline, inline
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", body), "inline event handler"
    assert not re.search(r"<[^>]+\sstyle\s*=", body), "inline style attribute"


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_admin_changelist_and_add_pages_open_for_staff(client, world, model):
    client_for(client, UserFactory(is_staff=True, is_superuser=True))
    info = (model._meta.app_label, model._meta.model_name)
    changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
    assert changelist.status_code == 200
    assert_admin_csp(changelist)
    add = client.get(reverse("admin:{}_{}_add".format(*info)))
    assert add.status_code in {200, 403}  # 403 where adding by hand is deliberately refused (the audit log)
    if add.status_code == 200:
        assert_admin_csp(add)


def test_admin_login_index_change_and_delete_pages_carry_the_admin_policy(client, world):
    assert_admin_csp(client.get(reverse("admin:login")))
    client_for(client, UserFactory(is_staff=True, is_superuser=True))
    assert_admin_csp(client.get(reverse("admin:index")))
    for name in ("change", "delete", "history"):
        response = client.get(reverse(f"admin:cohorts_cohort_{name}", args=[world.cohort.pk]))
        assert response.status_code == 200
        assert_admin_csp(response)
    # The rest of the site keeps its own policy (inline style attributes allowed, for chart bar widths).
    site_policy = client.get(reverse("home:index"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in site_policy


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
handler500 = core_views.server_error  # as config.urls has it


def _get_broken_page():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body and "nhsuk-header" in body
    assert "secret internals" not in body and "Traceback" not in body
    return body


@override_settings(ROOT_URLCONF=__name__, DEBUG=False, ADMINS=[("Ops Team", "ops@example.org")])
def test_a_server_error_is_emailed_to_the_admins_and_the_page_says_so(db):
    body = _get_broken_page()
    assert "has been told about the problem" in body
    assert len(mail.outbox) == 1
    report = mail.outbox[0]
    assert report.to == ["ops@example.org"]
    assert "Internal Server Error: /broken/" in report.subject and report.subject.startswith(
        "[shiftpractice]"
    )
    assert "RuntimeError at /broken/\nsecret internals" in report.body  # the details go to the operators only


@override_settings(ROOT_URLCONF=__name__, DEBUG=False, ADMINS=[], ERROR_TRACKER_ENABLED=False)
def test_with_no_one_to_tell_the_error_page_does_not_claim_anyone_was_told(db):
    body = _get_broken_page()
    assert "has been told" not in body
    assert "tell the person who runs this service" in body
    assert mail.outbox == []


@override_settings(ROOT_URLCONF=__name__, DEBUG=False, ADMINS=[], ERROR_TRACKER_ENABLED=True)
def test_with_only_the_error_tracker_the_page_says_the_team_was_told(db):
    assert "has been told about the problem" in _get_broken_page()


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


# -- Deleting in the admin never ends in a server error ----------------------------------------------------


class _Undo(Exception):
    """Raised to roll back one attempted delete, so the next starts from the same data."""


def _explains(response) -> bool:
    """A page that says why nothing was deleted: Django's "Cannot delete" page (protected objects, or objects the
    admin may not delete), or the refusal message of shiftpractice.core.adminsite."""
    if response.status_code == 200:
        return "<h1>Cannot delete" in response.content.decode()
    return response.status_code == 302 and any(
        m.level == messages.ERROR and "Nothing was" in m.message
        for m in messages.get_messages(response.wsgi_request)
    )


def _protected_pks(model) -> set:
    """Objects of ``model`` that another row points at with on_delete=PROTECT or RESTRICT."""
    pks = set()
    for rel in model._meta.related_objects:
        if rel.on_delete in (models.PROTECT, models.RESTRICT):
            column = rel.field.attname
            pks |= set(
                rel.related_model._default_manager.exclude(**{f"{column}__isnull": True})
                .values_list(column, flat=True)
                .distinct()[:2]
            )
    return pks


@pytest.mark.django_db
def test_every_admin_delete_either_deletes_or_explains_never_a_server_error():
    """The delete page and the "delete selected" action of every registered model, over the demo programme's
    data: objects other rows protect (PROTECT/RESTRICT) and a few others, each attempt rolled back."""
    from shiftpractice.home.demo import load_demo

    load_demo()
    client = Client(raise_request_exception=False)
    staff = UserFactory(is_staff=True, is_superuser=True)
    client_for(client, staff)
    request = RequestFactory().get("/")
    request.user = staff
    failures, protected_seen = [], set()
    for model in MODELS:
        info = (model._meta.app_label, model._meta.model_name)
        # Where the admin offers no delete at all, the page answers 403 and the action is not on the list; a post
        # that would cascade into records the admin may not delete is a 403 too (its page said "Cannot delete").
        deletable = admin.site._registry[model].has_delete_permission(request)
        protected = _protected_pks(model)
        sample = set(model._default_manager.order_by("pk").values_list("pk", flat=True)[:4])
        for pk in sorted(protected | sample, key=str):
            for way in ("delete page", "delete selected"):
                try:
                    with transaction.atomic():
                        if way == "delete page":
                            url = reverse("admin:{}_{}_delete".format(*info), args=[pk])
                            response = client.post(url, {"post": "yes"})
                        else:
                            url = reverse("admin:{}_{}_changelist".format(*info))
                            data = {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
                            response = client.post(url, data)
                        still_there = model._default_manager.filter(pk=pk).exists()
                        if response.status_code >= 500:
                            failures.append((model._meta.label, pk, way, response.status_code))
                        elif (
                            still_there
                            and deletable
                            and response.status_code != 403
                            and not _explains(response)
                        ):
                            failures.append((model._meta.label, pk, way, "kept without saying why"))
                        if pk in protected and response.status_code != 403:
                            protected_seen.add(model._meta.label)
                            assert still_there, (model._meta.label, pk, way)
                        raise _Undo
                except _Undo:
                    pass
    assert not failures, failures
    # The walk met every PROTECT relation the demo data has on a model staff may delete.
    assert {"accounts.User", "cohorts.Cohort", "programmes.Programme"} <= protected_seen


@pytest.mark.django_db
def test_deleting_a_peer_group_with_shared_reflections_is_explained_not_a_server_error(world):
    """SET_NULL on a reflection shared with the group would break the rule that such a reflection names its
    group: the database refuses, the admin says so, and nothing is deleted."""
    from shiftpractice.coaching.choices import Privacy
    from shiftpractice.coaching.models import JournalEntry, PeerGroup

    group = PeerGroup.objects.create(cohort=world.cohort, kind="action_learning_set", name="Set one")
    entry = JournalEntry.objects.create(
        author=world.people["participant"],
        cohort=world.cohort,
        privacy=Privacy.PEER_GROUP,
        peer_group=group,
        title="Shared",
        body="With the set",
    )
    client = Client(raise_request_exception=False)
    client_for(client, UserFactory(is_staff=True, is_superuser=True))
    for url, data in (
        (reverse("admin:coaching_peergroup_delete", args=[group.pk]), {"post": "yes"}),
        (
            reverse("admin:coaching_peergroup_changelist"),
            {"action": "delete_selected", "_selected_action": [group.pk], "post": "yes"},
        ),
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Nothing was changed" in body and "coaching_peer_entry_names_group" in body
        assert PeerGroup.objects.filter(pk=group.pk).exists()
        entry.refresh_from_db()
        assert entry.peer_group_id == group.pk
    assert response.redirect_chain[-1][0] == reverse("admin:coaching_peergroup_changelist")


def test_a_protected_delete_names_what_depends_on_it(world):
    from shiftpractice.core.adminsite import refusal_message

    collector = NestedObjects(using="default")
    collector.collect([world.programme])
    assert collector.protected  # the cohorts protect their programme
    with pytest.raises(models.ProtectedError) as caught:
        world.programme.delete()
    message = refusal_message(caught.value)
    assert message.startswith("Nothing was deleted") and "cohort “Cohort A”" in message
    restricted = models.RestrictedError("restricted", {world.cohort, world.other_cohort})
    assert "cohort “Cohort B”" in refusal_message(restricted)


def test_the_refused_page_says_why_and_whom_to_ask(client, world):
    """A critical friend may read the model but not edit it: the 403 page gives the real reason."""
    client_for(client, world.people["critical_friend"])
    response = client.get(reverse("content:version_new"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Only programme leads can change the model." in page
    assert "ask a lead of your programme" in page
    assert "only the programme's leads can change it" not in page  # the old one-size wording


def test_a_refusal_from_elsewhere_gets_the_general_wording(rf, db):
    from django.core.exceptions import PermissionDenied

    request = rf.get("/")
    request.user = UserFactory()
    page = core_views.permission_denied(request, PermissionDenied("internal detail")).content.decode()
    assert "internal detail" not in page and "you do not have permission to make this change" in page

"""Running a cohort without the admin site: set-up, closing, membership, invitations revoked and resent,
workshop materials (links and checked uploads, served only as downloads) and attendance on the workshop page."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PERSONAS, client_for
from shiftpractice.cohorts import services
from shiftpractice.cohorts.models import Cohort, Invitation, Membership, WorkshopMaterial
from shiftpractice.cohorts.uploads import MAX_MATERIAL_BYTES
from shiftpractice.core.models import AuditEvent, EmailDelivery
from tests.factories import AttendanceFactory, MembershipFactory, UserFactory

# The personas' world is built once for the module; each test's writes are rolled back (root conftest.py).
pytestmark = pytest.mark.world_per_module

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def setup(world):
    lead = world.people["lead"]
    invitation, _token = services.invitation_create(
        cohort=world.cohort, email="someone.new@example.org", role="participant", actor=lead
    )
    material = services.material_add(
        workshop=world.workshop,
        title="Slides",
        upload=SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf"),
        actor=lead,
    )
    return world, invitation, material


def expect(default, **overrides):
    result = {p: default for p in PERSONAS}
    result["anonymous"] = 302
    result.update(overrides)
    return result


COHORT_WRITE = expect(403, lead=200, other_participant=404, outsider=404)
COHORT_READ = expect(200, other_participant=404, outsider=404)
LEAD_WRITE = expect(403, lead=200, outsider=404)

CASES = {
    "cohort add": (lambda w, i, m: reverse("cohorts:add", args=[w.programme.slug]), LEAD_WRITE),
    "cohort close": (lambda w, i, m: reverse("cohorts:close", args=[w.cohort.slug]), COHORT_WRITE),
    "member remove": (
        lambda w, i, m: reverse(
            "cohorts:member_remove", args=[w.cohort.slug, w.people["participant"].public_id]
        ),
        COHORT_WRITE,
    ),
    "member role": (
        lambda w, i, m: reverse(
            "cohorts:member_role", args=[w.cohort.slug, w.people["participant"].public_id]
        ),
        COHORT_WRITE,
    ),
    "invitation withdraw": (
        lambda w, i, m: reverse("cohorts:invitation_revoke", args=[i.public_id]),
        COHORT_WRITE,
    ),
    "material add": (
        lambda w, i, m: reverse("cohorts:material_add", args=[w.workshop.public_id]),
        COHORT_WRITE,
    ),
    "material remove": (lambda w, i, m: reverse("cohorts:material_remove", args=[m.public_id]), COHORT_WRITE),
    "material download": (
        lambda w, i, m: reverse("cohorts:material_download", args=[m.public_id]),
        COHORT_READ,
    ),
    "programme add": (lambda w, i, m: reverse("programmes:add"), expect(403, lead=200)),
    "programme leads": (lambda w, i, m: reverse("programmes:leads", args=[w.programme.slug]), LEAD_WRITE),
    "lead remove": (
        lambda w, i, m: reverse(
            "programmes:lead_remove", args=[w.programme.slug, w.people["lead"].public_id]
        ),
        LEAD_WRITE,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES)
def test_every_new_page_and_persona(client, setup, case, persona):
    world, invitation, material = setup
    url_of, expected = CASES[case]
    response = client_for(client, world.user(persona)).get(url_of(world, invitation, material))
    assert response.status_code == expected[persona], f"{case} as {persona}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_a_lead_can_resend_an_invitation(client, setup, persona):
    world, invitation, _material = setup
    response = client_for(client, world.user(persona)).post(
        reverse("cohorts:invitation_resend", args=[invitation.public_id])
    )
    expected = expect(403, lead=302, other_participant=404, outsider=404)[persona]
    assert response.status_code == expected
    assert Invitation.objects.count() == (2 if persona == "lead" else 1)


# --- Set-up ---------------------------------------------------------------------------------------------------


def test_a_lead_creates_a_cohort_with_its_coaches(client, world):
    coach = UserFactory(email="new.coach@example.org")
    client_for(client, world.people["lead"])
    response = client.post(
        reverse("cohorts:add", args=[world.programme.slug]),
        {
            "name": "Cohort 3",
            "start_date": "2031-01-10",
            "end_date": "2031-06-30",
            "capacity": "12",
            "status": "recruiting",
            "coaches": "New.Coach@example.org\n",
        },
    )
    cohort = Cohort.objects.get(name="Cohort 3")
    assert response.status_code == 302 and response.url == reverse("cohorts:members", args=[cohort.slug])
    assert cohort.programme == world.programme and cohort.capacity == 12
    assert Membership.objects.get(cohort=cohort, user=coach).role == "coach"
    assert AuditEvent.objects.filter(verb="cohort.created", object_id=str(cohort.pk)).exists()


def test_an_unknown_coach_is_named_and_no_cohort_is_made(client, world):
    client_for(client, world.people["lead"])
    response = client.post(
        reverse("cohorts:add", args=[world.programme.slug]),
        {
            "name": "Cohort 3",
            "start_date": "2031-01-10",
            "end_date": "2031-06-30",
            "capacity": "12",
            "status": "planned",
            "coaches": "nobody@example.org",
        },
    )
    assert response.status_code == 200
    assert "There is no account for nobody@example.org" in response.content.decode()
    assert not Cohort.objects.filter(name="Cohort 3").exists()


def test_capacity_below_membership_is_refused_and_nothing_changes(client, world):
    MembershipFactory(cohort=world.cohort, role="participant")
    client_for(client, world.people["lead"])
    response = client.post(
        reverse("cohorts:edit", args=[world.cohort.slug]),
        {
            "name": "Renamed",
            "start_date": "2030-01-01",
            "end_date": "2030-06-30",
            "capacity": "1",
            "status": "running",
        },
    )
    assert response.status_code == 200
    assert "already has 2 participants: the capacity cannot be less than that" in response.content.decode()
    world.cohort.refresh_from_db()
    assert world.cohort.name == "Cohort A" and world.cohort.capacity == 10


def test_closing_a_cohort_withdraws_its_invitations_and_keeps_its_members(client, setup):
    world, invitation, _material = setup
    client_for(client, world.people["lead"])
    url = reverse("cohorts:close", args=[world.cohort.slug])
    assert client.post(url).status_code == 200  # without the confirmation, nothing happens
    world.cohort.refresh_from_db()
    assert world.cohort.status != "finished"
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    world.cohort.refresh_from_db()
    invitation.refresh_from_db()
    assert world.cohort.status == "finished" and invitation.is_revoked
    assert Membership.objects.filter(cohort=world.cohort).count() == 3  # members stay
    assert AuditEvent.objects.filter(verb="cohort.closed", object_id=str(world.cohort.pk)).exists()
    response = client.post(url, {"confirm": "yes"})  # closing twice: told, nothing changes
    assert response.status_code == 409 and "already closed" in response.content.decode()


def test_programme_set_up_by_a_lead_and_by_staff(client, world):
    client_for(client, world.people["lead"])
    response = client.post(
        reverse("programmes:add"), {"name": "Second wave", "summary": "More", "organisation": "Academy"}
    )
    assert response.status_code == 302
    from shiftpractice.programmes.models import Programme

    second = Programme.objects.get(name="Second wave")
    assert list(second.leads.all()) == [world.people["lead"]]
    staff = UserFactory(is_staff=True)
    client.logout()
    client_for(client, staff)
    response = client.post(
        reverse("programmes:add"),
        {"name": "Third", "summary": "", "organisation": "Academy", "leads": "coach@example.org"},
    )
    third = Programme.objects.get(name="Third")
    assert list(third.leads.all()) == [world.people["coach"]]
    assert AuditEvent.objects.filter(verb="programme.created").count() == 2


def test_removing_the_last_lead_is_refused_and_nothing_changes(client, world):
    lead = world.people["lead"]
    client_for(client, lead)
    url = reverse("programmes:lead_remove", args=[world.programme.slug, lead.public_id])
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 409
    assert "only lead of Pilot programme" in response.content.decode()
    assert list(world.programme.leads.all()) == [lead]
    # With a second lead, the first can step down.
    client.post(reverse("programmes:leads", args=[world.programme.slug]), {"email": "coach@example.org"})
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert list(world.programme.leads.all()) == [world.people["coach"]]


# --- Membership -----------------------------------------------------------------------------------------------


def test_changing_a_role_and_refusing_a_participant_beyond_capacity(client, world):
    client_for(client, world.people["lead"])
    friend = world.people["critical_friend"]
    url = reverse("cohorts:member_role", args=[world.cohort.slug, friend.public_id])
    response = client.post(url, {"role": "observer"}, follow=True)
    assert "Chris Friend&#x27;s role in Cohort A is now Observer." in response.content.decode()
    assert Membership.objects.get(cohort=world.cohort, user=friend).role == "observer"
    world.cohort.capacity = 1
    world.cohort.save()
    response = client.post(url, {"role": "participant"})
    assert "is full: it has room for 1 participants. Nothing was changed." in response.content.decode()
    assert Membership.objects.get(cohort=world.cohort, user=friend).role == "observer"
    assert AuditEvent.objects.filter(verb="membership.role_changed").count() == 1


# --- Invitations ----------------------------------------------------------------------------------------------


def test_withdrawing_an_invitation_stops_its_link(client, world):
    invitation, token = services.invitation_create(
        cohort=world.cohort, email="x@example.org", role="participant", actor=world.people["lead"]
    )
    client_for(client, world.people["lead"])
    page = client.get(reverse("cohorts:members", args=[world.cohort.slug])).content.decode()
    assert "x@example.org" in page and "expires" in page
    client.post(reverse("cohorts:invitation_revoke", args=[invitation.public_id]), {"confirm": "yes"})
    invitation.refresh_from_db()
    assert invitation.is_revoked and AuditEvent.objects.filter(verb="invitation.revoked").exists()
    client.logout()
    response = client.get(reverse("cohorts:invitation_accept", args=[token]))
    assert response.status_code == 404 and "withdrawn by the programme lead" in response.content.decode()


def test_resending_sends_a_new_link_and_the_old_one_stops(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, old_token = services.invitation_create(
            cohort=world.cohort, email="x@example.org", role="participant", actor=world.people["lead"]
        )
    client_for(client, world.people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cohorts:invitation_resend", args=[invitation.public_id]), follow=True)
    assert "A new invitation to x@example.org is on its way" in response.content.decode()
    assert len(mail.outbox) == 2
    assert Invitation.objects.filter(email="x@example.org", superseded_at__isnull=True).count() == 1
    client.logout()
    assert client.get(reverse("cohorts:invitation_accept", args=[old_token])).status_code == 404


def test_resending_to_someone_who_has_since_joined_changes_nothing(client, world):
    invitation, token = services.invitation_create(
        cohort=world.cohort, email="x@example.org", role="participant", actor=world.people["lead"]
    )
    services.invitation_accept(
        token=token, full_name="X", password="a-long-passphrase-9", accepts_sharing_terms=True
    )
    emails = EmailDelivery.objects.count()
    client_for(client, world.people["lead"])
    response = client.post(reverse("cohorts:invitation_resend", args=[invitation.public_id]), follow=True)
    assert "x@example.org has since joined Cohort A: there is nothing to resend." in response.content.decode()
    assert Invitation.objects.count() == 1 and EmailDelivery.objects.count() == emails


def test_joining_shows_and_records_the_sharing_terms(client, world):
    _invitation, token = services.invitation_create(
        cohort=world.cohort, email="x@example.org", role="participant", actor=world.people["lead"]
    )
    url = reverse("cohorts:invitation_accept", args=[token])
    page = client.get(url).content.decode()
    assert "leads and critical friends can read every change project in the programme" in page
    data = {"full_name": "X", "password1": "a-long-passphrase-9", "password2": "a-long-passphrase-9"}
    response = client.post(url, data)
    assert "Confirm you accept the programme&#x27;s sharing terms" in response.content.decode()
    assert not Membership.objects.filter(user__email="x@example.org").exists()
    client.post(url, {**data, "accept_terms": "on"})
    assert Membership.objects.get(user__email="x@example.org").sharing_terms_accepted_at is not None


# --- Workshop materials and attendance ------------------------------------------------------------------------


def _upload(client, world, name, content, content_type, title="Handout"):
    return client.post(
        reverse("cohorts:material_add", args=[world.workshop.public_id]),
        {"title": title, "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_a_lead_adds_a_link_and_a_file_and_members_download_it_safely(client, world):
    client_for(client, world.people["lead"])
    client.post(
        reverse("cohorts:material_add", args=[world.workshop.public_id]),
        {"title": "Recording", "url": "https://video.example.org/w1"},
    )
    assert _upload(client, world, "handout.pdf", PDF, "application/pdf").status_code == 302
    stored = WorkshopMaterial.objects.get(title="Handout")
    assert stored.filename == "handout.pdf" and "handout" not in stored.file.name
    client.logout()
    client_for(client, world.people["participant"])
    page = client.get(world.workshop.get_absolute_url()).content.decode()
    assert "https://video.example.org/w1" in page and stored.href in page
    response = client.get(stored.href)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and "handout.pdf" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    "name, content, content_type, message",
    [
        ("page.html", b"<script>alert(1)</script>", "text/html", "The file must be a PDF"),
        ("fake.pdf", b"<html><script></script></html>", "application/pdf", "content is not a PDF"),
        ("slides.pdf", PDF, "text/html", "was sent as text/html"),
        ("empty.pdf", b"", "application/pdf", "empty"),
        # Stopped while the request is read (core.uploads), before the file is checked or stored.
        ("big.pdf", b"%PDF-" + b"0" * MAX_MATERIAL_BYTES, "application/pdf", "the largest file that can be"),
    ],
)
def test_unsafe_uploads_are_refused_and_nothing_is_stored(
    client, world, tmp_path, name, content, content_type, message
):
    client_for(client, world.people["lead"])
    response = _upload(client, world, name, content, content_type)
    assert response.status_code == 200 and message in response.content.decode()
    assert not WorkshopMaterial.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_removing_a_file_material_deletes_the_file(
    client, setup, tmp_path, django_capture_on_commit_callbacks
):
    world, _invitation, material = setup
    path = material.file.path
    client_for(client, world.people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cohorts:material_remove", args=[material.public_id]), {"confirm": "yes"})
    assert not WorkshopMaterial.objects.exists()
    import os

    assert not os.path.exists(path)


def test_attendance_is_shown_to_leads_and_facilitators_only(client, world):
    AttendanceFactory(workshop=world.workshop, user=world.people["participant"], status="attended")
    facilitator = UserFactory(full_name="Fay Facilitator")
    world.workshop.facilitators.add(facilitator)
    url = world.workshop.get_absolute_url()
    for person, sees in [
        (world.people["lead"], True),
        (facilitator, True),
        (world.people["participant"], False),
        (world.people["coach"], False),
    ]:
        client.logout()
        page = client_for(client, person).get(url).content.decode()
        assert ("<h2>Attendance</h2>" in page) is sees, person
        if sees:
            assert "Pat Participant" in page and "Attended" in page

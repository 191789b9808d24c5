"""Export my data: the ZIP's contents file by file for a participant, a coach and a lead; one export at a time;
downloaded once, by its person only, and never after it expires."""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shiftpractice.coaching.services import journal, support
from shiftpractice.core.models import AuditEvent
from shiftpractice.measures import services as measure_services
from shiftpractice.notifications.choices import Delivery
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.models import Notification, NotificationPreference
from shiftpractice.privacy import contents, services
from shiftpractice.privacy.choices import ExportStatus
from shiftpractice.privacy.models import DataExport
from shiftpractice.projects import services as project_services
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
PAGE = "/accounts/profile/data/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lives(world):
    """The participant's project, data, private journal entry and a coach's contact with a private note; the
    other participant's private entry (which must never leak)."""
    people = world.people
    p, coach = people["participant"], people["coach"]
    project = project_services.project_create(
        owner=p, cohort=world.cohort, title="Green prescribing", actor=p
    )
    measure = measure_services.measure_create(
        project=project, name="Referrals", measure_type="outcome", data_kind="count", actor=p
    )
    measure_services.point_save(
        measure=measure, period=date(2024, 1, 1), value=7, note="first month", actor=p
    )
    journal.entry_create(
        author=p, cohort=world.cohort, title="Doubts", body="I am not sure about my manager."
    )
    journal.entry_create(
        author=people["other_participant"],
        cohort=world.other_cohort,
        title="Olu's secret",
        body="Nobody knows.",
    )
    assignment = support.assignment_create(
        cohort=world.cohort,
        coach=coach,
        participant=p,
        starts_on=date(2024, 1, 1),
        actor=people["lead"],
        quiet=True,
    )
    support.contact_log(
        assignment=assignment,
        actor=coach,
        occurred_on=date(2024, 2, 1),
        mode="telephone",
        duration_minutes=30,
        initiated_by="coach",
        summary="We talked about the first cycle.",
        notes="Seems anxious about the manager.",
        backdated=True,
    )
    return world


def export_for(user) -> dict:
    data, names, _coached = services.build_zip(user)
    archive = zipfile.ZipFile(io.BytesIO(data))
    files = {name.removeprefix("shiftpractice-data/"): archive.read(name) for name in archive.namelist()}
    assert list(files) == names
    return files


def test_participant_export_holds_their_own_data_and_nothing_private_of_others(lives):
    p = lives.people["participant"]
    files = export_for(p)
    assert {"README.txt", "profile.json", "projects.json", "measures.csv", "journal.json", "coaching.json",
            "posts_and_comments.json", "survey_answers.csv", "activity.json"} <= set(files)  # fmt: skip
    profile = json.loads(files["profile.json"])
    assert profile["email"] == p.email and profile["memberships"][0]["cohort"] == "Cohort A"
    projects = json.loads(files["projects.json"])
    assert projects[0]["title"] == "Green prescribing" and projects[0]["your_role"] == "owner"
    assert projects[0]["measures"][0]["name"] == "Referrals"
    measures = files["measures.csv"].decode("utf-8-sig").splitlines()
    assert measures[0].startswith("project,measure,period,value")
    assert (
        measures[1].startswith("Green prescribing,Referrals,2024-01-01,7.0") and "first month" in measures[1]
    )
    entries = json.loads(files["journal.json"])
    assert [e["title"] for e in entries] == ["Doubts"] and entries[0]["who_could_read_it"] == "Only me"
    coaching = json.loads(files["coaching.json"])
    contact = coaching["coaching_you_received"][0]["contacts"][0]
    assert contact["summary"] == "We talked about the first cycle."
    everything = b"".join(files.values()).decode("utf-8", "replace")
    assert "Seems anxious" not in everything  # the coach's private note
    assert "Olu's secret" not in everything and "Nobody knows" not in everything
    readme = files["README.txt"].decode()
    assert "Pilot programme: Your coach may keep private notes" in readme and "Only the coach" in readme
    activity = json.loads(files["activity.json"])
    assert any(a["what"] == "measure.created" for a in activity)


def test_coach_export_holds_the_notes_they_wrote(lives):
    files = export_for(lives.people["coach"])
    given = json.loads(files["coaching.json"])["coaching_you_gave"]
    assert given[0]["participant"] == "Pat Participant"
    assert given[0]["contacts"][0]["your_private_note"] == "Seems anxious about the manager."
    assert "I am not sure about my manager" not in b"".join(files.values()).decode("utf-8", "replace")
    assert json.loads(files["journal.json"]) == [] and json.loads(files["projects.json"]) == []


def test_lead_export_names_the_programmes_they_lead_and_no_one_elses_data(lives):
    files = export_for(lives.people["lead"])
    assert json.loads(files["profile.json"])["programmes_led"] == ["Pilot programme"]
    everything = b"".join(files.values()).decode("utf-8", "replace")
    for private in ("Seems anxious", "I am not sure", "Nobody knows", "first month"):
        assert private not in everything
    assert "You have had no coach" in files["README.txt"].decode()


def test_ask_build_and_download_once(lives, login, django_capture_on_commit_callbacks):
    p = lives.people["participant"]
    client = login(p)
    assert "Ask for a copy of my data" in client.get(PAGE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(PAGE).status_code == 302  # the task runs at once in tests (the immediate backend)
    export = DataExport.objects.get(user=p)
    assert export.status == ExportStatus.READY and export.size > 0
    page = client.get(PAGE).content.decode()
    assert "Ready to download" in page
    url = f"{PAGE}{export.public_id}/download/"
    assert client.get(url).status_code == 405  # a GET (a link preview) never uses up the download
    other = Client()
    other.force_login(lives.people["lead"], backend="django.contrib.auth.backends.ModelBackend")
    assert other.post(url).status_code == 404
    response = client.post(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "journal.json" in str(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    export.refresh_from_db()
    assert export.status == ExportStatus.DOWNLOADED and not export.file
    again = client.post(url)
    assert again.status_code == 302
    assert "already been downloaded" in client.get(PAGE).content.decode()


def test_a_second_request_while_one_is_building_reuses_it(world):
    p = world.people["participant"]
    first = DataExport.objects.create(user=p)  # being built
    assert services.export_request(user=p, actor=p) == first
    assert DataExport.objects.filter(user=p).count() == 1


def test_an_expired_export_cannot_be_downloaded(lives):
    p = lives.people["participant"]
    export = services.export_build(DataExport.objects.create(user=p))
    later = timezone.now() + timedelta(days=8)
    with pytest.raises(Exception, match="expired"):
        services.export_take(export=export, actor=p, now=later)
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.file
    assert services.expire_exports(now=later) == 0  # idempotent


def test_the_profile_links_to_the_data_page(world, login):
    assert PAGE in login(world.people["participant"]).get("/accounts/profile/").content.decode()


def test_the_data_page_needs_sign_in():
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_ready_export_is_announced_and_emailed_as_the_person_chose(
    lives, django_capture_on_commit_callbacks, mailoutbox
):
    p = lives.people["participant"]
    NotificationPreference.objects.create(user=p, kind=Kind.DATA_EXPORT, delivery=Delivery.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_request(user=p, actor=p)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    note = Notification.objects.get(recipient=p, kind=Kind.DATA_EXPORT)
    assert note.title == "The copy of your data you asked for is ready to download"
    assert note.url == PAGE and "downloaded once" in note.body
    assert note.email is not None and note.email.to_address == p.email
    assert [m.subject for m in mailoutbox if p.email in m.to] == [note.title]
    # Someone who left the default (a daily digest) is told on the site, and by email only in the digest.
    lead = lives.people["lead"]
    with django_capture_on_commit_callbacks(execute=True):
        services.export_request(user=lead, actor=lead)
    quiet = Notification.objects.get(recipient=lead, kind=Kind.DATA_EXPORT)
    assert quiet.delivery == Delivery.DIGEST and quiet.email is None
    assert not [m for m in mailoutbox if lead.email in m.to]


def test_an_export_that_fails_to_build_is_announced(lives, monkeypatch):
    p = lives.people["participant"]

    def broken(user):
        raise RuntimeError("disk full")

    monkeypatch.setattr(contents, "PARTS", [broken])
    export = services.export_build(DataExport.objects.create(user=p))
    assert export.status == ExportStatus.FAILED and export.problem == "The export could not be made."
    note = Notification.objects.get(recipient=p, kind=Kind.DATA_EXPORT)
    assert note.title == "The copy of your data you asked for could not be made"
    assert "ask for a new one" in note.body


def test_a_coach_keeps_the_notes_they_wrote_after_the_coachee_moves_to_another_coach(lives):
    people = lives.people
    p, coach, lead = people["participant"], people["coach"], people["lead"]
    new_coach = UserFactory(full_name="Nia New", email="nia@example.org")
    MembershipFactory(cohort=lives.cohort, user=new_coach, role="coach")
    assignment = p.coach_assignments.get()
    support.assignment_update(
        assignment=assignment, coach=new_coach, starts_on=assignment.starts_on, ends_on=None, actor=lead
    )
    support.contact_log(
        assignment=assignment,
        actor=new_coach,
        occurred_on=date(2024, 3, 1),
        mode="video",
        duration_minutes=20,
        initiated_by="participant",
        summary="Handover chat.",
        notes="Nia's own note.",
        backdated=True,
    )
    before = json.loads(export_for(coach)["coaching.json"])["coaching_you_gave"]
    assert [(g["participant"], g["you_coach_them_now"]) for g in before] == [("Pat Participant", False)]
    assert [(c["summary"], c["your_private_note"]) for c in before[0]["contacts"]] == [
        ("We talked about the first cycle.", "Seems anxious about the manager.")
    ]  # the earlier coach's own contact and note; nothing the new coach wrote
    now = json.loads(export_for(new_coach)["coaching.json"])["coaching_you_gave"]
    assert now[0]["you_coach_them_now"] is True
    notes = {c["summary"]: c["your_private_note"] for c in now[0]["contacts"]}
    assert notes == {"We talked about the first cycle.": "", "Handover chat.": "Nia's own note."}
    everything = b"".join(export_for(new_coach).values()).decode("utf-8", "replace")
    assert "Seems anxious" not in everything  # the earlier coach's note stays theirs


def test_a_coach_with_a_coachee_and_no_contact_yet_lists_them(world):
    people = world.people
    support.assignment_create(
        cohort=world.cohort,
        coach=people["coach"],
        participant=people["participant"],
        starts_on=date(2024, 1, 1),
        actor=people["lead"],
        quiet=True,
    )
    given = json.loads(export_for(people["coach"])["coaching.json"])["coaching_you_gave"]
    assert given == [
        {"participant": "Pat Participant", "cohort": "Cohort A", "you_coach_them_now": True, "contacts": []}
    ]


def _aged(export, minutes: int) -> DataExport:
    DataExport.objects.filter(pk=export.pk).update(requested_at=timezone.now() - timedelta(minutes=minutes))
    export.refresh_from_db()
    return export


def test_an_export_stuck_past_its_lease_is_given_up_and_a_new_one_starts(
    lives, django_capture_on_commit_callbacks
):
    p = lives.people["participant"]
    recent = _aged(DataExport.objects.create(user=p), 10)  # a worker may still be on it: reused
    assert services.export_request(user=p, actor=p) == recent
    stuck = _aged(recent, 31)  # its worker died
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.export_request(user=p, actor=p)
    assert fresh != stuck
    stuck.refresh_from_db()
    assert stuck.status == ExportStatus.FAILED and stuck.problem == services.STALE_PROBLEM
    fresh.refresh_from_db()
    assert fresh.status == ExportStatus.READY
    # The dead worker's build, should it finish after all, keeps nothing: the new export stands.
    late = services.export_build(DataExport.objects.select_related("user").get(pk=stuck.pk))
    assert late.status == ExportStatus.FAILED and not late.file
    stuck_building = DataExport.objects.get(pk=stuck.pk)
    stuck_building.status = ExportStatus.BUILDING  # as the worker held it in memory when it started
    late = services.export_build(stuck_building)
    assert late.status == ExportStatus.FAILED and not late.file
    assert DataExport.objects.filter(user=p, status=ExportStatus.READY).get() == fresh


def test_the_sweep_gives_up_stuck_exports_and_tells_their_people(world):
    people = world.people
    stuck = _aged(DataExport.objects.create(user=people["participant"]), 45)
    recent = _aged(DataExport.objects.create(user=people["coach"]), 5)
    assert services.fail_stale_exports() == 1
    assert services.fail_stale_exports() == 0  # idempotent
    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert stuck.status == ExportStatus.FAILED and recent.status == ExportStatus.BUILDING
    note = Notification.objects.get(kind=Kind.DATA_EXPORT)
    assert note.recipient == people["participant"] and "could not be made" in note.title
    assert "the work preparing it stopped" in note.body
    # The person can ask again at once.
    again = services.export_request(user=people["participant"], actor=people["participant"])
    assert again.status == ExportStatus.BUILDING and again != stuck


def test_the_command_gives_up_stuck_exports(world):
    from io import StringIO

    from django.core.management import call_command

    stuck = _aged(DataExport.objects.create(user=world.people["participant"]), 45)
    out = StringIO()
    call_command("give_up_stuck_exports", stdout=out)
    assert "Gave up on 1 stuck export." in out.getvalue()
    stuck.refresh_from_db()
    assert stuck.status == ExportStatus.FAILED


def test_a_coachee_sees_that_their_coach_exported_the_coaching_records(lives, login):
    """The coach's copy holds the coachee's contacts: the coachee's access page says so; a participant's own
    export records no read of anyone."""
    p, coach = lives.people["participant"], lives.people["coach"]
    for person in (p, coach):
        export = services.export_request(user=person, actor=person)
        services.export_build(export)
    reads = AuditEvent.objects.filter(verb="read.coaching_export")
    assert [(e.actor, e.subject) for e in reads] == [(coach, p)]
    assert reads.get().programme_id == lives.programme.pk
    page = login(p).get("/accounts/profile/access/").content.decode()
    assert "Cara Coach" in page and "in a copy of their own data they downloaded" in page

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
from shiftpractice.measures import services as measure_services
from shiftpractice.privacy import services
from shiftpractice.privacy.choices import ExportStatus
from shiftpractice.privacy.models import DataExport
from shiftpractice.projects import services as project_services

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
    data, names = services.build_zip(user)
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

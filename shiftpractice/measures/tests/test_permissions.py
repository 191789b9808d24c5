"""Every measures view over every persona: data follows the project's visibility; the team writes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from shiftpractice.measures import imports
from shiftpractice.measures.models import DataPoint
from shiftpractice.projects import services as project_services
from tests.factories import UserFactory

from .conftest import make_measure

# The personas' world is built once for the module; each test's writes are rolled back (root conftest.py).
pytestmark = pytest.mark.world_per_module

PERSONAS = ["owner", "coach", "lead", "critical_friend", "other_participant", "outsider", "anonymous"]
READERS = {
    # The programme's leads and its cohorts' critical friends read every project of it (projects.permissions).
    "team": {"owner", "coach", "lead", "critical_friend"},
    "programme": {"owner", "coach", "lead", "critical_friend", "other_participant"},
    "public": {"owner", "coach", "lead", "critical_friend", "other_participant", "outsider", "anonymous"},
}
# Readable by anyone who can see the project; open to anonymous visitors for public projects.
READ_VIEWS = {
    "detail": ("measures:detail", "m", True),
    "chart_svg": ("measures:chart_svg", "m", True),
    "export_csv": ("measures:export_csv", "m", True),
    "export_xlsx": ("measures:export_xlsx", "m", True),
    "project": ("measures:project", "p", False),
    "project_csv": ("measures:project_csv", "p", True),
    "project_xlsx": ("measures:project_xlsx", "p", True),
}
WRITE_VIEWS = {
    "create": ("measures:create", "p"),
    "edit": ("measures:edit", "m"),
    "delete": ("measures:delete", "m"),
    "data": ("measures:data", "m"),
    "phases": ("measures:phases", "m"),
    "cycles": ("measures:cycles", "m"),
    "upload": ("measures:upload", "m"),
    "import": ("measures:import", "i"),
    "import_status": ("measures:import_status", "i"),
}


def people(world):
    return {
        "owner": world.people["participant"],
        "coach": world.people["coach"],
        "lead": world.people["lead"],
        "critical_friend": world.people["critical_friend"],
        "other_participant": world.people["other_participant"],
        "outsider": UserFactory(),
        "anonymous": None,
    }


def set_visibility(project, setting, world):
    project_services.project_update(project=project, visibility=setting, actor=project.owner)
    if setting == "public":
        project_services.project_approve_public(project=project, actor=world.people["lead"])


@pytest.fixture
def objects(project):
    measure = make_measure(project, values=[1, 2, 3])
    data_import = imports.import_upload(
        measure=measure,
        uploaded=SimpleUploadedFile("d.csv", b"period,value\n2021-05-01,4\n"),
        actor=project.owner,
    )
    imports.import_check(data_import)
    return {"p": project.public_id, "m": measure.public_id, "i": data_import.public_id}


@pytest.mark.parametrize("setting", READERS)
@pytest.mark.parametrize("view", READ_VIEWS)
def test_reading_follows_the_projects_visibility(client, world, project, objects, setting, view):
    name, key, public = READ_VIEWS[view]
    set_visibility(project, setting, world)
    who = people(world)
    for persona in PERSONAS:
        client.logout()
        response = client_for(client, who[persona]).get(reverse(name, args=[objects[key]]))
        if persona == "anonymous" and not public:
            expected = 302
        elif persona == "outsider" and not public:
            expected = 404  # beyond the public face, no more than an anonymous visitor gets
        else:
            expected = (
                200
                if persona in READERS[setting]
                else (302 if persona == "anonymous" and not public else 404)
            )
        assert response.status_code == expected, f"{view}, {setting}, {persona}"


@pytest.mark.parametrize("view", WRITE_VIEWS)
def test_only_the_team_opens_the_working_pages(client, world, project, objects, view):
    name, key = WRITE_VIEWS[view]
    set_visibility(project, "programme", world)
    who = people(world)
    expected = {
        "owner": 200,
        "coach": 403,
        "lead": 403,
        "critical_friend": 403,
        "other_participant": 403,
        "outsider": 404,
        "anonymous": 302,
    }
    for persona in PERSONAS:
        client.logout()
        response = client_for(client, who[persona]).get(reverse(name, args=[objects[key]]))
        assert response.status_code == expected[persona], f"{view}, {persona}"


def test_readers_cannot_write_data_or_commit_imports(client, world, project, objects):
    set_visibility(project, "programme", world)
    client_for(client, world.people["other_participant"])
    response = client.post(
        reverse("measures:data", args=[objects["m"]]), {"period": "2021-01-01", "value": 99}
    )
    assert response.status_code == 403
    response = client.post(reverse("measures:import_commit", args=[objects["i"]]))
    assert response.status_code == 403
    assert not DataPoint.objects.filter(value=99).exists() and not DataPoint.objects.filter(value=4).exists()


def test_programme_chart_settings_are_for_its_leads(client, world):
    url = reverse("measures:settings", args=[world.programme.slug])
    assert client_for(client, world.people["lead"]).get(url).status_code == 200
    client.post(url, {"rule_set": "ihi", "prefer_xmr": ""})
    assert world.programme.chart_settings.rule_set == "ihi"
    client.logout()
    assert client_for(client, world.people["participant"]).get(url).status_code == 404


def test_the_rules_page_is_public(client):
    assert client.get(reverse("measures:rules")).status_code == 200

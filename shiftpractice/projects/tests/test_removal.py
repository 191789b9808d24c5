"""Removing and editing on the driver diagram, the influence map and the sustainable value page: every removal
asks first (``core.confirm``), says what goes with it, and only a confirmed POST by the team removes anything."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from shiftpractice.core.models import AuditEvent
from shiftpractice.projects import services
from shiftpractice.projects.models import (
    CarbonActivity,
    DriverNode,
    FinancialImpact,
    SocialImpact,
    Stakeholder,
)

from .test_pages import factor_set  # noqa: F401  (a verified factor set, for carbon estimates)

CONFIRM = {"confirm": "yes"}


@pytest.fixture
def diagram(project):
    """A primary driver with two secondary drivers and three change ideas below it, and a second primary."""
    owner = project.owner
    add = services.driver_add
    primary = add(project=project, kind="primary", text="Clinicians know the offer", actor=owner)
    teach = add(project=project, kind="secondary", text="Teaching at meetings", parent=primary, actor=owner)
    leaflet = add(project=project, kind="secondary", text="Leaflets in rooms", parent=primary, actor=owner)
    talk = add(project=project, kind="change_idea", text="Five-minute talk", parent=teach, actor=owner)
    quiz = add(project=project, kind="change_idea", text="A quiz at lunch", parent=teach, actor=owner)
    poster = add(
        project=project, kind="change_idea", text="A poster by the sink", parent=leaflet, actor=owner
    )
    other = add(project=project, kind="primary", text="Patients ask for it", actor=owner)
    return {
        "primary": primary,
        "teach": teach,
        "leaflet": leaflet,
        "talk": talk,
        "quiz": quiz,
        "poster": poster,
        "other": other,
    }


def owner_client(client, project):
    return client_for(client, project.owner)


# The driver diagram -----------------------------------------------------------------------------------------


def test_the_confirmation_says_what_goes_with_a_driver_and_removes_nothing(client, project, diagram):
    owner_client(client, project)
    url = reverse("projects:driver_delete", args=[project.public_id, diagram["primary"].public_id])
    before = (DriverNode.objects.count(), AuditEvent.objects.count())
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Remove the primary driver “Clinicians know the offer”?" in body
    assert "also removes its 2 secondary drivers and 3 change ideas:" in body
    for text in (
        "Teaching at meetings",
        "Leaflets in rooms",
        "Five-minute talk",
        "A quiz at lunch",
        "poster",
    ):
        assert text in body
    assert "Patients ask for it" not in body
    assert 'name="confirm" value="yes"' in body and "Yes, remove it" in body
    assert f'href="{reverse("projects:drivers", args=[project.public_id])}"' in body  # the way back
    # A POST without the confirmation (a one-click form from an older page) only asks again.
    assert client.post(url, {}).status_code == 200
    assert (DriverNode.objects.count(), AuditEvent.objects.count()) == before


def test_a_confirmed_removal_takes_the_driver_and_everything_below_it(client, project, diagram):
    owner_client(client, project)
    url = reverse("projects:driver_delete", args=[project.public_id, diagram["primary"].public_id])
    response = client.post(url, CONFIRM, follow=True)
    assert response.redirect_chain[-1][0] == reverse("projects:drivers", args=[project.public_id])
    assert "removed, with the 5 boxes below it" in response.content.decode()
    assert list(DriverNode.objects.values_list("text", flat=True)) == ["Patients ask for it"]
    event = AuditEvent.objects.get(verb="driver.deleted")
    assert event.actor == project.owner and len(event.data["also_removed"]) == 5


def test_a_change_idea_alone_says_only_it_goes(client, project, diagram):
    owner_client(client, project)
    url = reverse("projects:driver_delete", args=[project.public_id, diagram["quiz"].public_id])
    assert "Only this change idea goes" in client.get(url).content.decode()
    client.post(url, CONFIRM)
    assert not DriverNode.objects.filter(text="A quiz at lunch").exists()
    assert DriverNode.objects.count() == 6


def test_a_driver_a_cycle_tests_cannot_be_removed_and_the_page_says_why(client, project, diagram):
    services.cycle_create(
        project=project, title="Talk at the May meeting", change_idea=diagram["talk"], actor=project.owner
    )
    owner_client(client, project)
    url = reverse("projects:driver_delete", args=[project.public_id, diagram["teach"].public_id])
    body = client.get(url).content.decode()
    assert "It cannot be removed now" in body
    assert "PDSA 1: Talk at the May meeting tests “Five-minute talk”" in body
    assert 'value="yes"' not in body  # no button to press
    response = client.post(url, CONFIRM)
    assert (
        response.status_code == 409 and "There is a problem: nothing was removed" in response.content.decode()
    )
    assert DriverNode.objects.count() == 7


def test_the_diagram_page_links_to_change_and_remove_each_box(client, project, diagram):
    owner_client(client, project)
    body = client.get(reverse("projects:drivers", args=[project.public_id])).content.decode()
    for node in diagram.values():
        assert reverse("projects:driver_edit", args=[project.public_id, node.public_id]) in body
        assert reverse("projects:driver_delete", args=[project.public_id, node.public_id]) in body
    assert 'method="post" action="/projects/' not in body  # no one-click removal left


def test_a_change_idea_is_edited_and_moved_to_another_driver(client, project, diagram):
    owner_client(client, project)
    url = reverse("projects:driver_edit", args=[project.public_id, diagram["quiz"].public_id])
    page = client.get(url).content.decode()
    assert 'value="A quiz at lunch"' in page
    assert f'<option value="{diagram["teach"].pk}" selected>' in page  # where it hangs now
    assert "Change idea: " not in page  # a change idea cannot hang from another change idea
    response = client.post(url, {"text": "A quiz at the team lunch", "parent": diagram["other"].pk})
    assert response.status_code == 302
    quiz = DriverNode.objects.get(pk=diagram["quiz"].pk)
    assert (quiz.text, quiz.parent_id, quiz.kind) == (
        "A quiz at the team lunch",
        diagram["other"].pk,
        "change_idea",
    )
    assert AuditEvent.objects.filter(verb="driver.updated", data__changed=["parent", "text"]).exists()


def test_moving_a_secondary_driver_takes_its_change_ideas_with_it(client, project, diagram):
    owner_client(client, project)
    url = reverse("projects:driver_edit", args=[project.public_id, diagram["teach"].public_id])
    page = client.get(url).content.decode()
    assert "Secondary driver: Leaflets" not in page  # a secondary driver hangs from a primary only
    client.post(url, {"text": "Teaching at meetings", "parent": diagram["other"].pk})
    assert set(DriverNode.objects.filter(parent__parent=diagram["other"]).values_list("text", flat=True)) == {
        "Five-minute talk",
        "A quiz at lunch",
    }


def test_a_primary_driver_edits_its_text_only(client, project, diagram):
    owner_client(client, project)
    url = reverse("projects:driver_edit", args=[project.public_id, diagram["primary"].public_id])
    assert 'name="parent"' not in client.get(url).content.decode()
    client.post(url, {"text": "Every clinician knows the offer", "parent": diagram["other"].pk})
    primary = DriverNode.objects.get(pk=diagram["primary"].pk)
    assert primary.text == "Every clinician knows the offer" and primary.parent_id is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "  "}, "Enter the text of the driver or change idea"),
        ({"text": "New words", "parent": "999999"}, "Hangs from: choose a box from this diagram"),
        ({"text": "New words", "parent": ""}, "Hangs from: choose the box it hangs from"),
    ],
)
def test_a_refused_edit_keeps_what_was_typed_and_names_the_field(client, project, diagram, data, message):
    owner_client(client, project)
    url = reverse("projects:driver_edit", args=[project.public_id, diagram["quiz"].public_id])
    body = client.post(url, {**data, "lens_tags": []}).content.decode()
    assert "There is a problem" in body and message in body
    assert f'href="#id_{"text" if "text" in message else "parent"}"' in body
    if data["text"].strip():
        assert f'value="{data["text"]}"' in body
    assert DriverNode.objects.get(pk=diagram["quiz"].pk).text == "A quiz at lunch"


def test_a_box_of_another_project_cannot_be_chosen(client, world, project, diagram):
    elsewhere = services.project_create(
        owner=project.owner, cohort=world.cohort, title="Elsewhere", actor=project.owner
    )
    theirs = services.driver_add(project=elsewhere, kind="primary", text="Not this one", actor=project.owner)
    owner_client(client, project)
    url = reverse("projects:driver_edit", args=[project.public_id, diagram["quiz"].public_id])
    body = client.post(url, {"text": "Moved", "parent": theirs.pk}).content.decode()
    assert "Hangs from: choose a box from this diagram" in body
    assert DriverNode.objects.get(pk=diagram["quiz"].pk).parent_id == diagram["teach"].pk


def test_every_error_of_the_add_form_names_its_field(client, project):
    owner_client(client, project)
    body = client.post(reverse("projects:drivers", args=[project.public_id]), {"text": ""}).content.decode()
    assert "What are you adding? Choose a primary driver" in body
    assert "Enter the text of the driver or change idea" in body
    body = client.post(
        reverse("projects:drivers", args=[project.public_id]), {"kind": "secondary", "text": "Orphan"}
    ).content.decode()
    assert "Hangs from: a secondary driver hangs from a primary driver." in body
    assert 'value="Orphan"' in body


def test_the_removal_and_edit_pages_run_a_fixed_number_of_queries(
    client, project, diagram, django_assert_max_num_queries
):
    owner_client(client, project)
    delete = reverse("projects:driver_delete", args=[project.public_id, diagram["primary"].public_id])
    edit = reverse("projects:driver_edit", args=[project.public_id, diagram["quiz"].public_id])

    def queries(url) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    small = {url: queries(url) for url in (delete, edit)}
    for i in range(30):  # a much bigger tree below the primary driver costs no more queries
        services.driver_add(
            project=project,
            kind="change_idea",
            text=f"Idea {i}",
            parent=diagram["leaflet"],
            actor=project.owner,
        )
        services.driver_add(
            project=project, kind="secondary", text=f"S {i}", parent=diagram["other"], actor=project.owner
        )
    assert {url: queries(url) for url in (delete, edit)} == small
    with django_assert_max_num_queries(14):
        assert "33 change ideas" in client.get(delete).content.decode()


# The influence map ------------------------------------------------------------------------------------------


@pytest.fixture
def stakeholder(project):
    return services.stakeholder_save(
        project=project,
        actor=project.owner,
        name="Practice manager",
        power=5,
        interest=4,
        circle="influence",
        stance_now="neutral",
        stance_hoped="champion",
    )


def test_a_stakeholder_is_removed_only_once_confirmed(client, project, stakeholder):
    owner_client(client, project)
    edit = client.get(reverse("projects:stakeholder_edit", args=[project.public_id, stakeholder.public_id]))
    url = reverse("projects:stakeholder_delete", args=[project.public_id, stakeholder.public_id])
    assert url in edit.content.decode()
    assert "Remove Practice manager from the influence map?" in client.get(url).content.decode()
    client.post(url, {})
    assert Stakeholder.objects.exists()
    assert client.post(url, CONFIRM).status_code == 302 and not Stakeholder.objects.exists()


# Sustainable value ------------------------------------------------------------------------------------------


@pytest.fixture
def impacts(project, factor_set):  # noqa: F811
    owner = project.owner
    carbon = services.carbon_activity_add(
        project=project,
        actor=owner,
        phase="before",
        label="Waste burnt",
        quantity=10,
        period="month",
        factor_set_ref=factor_set.ref,
        factor_key="incineration",
        unit="kg",
    )
    social = services.social_impact_add(
        project=project, actor=owner, group="Carers", direction="gain", description="Less travel"
    )
    financial = services.financial_impact_add(
        project=project, actor=owner, description="Fewer repeat visits", annual_gbp=Decimal("1200")
    )
    return {"carbon": carbon, "social": social, "financial": financial}


REMOVALS = {
    "carbon": ("projects:carbon_delete", CarbonActivity, "Remove the carbon estimate “Waste burnt”?", "129"),
    "social": (
        "projects:social_delete",
        SocialImpact,
        "Remove the social impact on “Carers”?",
        "Less travel",
    ),
    "financial": (
        "projects:financial_delete",
        FinancialImpact,
        "Remove the financial impact “Fewer repeat visits”?",
        "£1,200.00 a year",
    ),
}


VERBS = {
    "carbon": "carbon_activity.deleted",
    "social": "social_impact.deleted",
    "financial": "financial_impact.deleted",
}


@pytest.mark.parametrize("kind", REMOVALS)
def test_each_value_entry_is_removable_after_confirming(client, project, impacts, kind):
    name, model, question, shown = REMOVALS[kind]
    owner_client(client, project)
    url = reverse(name, args=[project.public_id, impacts[kind].public_id])
    assert url in client.get(reverse("projects:value", args=[project.public_id])).content.decode()
    body = client.get(url).content.decode()
    assert question in body and shown in body
    assert client.post(url, {}).status_code == 200 and model.objects.count() == 1
    response = client.post(url, CONFIRM)
    assert response.status_code == 302 and response.url == reverse("projects:value", args=[project.public_id])
    assert model.objects.count() == 0
    assert AuditEvent.objects.filter(verb=VERBS[kind]).count() == 1


def test_the_story_shows_no_removal_links(client, project, impacts):
    owner_client(client, project)
    body = client.get(reverse("projects:detail", args=[project.public_id])).content.decode()
    assert (
        "Carers" in body
        and reverse("projects:social_delete", args=[project.public_id, impacts["social"].public_id])
        not in body
    )


# Who may remove and edit ------------------------------------------------------------------------------------

PERSONAS = ["owner", "coach", "lead", "critical_friend", "other_participant", "outsider", "anonymous"]
# The project is shared with the whole programme: everyone in it reads it (403 to change it), the outsider
# (signed in, in no programme) may not know it exists.
EXPECTED = {
    "owner": 200,
    "coach": 403,
    "lead": 403,
    "critical_friend": 403,
    "other_participant": 403,
    "outsider": 404,
    "anonymous": 302,
}


def _who(world):
    return {
        "owner": world.people["participant"],
        **{p: world.people.get(p) for p in PERSONAS if p != "owner"},
    }


def _destructive_urls(project, diagram, stakeholder, impacts):
    pid = project.public_id
    return {
        "driver delete": reverse("projects:driver_delete", args=[pid, diagram["primary"].public_id]),
        "driver edit": reverse("projects:driver_edit", args=[pid, diagram["quiz"].public_id]),
        "stakeholder delete": reverse("projects:stakeholder_delete", args=[pid, stakeholder.public_id]),
        "carbon delete": reverse("projects:carbon_delete", args=[pid, impacts["carbon"].public_id]),
        "social delete": reverse("projects:social_delete", args=[pid, impacts["social"].public_id]),
        "financial delete": reverse("projects:financial_delete", args=[pid, impacts["financial"].public_id]),
    }


def _state():
    return (
        DriverNode.objects.count(),
        list(DriverNode.objects.order_by("pk").values_list("text", "parent_id")),
        Stakeholder.objects.count(),
        CarbonActivity.objects.count(),
        SocialImpact.objects.count(),
        FinancialImpact.objects.count(),
        AuditEvent.objects.count(),
    )


def test_only_the_team_reaches_the_confirmations_and_removes(world, project, diagram, stakeholder, impacts):
    services.project_update(project=project, visibility="programme", actor=project.owner)
    urls = _destructive_urls(project, diagram, stakeholder, impacts)
    who = _who(world)
    before = _state()
    for name, url in urls.items():
        for persona in PERSONAS:
            client = client_for(Client(), who[persona])
            got = client.get(url)
            assert got.status_code == EXPECTED[persona], f"GET {name} as {persona}"
            if persona == "anonymous":
                assert got.url.startswith(reverse("accounts:login"))
            if persona == "owner":
                continue
            data = {**CONFIRM, "text": "Hijacked", "parent": diagram["other"].pk}
            posted = client.post(url, data)
            assert posted.status_code == EXPECTED[persona], f"POST {name} as {persona}"
    assert _state() == before  # the owner only looked; nobody else changed anything

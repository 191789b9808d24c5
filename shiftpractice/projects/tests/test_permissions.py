"""Every project view over every persona and every visibility setting."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.projects import services
from tests.factories import UserFactory

# The personas' world is built once for the module; each test's writes are rolled back (root conftest.py).
pytestmark = pytest.mark.world_per_module

PERSONAS = ["owner", "coach", "lead", "critical_friend", "other_participant", "outsider", "anonymous"]

# Who can read the project under each visibility (the owner always can). The programme's lead and critical
# friends read every project in it, whatever the setting (the sharing terms accepted on joining).
READERS = {
    "team": {"owner", "coach", "lead", "critical_friend"},
    "cohort": {
        "owner",
        "coach",
        "lead",
        "critical_friend",
    },  # no other participant here; see the dedicated test
    "programme": {"owner", "coach", "lead", "critical_friend", "other_participant"},
    "public_pending": {"owner", "coach", "lead", "critical_friend", "other_participant"},
    "public": {"owner", "coach", "lead", "critical_friend", "other_participant", "outsider", "anonymous"},
}

READ_VIEWS = {
    "detail": lambda p, c: reverse("projects:detail", args=[p.public_id]),
    "lenses": lambda p, c: reverse("projects:lenses", args=[p.public_id]),
    "influence": lambda p, c: reverse("projects:influence", args=[p.public_id]),
    "drivers": lambda p, c: reverse("projects:drivers", args=[p.public_id]),
    "cycle": lambda p, c: reverse("projects:cycle", args=[p.public_id, c.number]),
    "progress": lambda p, c: reverse("projects:progress", args=[p.public_id]),
    "value": lambda p, c: reverse("projects:value", args=[p.public_id]),
}
# The project's public face: the only pages an anonymous visitor, or an account outside the programme, opens.
PUBLIC_VIEWS = {"detail"}

WRITE_VIEWS = {
    "edit": lambda p, c: reverse("projects:edit", args=[p.public_id]),
    "team": lambda p, c: reverse("projects:team", args=[p.public_id]),
    "cycle_create": lambda p, c: reverse("projects:cycle_create", args=[p.public_id]),
    "cycle_correct": lambda p, c: reverse("projects:cycle_correct", args=[p.public_id, c.number]),
}


def people(world):
    return {
        "owner": world.people["participant"],
        "coach": world.people["coach"],
        "lead": world.people["lead"],
        "critical_friend": world.people["critical_friend"],
        "other_participant": world.people["other_participant"],
        "outsider": world.people["outsider"],
        "anonymous": None,
    }


def set_visibility(project, setting, world):
    visibility = "public" if setting.startswith("public") else setting
    services.project_update(project=project, visibility=visibility, actor=project.owner)
    if setting == "public":
        services.project_approve_public(project=project, actor=world.people["lead"])


def expected_read(setting, persona, view):
    if persona == "anonymous" and view not in PUBLIC_VIEWS:
        return 302  # only the story itself is open to the public; the working pages need an account
    if persona == "outsider" and view not in PUBLIC_VIEWS:
        return 404  # signed in outside the programme: no more than an anonymous visitor gets
    return 200 if persona in READERS[setting] else 404


@pytest.mark.parametrize("setting", READERS)
@pytest.mark.parametrize("view", READ_VIEWS)
def test_reading_follows_visibility(client, world, project, setting, view):
    cycle = services.cycle_create(project=project, title="A test", actor=project.owner)
    set_visibility(project, setting, world)
    who = people(world)
    for persona in PERSONAS:
        client.logout()
        response = client_for(client, who[persona]).get(READ_VIEWS[view](project, cycle))
        assert response.status_code == expected_read(setting, persona, view), f"{view}, {setting}, {persona}"


@pytest.mark.parametrize("view", WRITE_VIEWS)
def test_only_the_team_can_open_the_editing_pages(client, world, project, view):
    cycle = services.cycle_create(project=project, title="A test", actor=project.owner)
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
        response = client_for(client, who[persona]).get(WRITE_VIEWS[view](project, cycle))
        assert response.status_code == expected[persona], f"{view}, {persona}"


def test_a_team_member_added_by_the_owner_can_edit(client, world, project):
    coach = world.people["coach"]
    services.member_add(project=project, user=coach, actor=project.owner)
    assert (
        client_for(client, coach).get(reverse("projects:edit", args=[project.public_id])).status_code == 200
    )


def test_cohort_visibility_reaches_fellow_participants_not_observers(client, world, project):
    from tests.factories import MembershipFactory

    peer = MembershipFactory(cohort=world.cohort, role="participant").user
    observer = MembershipFactory(cohort=world.cohort, role="observer").user
    url = reverse("projects:detail", args=[project.public_id])
    assert client_for(client, peer).get(url).status_code == 404
    set_visibility(project, "cohort", world)
    assert client_for(client, peer).get(url).status_code == 200
    client.logout()
    assert client_for(client, observer).get(url).status_code == 404


def test_writes_by_readers_change_nothing(client, world, project):
    set_visibility(project, "programme", world)
    client_for(client, world.people["other_participant"])
    response = client.post(reverse("projects:edit", args=[project.public_id]), {"title": "Hijacked"})
    assert response.status_code == 403
    response = client.post(
        reverse("projects:influence", args=[project.public_id]),
        {
            "name": "Intruder",
            "power": 3,
            "interest": 3,
            "circle": "influence",
            "stance_now": "unknown",
            "stance_hoped": "supporter",
        },
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title != "Hijacked" and not project.stakeholders.exists()


def test_only_a_lead_approves_a_public_project_and_asking_again_withdraws_it(client, world, project):
    set_visibility(project, "public_pending", world)
    url = reverse("projects:approve", args=[project.public_id])
    assert client_for(client, world.people["critical_friend"]).post(url).status_code == 403
    client.logout()
    page = client_for(client, world.people["lead"]).post(url, follow=True).content.decode()
    project.refresh_from_db()
    assert project.is_public and project.public_approved_by == world.people["lead"]
    # The page says the project was approved, by whom and when, and no longer that it waits.
    assert (
        f"(approved by {world.people['lead'].full_name} on {timezone.localtime(project.public_approved_at):%-d %B %Y})"
        in page
    )
    assert "waiting for a programme lead" not in page
    services.project_update(project=project, visibility="programme", actor=project.owner)
    assert project.public_approved_at is None
    assert project.public_approved_at is None or project.public_approved_at <= timezone.now()


def test_editing_an_approved_public_project_needs_approval_again(world, project):
    set_visibility(project, "public", world)
    assert project.is_public
    services.project_update(project=project, actor=project.owner, status="active")
    assert project.is_public  # status is not what the public reads
    services.project_update(project=project, actor=project.owner, title="A new title")
    assert not project.is_public and project.visibility == "public"


def test_the_public_never_sees_named_stakeholders(client, world, project):
    services.stakeholder_save(
        project=project,
        actor=project.owner,
        name="Dr Named Colleague",
        power=4,
        interest=2,
        circle="influence",
        stance_now="opposed",
        stance_hoped="supporter",
    )
    set_visibility(project, "public", world)
    url = reverse("projects:detail", args=[project.public_id])
    assert "Dr Named Colleague" not in client.get(url).content.decode()
    assert "Dr Named Colleague" not in client_for(client, UserFactory()).get(url).content.decode()
    client.logout()
    assert "Dr Named Colleague" in client_for(client, world.people["lead"]).get(url).content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_the_influence_map_keeps_its_names_from_an_outsider_of_a_public_project(client, world, project, htmx):
    """The leak found by probing: the map page and its htmx fragment named colleagues to any signed-in account."""
    services.stakeholder_save(
        project=project,
        actor=project.owner,
        name="Dr Named Colleague",
        group="Ward 7 matrons",
        power=4,
        interest=2,
        circle="influence",
        stance_now="opposed",
        stance_hoped="supporter",
        actions="Coffee before the board meeting",
    )
    set_visibility(project, "public", world)
    url = reverse("projects:influence", args=[project.public_id])
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_for(client, world.people["outsider"]).get(url, headers=headers)
    body = response.content.decode()
    assert response.status_code == 404
    for private in ("Dr Named Colleague", "Ward 7 matrons", "Coffee before the board"):
        assert private not in body
    client.logout()
    response = client_for(client, world.people["other_participant"]).get(url, headers=headers)
    assert response.status_code == 200 and "Ward 7 matrons" in response.content.decode()


def test_the_stakeholder_selector_names_no_one_to_the_public(world, project):
    """Every page that shows the map reads it through one selector, which asks the one rule."""
    from django.contrib.auth.models import AnonymousUser

    from shiftpractice.projects import selectors

    services.stakeholder_save(
        project=project, actor=project.owner, name="Dr Named Colleague", power=4, interest=2
    )
    set_visibility(project, "public", world)
    for viewer in (AnonymousUser(), world.people["outsider"]):
        assert selectors.stakeholder_list(project=project, viewer=viewer) == []
        assert selectors.project_page(project, viewer=viewer)["stakeholders"]() == []
    for persona in ("participant", "coach", "lead", "critical_friend", "other_participant"):
        fresh = type(project).objects.get(pk=project.pk)
        names = [s.name for s in selectors.stakeholder_list(project=fresh, viewer=world.people[persona])]
        assert names == ["Dr Named Colleague"], persona


def test_only_the_owner_chooses_visibility(client, world, project):
    member = world.people["coach"]
    services.member_add(project=project, user=member, actor=project.owner)
    with pytest.raises(ValidationError, match="Only the project's owner"):
        services.project_update(project=project, actor=member, visibility="programme")
    page = client_for(client, member).get(reverse("projects:edit", args=[project.public_id])).content.decode()
    assert 'name="visibility"' not in page
    project.refresh_from_db()
    assert project.visibility == "team"


def test_public_pdf_follows_visibility(client, world, project):
    url = reverse("projects:pdf", args=[project.public_id])
    assert client.get(url).status_code == 404
    set_visibility(project, "public", world)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

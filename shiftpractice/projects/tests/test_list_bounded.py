"""The project list (in the main navigation) shows a page of projects whatever the size of the programme, and
its search, filters and sort never show a project the person may not read."""

import pytest
from django.urls import reverse

from conftest import PERSONAS, client_for
from shiftpractice.core.tests.bounded import assert_bounded
from shiftpractice.projects.models import ChangeProject


def add_projects(world, n: int, *, owner, visibility: str = "programme", prefix: str = "Project") -> None:
    start = ChangeProject.objects.filter(title__startswith=prefix).count()
    ChangeProject.objects.bulk_create(
        ChangeProject(owner=owner, cohort=world.cohort, title=f"{prefix} {i:05d}", visibility=visibility)
        for i in range(start, start + n)
    )


@pytest.mark.parametrize("persona", ["participant", "lead"])
def test_the_project_list_is_the_same_size_with_50_or_500_projects(client, world, persona):
    owner = world.people["other_participant"]
    client_for(client, world.people[persona])
    assert_bounded(client, reverse("projects:list"), lambda n: add_projects(world, n, owner=owner))
    page = client.get(reverse("projects:list"), {"page": "last"}).content.decode()
    assert "Showing 476 to 500 of 500 projects" in page


def test_search_filter_and_sort_run_over_every_project_not_only_the_page(client, world):
    owner = world.people["other_participant"]
    add_projects(world, 60, owner=owner)
    ChangeProject.objects.filter(title="Project 00007").update(title="Greener inhalers", status="active")
    client_for(client, world.people["participant"])
    page = client.get(reverse("projects:list"), {"q": "inhalers"}).content.decode()
    assert "Greener inhalers" in page and "Project 00001" not in page
    page = client.get(reverse("projects:list"), {"status": "active"}).content.decode()
    assert "Greener inhalers" in page and "Project 00001" not in page
    page = client.get(reverse("projects:list"), {"sort": "title"}).content.decode()
    assert "Greener inhalers" in page and "Project 00059" not in page
    assert client.get(reverse("projects:list"), {"sort": "owner__password"}).status_code == 200


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_no_parameter_widens_the_list(client, world, persona):
    """A team-only project in cohort A is read by its owner, the coach and the overseers only, whatever the
    search, status, sort or page asked for."""
    add_projects(world, 3, owner=world.people["participant"], visibility="team", prefix="Private")
    client_for(client, world.people[persona])
    shown = set()
    for params in (
        {},
        {"q": "Private"},
        {"status": "draft"},
        {"sort": "title"},
        {"page": "last", "mine": "last"},
    ):
        page = client.get(reverse("projects:list"), params).content.decode()
        shown.add("Private 00001" in page)
    expected = persona in {"participant", "coach", "lead", "critical_friend"}
    assert shown == {expected}


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("projects:list"), {"q": "x", "sort": "title"})
    assert response.status_code == 302

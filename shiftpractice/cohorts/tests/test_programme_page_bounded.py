"""The programme page shows a page of cohorts (and of workshops) whatever the number, searched, filtered and
sorted in the database; no parameter shows the page to someone outside the programme."""

import pytest
from django.urls import reverse

from conftest import PERSONAS, client_for
from shiftpractice.cohorts.models import Cohort
from shiftpractice.cohorts.tests.bulk import add_cohorts
from shiftpractice.core.tests.bounded import assert_bounded


@pytest.mark.parametrize("persona", ["lead", "participant"])
def test_the_programme_page_with_500_cohorts_is_the_size_of_one_with_50(client, world, persona):
    client_for(client, world.people[persona])
    assert_bounded(client, world.programme.get_absolute_url(), lambda n: add_cohorts(world, n))


def test_cohorts_are_searched_filtered_and_sorted_over_all_of_them(client, world):
    add_cohorts(world, 60)
    Cohort.objects.filter(name="Cohort 00044").update(name="Autumn leaders", status="running")
    client_for(client, world.people["lead"])
    url = world.programme.get_absolute_url()
    page = client.get(url, {"q": "autumn"}).content.decode()
    assert "Autumn leaders" in page and "Cohort 00003" not in page
    page = client.get(url, {"status": "running"}).content.decode()
    assert "Autumn leaders" in page and "Cohort 00003" not in page
    page = client.get(url, {"sort": "name"}).content.decode()
    assert "Autumn leaders" in page and "Cohort 00061" not in page
    assert "of 62 cohorts" in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_parameter_opens_the_page_to_someone_outside_the_programme(client, world, persona):
    client_for(client, world.people[persona])
    response = client.get(
        world.programme.get_absolute_url(), {"q": "Cohort", "status": "planned", "page": "last"}
    )
    expected = {"anonymous": 302, "outsider": 404}.get(persona, 200)
    assert response.status_code == expected
    if expected == 200:
        # Cohorts a person is not in are named but not linked, on every page of the list.
        page = response.content.decode()
        linked = reverse("cohorts:detail", args=[world.other_cohort.slug]) in page
        assert linked == (persona in {"lead", "other_participant"})

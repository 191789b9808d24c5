"""Deleting a data point asks first (``core.confirm``): the page shows the period's value, and only the team's
confirmed POST deletes it, keeping the deletion in the measure's history."""

from django.test import Client
from django.urls import reverse

from conftest import client_for
from shiftpractice.measures.models import DataPoint, DataPointChange
from shiftpractice.projects import services as project_services

from .conftest import make_measure, month

CONFIRM = {"confirm": "yes"}


def test_the_table_links_to_a_confirmation_that_shows_the_point(client, project):
    measure = make_measure(project, values=[4, 6])
    client_for(client, project.owner)
    url = reverse("measures:point_delete", args=[measure.public_id, "2021-02-01"])
    table = client.get(reverse("measures:data", args=[measure.public_id])).content.decode()
    assert f'href="{url}"' in table and 'name="delete"' not in table
    body = client.get(url).content.decode()
    assert "Delete the data point for 1 Feb 2021?" in body and "1 Feb 2021: 6" in body
    assert "Yes, delete it" in body and reverse("measures:data", args=[measure.public_id]) in body
    client.post(url, {})
    assert DataPoint.objects.filter(measure=measure).count() == 2
    response = client.post(url, CONFIRM, follow=True)
    assert "The data point for 1 Feb 2021 is deleted." in response.content.decode()
    assert list(DataPoint.objects.filter(measure=measure).values_list("period", flat=True)) == [month(0)]
    change = DataPointChange.objects.get(action="deleted")
    assert change.old["value"] == 6 and change.changed_by == project.owner


def test_a_proportion_shows_its_numerator_and_denominator(client, project):
    measure = make_measure(project, values=[(3, 10)], kind="proportion", name="Share seen")
    client_for(client, project.owner)
    body = client.get(
        reverse("measures:point_delete", args=[measure.public_id, "2021-01-01"])
    ).content.decode()
    assert "1 Jan 2021: 3 out of 10" in body


def test_a_period_that_is_not_there_or_not_a_date_is_404(client, project):
    measure = make_measure(project, values=[4])
    client_for(client, project.owner)
    for period in ("2021-05-01", "not-a-date"):
        url = reverse("measures:point_delete", args=[measure.public_id, period])
        assert client.get(url).status_code == 404
        assert client.post(url, CONFIRM).status_code == 404
    assert DataPoint.objects.count() == 1


EXPECTED = {
    "participant": 200,  # the project's owner
    "coach": 403,
    "lead": 403,
    "critical_friend": 403,
    "other_participant": 403,
    "outsider": 404,
    "anonymous": 302,
}


def test_only_the_team_reaches_the_confirmation_or_deletes(world, project, django_assert_max_num_queries):
    project_services.project_update(project=project, visibility="programme", actor=project.owner)
    measure = make_measure(project, values=list(range(40)))
    url = reverse("measures:point_delete", args=[measure.public_id, "2021-01-01"])
    for persona, expected in EXPECTED.items():
        client = client_for(Client(), world.people[persona])
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == expected, persona
        if persona != "participant":
            assert client.post(url, CONFIRM).status_code == expected, persona
    assert DataPoint.objects.count() == 40 and not DataPointChange.objects.filter(action="deleted").exists()

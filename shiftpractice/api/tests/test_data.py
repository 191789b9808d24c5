"""Data points through the API: one at a time, in bulk through the import's service (all or nothing, every bad
row named, idempotent), paged with a cursor in a constant number of queries; charts; the SPC service."""

import io
import json
from datetime import date, timedelta

import pytest

from shiftpractice.measures import services as measure_services
from shiftpractice.measures.choices import ImportStatus
from shiftpractice.measures.models import DataImport, DataPoint
from shiftpractice.spc.cli import main as spc_cli

from .conftest import API

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def weekly_measure(aw, **fields):
    owner = aw.world.people["participant"]
    return measure_services.measure_create(
        project=aw.project,
        name=fields.pop("name", "Calls a week"),
        measure_type="process",
        data_kind=fields.pop("data_kind", "count"),
        frequency="week",
        actor=owner,
        **fields,
    )


def test_52_weeks_in_one_request_then_again_changes_nothing(api_world):
    measure = weekly_measure(api_world)
    client = api_world.client("participant")
    start = date(2024, 1, 1)  # a Monday
    rows = [{"period": (start + timedelta(weeks=i)).isoformat(), "value": 10 + i % 5} for i in range(52)]
    url = f"{API}/measures/{measure.public_id}/points/bulk"
    first = post(client, url, {"points": rows})
    assert first.status_code == 200, first.content
    assert first.json() | {"import_id": None} == {
        "created": 52,
        "changed": 0,
        "unchanged": 0,
        "import_id": None,
    }
    assert measure.points.count() == 52
    data_import = DataImport.objects.get(public_id=first.json()["import_id"])
    assert data_import.status == ImportStatus.DONE and data_import.measure == measure
    again = post(client, url, {"points": rows})
    assert again.json()["created"] == 0 and again.json()["unchanged"] == 52
    rows[3]["value"] = 99
    assert post(client, url, {"points": rows}).json()["changed"] == 1
    assert measure.points.get(period=start + timedelta(weeks=3)).value == 99
    # The chart on the page reads the same points.
    chart = client.get(f"{API}/measures/{measure.public_id}/chart").json()
    assert len(chart["periods"]) == 52 and len(chart["result"]["y"]) == 52


def test_one_bad_row_writes_nothing_and_every_bad_row_is_named(api_world):
    measure = api_world.measure
    before = list(DataPoint.objects.filter(measure=measure).values_list("period", "value"))
    rows = [
        {"period": "2030-01-01", "value": 5},
        {"period": "2030-02-01", "value": -1},  # a count cannot be negative
        {"period": "2030-03-01", "value": 2.5},  # nor a fraction
        {"period": "2030-04-01"},  # no value
        {"period": "2030-05-01", "value": 8},
    ]
    response = post(
        api_world.client("participant"), f"{API}/measures/{measure.public_id}/points/bulk", {"points": rows}
    )
    assert response.status_code == 422
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert "nothing was written" in body["detail"]
    assert {e["pointer"] for e in body["errors"]} == {
        "#/points/1/value",
        "#/points/2/value",
        "#/points/3/value",
    }
    assert list(DataPoint.objects.filter(measure=measure).values_list("period", "value")) == before
    assert not DataImport.objects.filter(measure=measure, status=ImportStatus.DONE).exists()


def test_bulk_rows_repeating_a_period_or_breaking_a_proportion_are_named(api_world):
    measure = weekly_measure(api_world, name="Seen in time", data_kind="proportion")
    rows = [
        {"period": "2024-01-01", "numerator": 3, "denominator": 4},
        {"period": "2024-01-03", "numerator": 1, "denominator": 4},  # the same week
        {"period": "2024-01-08", "numerator": 5, "denominator": 4},
    ]
    body = post(
        api_world.client("participant"), f"{API}/measures/{measure.public_id}/points/bulk", {"points": rows}
    ).json()
    assert {e["pointer"] for e in body["errors"]} == {"#/points/1/period", "#/points/2/numerator"}
    assert not measure.points.exists()


def test_bulk_limits_and_unknown_fields(api_world, settings):
    settings.API_BULK_MAX_ROWS = 3
    url = f"{API}/measures/{api_world.measure.public_id}/points/bulk"
    client = api_world.client("participant")
    rows = [{"period": f"2030-0{i}-01", "value": 1} for i in range(1, 5)]
    assert post(client, url, {"points": rows}).status_code == 413
    response = post(client, url, {"points": [{"period": "2030-01-01", "value": 1, "colour": "red"}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/points/0/colour"
    assert post(client, url, {"points": []}).status_code == 422
    assert not api_world.measure.points.filter(period__year=2030).exists()


def test_one_point_create_read_update_delete(api_world):
    client = api_world.client("participant")
    base = f"{API}/measures/{api_world.measure.public_id}/points"
    created = post(client, base, {"period": "2030-01-15", "value": 4, "note": "new rota"})
    assert created.status_code == 201
    assert created.json()["period"] == "2030-01-01"  # a monthly measure's period starts on the 1st
    assert post(client, base, {"period": "2030-01-01", "value": 4}).status_code == 409
    assert client.get(f"{base}/2030-01-01").json()["note"] == "new rota"
    changed = client.put(f"{base}/2030-01-01", json.dumps({"value": 6}), content_type="application/json")
    assert changed.status_code == 200 and changed.json()["value"] == 6
    assert client.delete(f"{base}/2030-01-01").status_code == 204
    assert client.get(f"{base}/2030-01-01").status_code == 404
    assert client.delete(f"{base}/2030-01-01").status_code == 404
    history = list(api_world.measure.changes.filter(period="2030-01-01").values_list("action", flat=True))
    assert sorted(history) == ["changed", "created", "deleted"]


def test_the_cursor_walks_every_point_once_in_order(api_world):
    client = api_world.client("coach")
    url = f"{API}/measures/{api_world.measure.public_id}/points"
    seen, cursor, pages = [], None, 0
    while True:
        body = client.get(url, {"limit": 7, **({"cursor": cursor} if cursor else {})}).json()
        seen += [p["period"] for p in body["results"]]
        pages += 1
        cursor = body["next"]
        if not cursor:
            break
    assert pages == 3
    expected = [
        p.isoformat() for p in api_world.measure.points.order_by("period").values_list("period", flat=True)
    ]
    assert seen == expected
    filtered = client.get(url, {"from": "2021-03-01", "to": "2021-05-01"}).json()["results"]
    assert [p["period"] for p in filtered] == ["2021-03-01", "2021-04-01", "2021-05-01"]
    tampered = client.get(url, {"cursor": body_cursor_tampered(client, url)})
    assert tampered.status_code == 422 and tampered.json()["errors"][0]["parameter"] == "cursor"


def body_cursor_tampered(client, url) -> str:
    cursor = client.get(url, {"limit": 2}).json()["next"]
    return cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")


def _points(measure, n: int):
    DataPoint.objects.filter(measure=measure).delete()
    start = date(2000, 1, 1)
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=start + timedelta(days=i), value=i % 7) for i in range(n)
    )


def _projects(aw, n: int):
    from shiftpractice.projects.models import ChangeProject

    owner = aw.world.people["participant"]
    ChangeProject.objects.bulk_create(
        ChangeProject(owner=owner, cohort=aw.world.cohort, title=f"P{i}", visibility="cohort")
        for i in range(n)
    )


def _workshops(aw, n: int):
    from django.utils import timezone

    from shiftpractice.cohorts.models import Workshop

    now = timezone.now()
    made = Workshop.objects.bulk_create(
        Workshop(
            programme=aw.world.programme,
            number=i,
            title=f"W{i}",
            starts_at=now,
            ends_at=now + timedelta(hours=1),
        )
        for i in range(n)
    )
    Workshop.cohorts.through.objects.bulk_create(
        Workshop.cohorts.through(workshop_id=w.pk, cohort_id=aw.world.cohort.pk) for w in made
    )


def _programmes(aw, n: int):
    from shiftpractice.programmes.models import Programme

    first = Programme.objects.filter(slug__startswith="bulk-").count()
    made = Programme.objects.bulk_create(
        Programme(name=f"Programme {i:05d}", slug=f"bulk-{i:05d}", organisation="Trust")
        for i in range(first, first + n)
    )
    lead = aw.world.people["lead"]
    Programme.leads.through.objects.bulk_create(
        Programme.leads.through(programme_id=p.pk, user_id=lead.pk) for p in made
    )


def _cohorts(aw, n: int):
    from shiftpractice.cohorts.tests.bulk import add_cohorts

    add_cohorts(aw.world, n)


def _measures(aw, n: int):
    from shiftpractice.measures.models import Measure

    first = Measure.objects.filter(project=aw.project).count()
    Measure.objects.bulk_create(
        Measure(
            project=aw.project,
            name=f"Measure {i:05d}",
            measure_type="process",
            data_kind="count",
            position=i,
        )
        for i in range(first, first + n)
    )


def _cycles(aw, n: int):
    from shiftpractice.projects.models import Cycle

    first = Cycle.objects.filter(project=aw.project).count() + 1
    Cycle.objects.bulk_create(
        Cycle(project=aw.project, number=i, title=f"Cycle {i}") for i in range(first, first + n)
    )


# Every list endpoint: its path, how to add n rows to it, who reads it. Each first page and next page stays
# within the budget, and takes the same queries at 50 rows as at 500.
LISTS = [
    ("/programmes", _programmes, "lead"),
    ("/cohorts", _cohorts, "lead"),
    ("/workshops", _workshops, "lead"),
    ("/projects", _projects, "lead"),
    ("/projects/{project}/cycles", _cycles, "coach"),
    ("/projects/{project}/measures", _measures, "coach"),
    ("/measures/{measure}/points", lambda aw, n: _points(aw.measure, n), "coach"),
]
# The token, the object the path names, whether the reader may read it (one more query unless they own the project
# or are on its team), one page, its prefetches.
QUERY_BUDGET = 7


@pytest.mark.parametrize(("path", "make", "persona"), LISTS, ids=[p for p, _, _ in LISTS])
def test_lists_take_the_same_queries_at_50_and_500_rows(
    api_world, django_assert_max_num_queries, path, make, persona
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_world.client(persona)
    url = f"{API}{path.format(measure=api_world.measure.public_id, project=api_world.project.public_id)}"
    counts = []
    for n in (50, 500):
        make(api_world, n)
        client.get(f"{API}/me")  # the token's last use is written at most once a minute: not counted below
        with django_assert_max_num_queries(QUERY_BUDGET), CaptureQueriesContext(connection) as first:
            body = client.get(url, {"limit": 40}).json()
        assert len(body["results"]) == 40 and body["next"], body
        with django_assert_max_num_queries(QUERY_BUDGET), CaptureQueriesContext(connection) as second:
            assert client.get(url, {"limit": 40, "cursor": body["next"]}).status_code == 200
        counts.append((len(first.captured_queries), len(second.captured_queries)))
    print(f"queries {path}: first page, next page at 50 and 500 rows: {counts}")
    assert counts[0] == counts[1], counts


def test_the_chart_is_the_engines_result_with_explanations(api_world):
    body = (
        api_world.client("critical_friend").get(f"{API}/measures/{api_world.measure.public_id}/chart").json()
    )
    assert body["periods"][0] == "2021-01-01" and len(body["periods"]) == 20
    assert {"x", "y", "cl", "lcl", "ucl", "signals", "explanations", "signal_details"} <= set(body["result"])
    assert body["signals"] and body["explanations"]
    # The long run below the mean, before the shift up, reads as a concern for a measure where higher is better.
    assert {s["rule"]: s["nature"] for s in body["signals"]}["anhoej_long_run"] == "concern"
    assert body["explanations"] == [s["text"] for s in body["signals"]]
    assert body["summary"].startswith(body["chart_label"])


def test_spc_answers_as_the_command_line_does(api_world):
    request = {"chart": "i", "y": [5, 6, 5, 7, 6, 5, 6, 5, 7, 6, 30, 6], "explain": True}
    response = post(api_world.client("outsider"), f"{API}/spc", request)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    out = io.StringIO()
    assert spc_cli([], stdin=io.StringIO(json.dumps(request)), stdout=out) == 0
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["explanations"]
    details = post(api_world.client("outsider"), f"{API}/spc?details=true", request).json()
    assert "signal_details" in details


@pytest.mark.parametrize(
    ("request_body", "pointer"),
    [
        ({"chart": "nope", "y": [1, 2]}, "#/chart"),
        ({"chart": "c", "y": [1, "x"]}, "#/y/1"),
        ({"chart": "c", "y": [1, 2], "colour": 1}, "#"),
        ({"chart": "c"}, "#/y"),
    ],
)
def test_spc_refusals_name_the_field(api_world, request_body, pointer):
    response = post(api_world.client("participant"), f"{API}/spc", request_body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == pointer


def test_spc_malformed_json_is_a_problem(api_world):
    response = api_world.client("participant").post(f"{API}/spc", "{nope", content_type="application/json")
    assert response.status_code == 422 and "malformed JSON" in response.json()["detail"]

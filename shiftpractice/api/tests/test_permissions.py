"""Every endpoint, every persona: each gets what the pages would show them, and nothing more."""

import json
import re

import pytest

from shiftpractice.api.main import api

from .conftest import API, PROJECT_ACCESS, TOKEN_PERSONAS

pytestmark = pytest.mark.django_db

MEMBERS = ["lead", "coach", "participant", "critical_friend"]  # of cohort A (the lead leads the programme)


def get(aw, persona, path, **params):
    return aw.client(persona).get(f"{API}{path}", params)


def results(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("persona", list(PROJECT_ACCESS))
def test_programmes(api_world, persona):
    slugs = [p["slug"] for p in results(get(api_world, persona, "/programmes"))]
    detail = get(api_world, persona, "/programmes/pilot")
    if persona == "outsider":
        assert slugs == [] and detail.status_code == 404
    else:
        assert slugs == ["pilot"] and detail.status_code == 200
        assert detail.json()["leads"][0]["name"] == "Lena Lead"


COHORTS = {
    "lead": ["cohort-a", "cohort-b"],
    "coach": ["cohort-a"],
    "participant": ["cohort-a"],
    "critical_friend": ["cohort-a"],
    "other_participant": ["cohort-b"],
    "outsider": [],
}


@pytest.mark.parametrize("persona", list(PROJECT_ACCESS))
def test_cohorts(api_world, persona):
    assert [c["slug"] for c in results(get(api_world, persona, "/cohorts"))] == COHORTS[persona]
    for slug in ("cohort-a", "cohort-b"):
        expected = 200 if slug in COHORTS[persona] else 404
        assert get(api_world, persona, f"/cohorts/{slug}").status_code == expected
    assert [c["slug"] for c in results(get(api_world, persona, "/cohorts", programme="nowhere"))] == []


@pytest.mark.parametrize("persona", list(PROJECT_ACCESS))
def test_workshops(api_world, persona):
    w = api_world.world
    sees = {
        "lead": {"Workshop A1", "Workshop B1", "Shared"},
        "other_participant": {"Workshop B1", "Shared"},
        "outsider": set(),
    }.get(persona, {"Workshop A1", "Shared"})
    assert {x["title"] for x in results(get(api_world, persona, "/workshops"))} == sees
    for workshop in (w.workshop, w.other_workshop):
        expected = 200 if workshop.title in sees else 404
        assert get(api_world, persona, f"/workshops/{workshop.public_id}").status_code == expected
    if sees:
        assert {x["title"] for x in results(get(api_world, persona, "/workshops", cohort="cohort-b"))} == (
            sees & {"Workshop B1", "Shared"}
        )


@pytest.mark.parametrize("persona", list(PROJECT_ACCESS))
def test_projects(api_world, persona):
    aw = api_world
    listed = {p["id"]: p for p in results(get(aw, persona, "/projects"))}
    access = PROJECT_ACCESS[persona]
    private = str(aw.project.public_id)
    assert (private in listed) == (access is not None)
    response = get(aw, persona, f"/projects/{private}")
    if access is None:
        assert response.status_code == 404
    else:
        assert response.json()["access"] == access == listed[private]["access"]
        assert response.json()["cohort"] == "cohort-a"
    # The approved public project: everyone reads its public face; the programme's people read it whole.
    public = get(aw, persona, f"/projects/{aw.public_project.public_id}").json()
    expected = {"outsider": "public", "other_participant": "edit"}.get(persona, "read")
    assert public["access"] == expected
    assert listed[str(aw.public_project.public_id)]["access"] == expected
    assert (public["cohort"] is None) == (expected == "public")


@pytest.mark.parametrize("persona", list(PROJECT_ACCESS))
def test_cycles_and_measures_of_a_project(api_world, persona):
    aw = api_world
    readable = PROJECT_ACCESS[persona] is not None
    for path in (
        f"/projects/{aw.project.public_id}/cycles",
        f"/projects/{aw.project.public_id}/cycles/1",
        f"/projects/{aw.project.public_id}/measures",
    ):
        assert get(aw, persona, path).status_code == (200 if readable else 404), path
    if readable:
        assert [
            c["title"] for c in results(get(aw, persona, f"/projects/{aw.project.public_id}/cycles"))
        ] == ["Ask at triage"]
    # Cycles and the list of measures are not part of a public project's public face (as on the pages).
    status = 404 if persona == "outsider" else 200
    assert get(aw, persona, f"/projects/{aw.public_project.public_id}/cycles").status_code == status
    assert get(aw, persona, f"/projects/{aw.public_project.public_id}/measures").status_code == status


@pytest.mark.parametrize("persona", list(PROJECT_ACCESS))
def test_measure_data_and_chart(api_world, persona):
    aw = api_world
    readable = PROJECT_ACCESS[persona] is not None
    m = aw.measure.public_id
    for path in (
        f"/measures/{m}",
        f"/measures/{m}/points",
        f"/measures/{m}/points/2021-03-01",
        f"/measures/{m}/chart",
    ):
        assert get(aw, persona, path).status_code == (200 if readable else 404), path
    # A public project's measures and charts are part of its public face.
    assert get(aw, persona, f"/measures/{aw.public_measure.public_id}/chart").status_code == 200


@pytest.mark.parametrize("persona", list(PROJECT_ACCESS))
def test_data_changes_only_by_the_team(api_world, persona):
    aw = api_world
    access = PROJECT_ACCESS[persona]
    expected = {"edit": None, "read": 403, None: 404}[access]
    client = aw.client(persona)
    base = f"{API}/measures/{aw.measure.public_id}/points"
    calls = [
        ("post", base, {"period": "2030-01-01", "value": 5}, 201),
        ("put", f"{base}/2030-01-01", {"value": 6}, 200),
        ("post", f"{base}/bulk", {"points": [{"period": "2030-02-01", "value": 7}]}, 200),
        ("delete", f"{base}/2030-01-01", None, 204),
    ]
    for method, url, body, ok in calls:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == (expected or ok), (method, url, response.content)
    written = set(aw.measure.points.filter(period__year=2030).values_list("period", flat=True))
    assert bool(written) == (access == "edit")


@pytest.mark.parametrize("persona", TOKEN_PERSONAS)
def test_spc_needs_a_token_and_nothing_else(api_world, persona):
    response = api_world.client(persona).post(
        f"{API}/spc", {"chart": "c", "y": [2, 4, 3]}, content_type="application/json"
    )
    assert response.status_code == (401 if persona in ("anonymous", "revoked", "expired") else 200)


def _routes():
    """(method, path template) of every operation of the API."""
    schema = api.get_openapi_schema(path_prefix=f"{API}/")
    return [(m, p) for p, ops in schema["paths"].items() for m in ops]


def _fill(aw, path: str) -> str:
    values = {
        "slug": "cohort-a" if path.startswith(f"{API}/cohorts") else "pilot",
        "workshop_id": aw.world.workshop.public_id,
        "project_id": aw.project.public_id,
        "number": 1,
        "measure_id": aw.measure.public_id,
        "period": "2021-01-01",
    }
    return re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)


# A valid body for each operation that takes one, so that the walk reaches the authorisation, not the parsing.
BODIES = {
    ("post", "/spc"): {"chart": "c", "y": [1, 2]},
    ("post", "/measures/{measure_id}/points"): {"period": "2030-01-01", "value": 1},
    ("put", "/measures/{measure_id}/points/{period}"): {"value": 1},
    ("post", "/measures/{measure_id}/points/bulk"): {"points": [{"period": "2030-01-01", "value": 1}]},
}


def _call(client, method, url, body):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_every_route_is_authorised(api_world):
    """Walk every route: every operation asks for a token; without one (or with a revoked or expired one) it is
    401; the outsider gets 404 for every private object, and no list or answer names one."""
    aw = api_world
    routes = _routes()
    assert len(routes) >= 20
    private = [
        str(aw.project.public_id),
        str(aw.measure.public_id),
        "cohort-a",
        str(aw.world.workshop.public_id),
    ]
    for method, template in routes:
        url = _fill(aw, template)
        body = BODIES.get((method, template.removeprefix(API)), {})
        for persona in ("anonymous", "revoked", "expired"):
            assert _call(aw.client(persona), method, url, body).status_code == 401, (persona, method, url)
        response = _call(aw.client("outsider"), method, url, body)
        has_object = "{" in template and not template.endswith("/programmes/{slug}")
        if has_object or template.endswith("/programmes/{slug}"):
            assert response.status_code == 404, (method, url, response.status_code)
        else:
            assert response.status_code == 200, (method, url, response.status_code)
        text = response.content.decode()
        assert not any(p in text for p in private if p not in url), (method, url)
    operations = [
        operation
        for bound in api._get_bound_routers()
        for path_view in bound.path_operations.values()
        for operation in path_view.operations
    ]
    assert len(operations) == len(routes)
    for operation in operations:
        # No operation opts out of the API's token and session authentication, or of its rate limit.
        assert operation.auth_callbacks == api.auth, operation.view_func.__name__
        assert operation.throttle_objects, operation.view_func.__name__

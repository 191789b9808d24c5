"""Tokens: who gets in, with which problem when not; problem details; the rate limit; CSRF on the session."""

import json

import pytest
from django.test import Client

from shiftpractice.api import services
from shiftpractice.api.models import ApiToken
from shiftpractice.core.models import AuditEvent

from .conftest import API

pytestmark = pytest.mark.django_db


def assert_problem(response, status: int):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    assert body["instance"] == response.wsgi_request.path
    return body


@pytest.mark.parametrize(
    ("persona", "words"),
    [
        ("anonymous", "Send a personal access token"),
        ("revoked", "revoked"),
        ("expired", "expired"),
    ],
)
def test_no_valid_token_is_a_401_problem_that_says_why(api_world, persona, words):
    body = assert_problem(api_world.client(persona).get(f"{API}/me"), 401)
    assert words in body["detail"]


def test_an_unknown_token_and_a_malformed_header_are_refused(api_world):
    assert_problem(Client(HTTP_AUTHORIZATION="Bearer sp_nothing").get(f"{API}/me"), 401)
    assert_problem(Client(HTTP_AUTHORIZATION="Basic abc").get(f"{API}/me"), 401)


def test_a_token_is_stored_only_as_a_digest_and_works_once_made(world):
    user = world.people["participant"]
    token, raw = services.token_create(user=user, name="Upload", scope="read", actor=user)
    assert raw.startswith("sp_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in {stored.digest, stored.prefix, stored.name}
    assert stored.digest == services.digest_of(raw)
    assert AuditEvent.objects.filter(verb="api.token_created", object_id=str(token.pk)).exists()
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert response.json()["token"]["name"] == "Upload"
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_me_says_who_and_where(api_world):
    body = api_world.client("coach").get(f"{API}/me").json()
    assert body["memberships"] == [{"cohort": "cohort-a", "programme": "pilot", "role": "coach"}]
    assert api_world.client("lead").get(f"{API}/me").json()["leads"] == ["pilot"]


def test_a_read_token_cannot_write(api_world):
    owner = api_world.world.people["participant"]
    _, raw = services.token_create(user=owner, name="reader", scope="read", actor=owner)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"{API}/measures/{api_world.measure.public_id}/points/2021-01-01"
    assert client.get(url).status_code == 200
    body = assert_problem(client.delete(url), 403)
    assert body["type"].endswith("token-scope")
    assert api_world.measure.points.filter(period="2021-01-01").exists()


def test_a_revoked_token_stops_at_once(api_world):
    owner = api_world.world.people["participant"]
    token, raw = services.token_create(user=owner, name="script", scope="read", actor=owner)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(f"{API}/me").status_code == 200
    services.token_revoke(token=token, actor=owner)
    assert_problem(client.get(f"{API}/me"), 401)


def test_validation_problems_name_each_field(api_world):
    url = f"{API}/measures/{api_world.measure.public_id}/points"
    body = assert_problem(
        api_world.client("participant").post(
            url, {"period": "not a date", "value": 3, "colour": "red"}, content_type="application/json"
        ),
        422,
    )
    pointers = {e["pointer"] for e in body["errors"]}
    assert {"#/period", "#/colour"} <= pointers


def test_service_refusals_are_422_problems_with_the_field(api_world):
    url = f"{API}/measures/{api_world.measure.public_id}/points"
    body = assert_problem(
        api_world.client("participant").post(
            url, {"period": "2030-01-01", "value": -2}, content_type="application/json"
        ),
        422,
    )
    assert any(e["pointer"] == "#/value" for e in body["errors"])


def test_unknown_paths_and_methods_are_problems(api_world):
    client = api_world.client("participant")
    assert_problem(client.get(f"{API}/nothing/here"), 404)
    assert client.patch(f"{API}/me").status_code == 405


def test_the_rate_limit_answers_429_with_retry_after(api_world, settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_WINDOW = 60
    client = api_world.client("coach")
    for _ in range(3):
        assert client.get(f"{API}/me").status_code == 200
    response = client.get(f"{API}/me")
    body = assert_problem(response, 429)
    assert body["type"].endswith("rate-limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    # Per token: another person's token is not slowed.
    assert api_world.client("lead").get(f"{API}/me").status_code == 200


def test_the_session_reads_and_its_changes_need_csrf(api_world):
    owner = api_world.world.people["participant"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"{API}/me").json()["email"] == owner.email
    url = f"{API}/measures/{api_world.measure.public_id}/points/2021-01-01"
    assert_problem(client.delete(url), 403)
    assert api_world.measure.points.filter(period="2021-01-01").exists()
    client.get("/accounts/profile/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert client.delete(url, HTTP_X_CSRFTOKEN=token).status_code == 204


def test_oversized_spc_request_is_413(api_world, settings):
    settings.API_SPC_MAX_BYTES = 100
    body = '{"chart": "c", "y": [' + ",".join(["1"] * 100) + "]}"
    assert_problem(
        api_world.client("outsider").post(f"{API}/spc", body, content_type="application/json"), 413
    )


def test_server_errors_are_problems_without_a_trace(api_world, monkeypatch):
    from shiftpractice.api.endpoints import people

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(people, "caller", boom)
    response = api_world.client("participant").get(f"{API}/me")
    body = assert_problem(response, 500)
    assert "secret" not in response.content.decode()
    assert body["type"] == "about:blank"


def test_a_busy_database_is_a_503_problem_with_retry_after(api_world, monkeypatch):
    from django.db import OperationalError

    from shiftpractice.api.endpoints import people

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(people, "caller", locked)
    response = api_world.client("participant").get(f"{API}/me")
    body = assert_problem(response, 503)
    assert response["Retry-After"] == "5" and body["title"] == "Busy"


def test_an_oversized_body_is_a_413_problem_and_nothing_is_written(api_world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    rows = [{"period": f"2031-{m:02d}-01", "value": 1, "note": "x" * 100} for m in range(1, 13)]
    response = api_world.client("participant").post(
        f"{API}/measures/{api_world.measure.public_id}/points/bulk",
        json.dumps({"points": rows}),
        content_type="application/json",
    )
    assert_problem(response, 413)
    assert not api_world.measure.points.filter(period__year=2031).exists()


def test_what_the_contract_tests_found_is_answered_with_problems(api_world):
    """Requests Schemathesis generated that once met a server error or an answer the schema does not declare."""
    client = api_world.client("participant")
    measure = f"{API}/measures/{api_world.measure.public_id}/points"
    # A body that is not JSON: 400 (declared on every operation that reads a body).
    body = assert_problem(client.post(measure, b"\xff\xfe{", content_type="application/json"), 400)
    assert "body" in body["detail"]
    # A change to a path that is not there, from a browser with cookies: a 404 problem, not the CSRF page;
    # a path with an encoded newline too.
    cookied = api_world.client("participant")
    cookied.cookies["sessionid"] = "x"
    assert_problem(
        cookied.post(f"{API}/measures/not-a-uuid/points", "{}", content_type="application/json"), 404
    )
    assert_problem(client.get(f"{API}/measures/x%0Ay/points"), 404)
    # Text with a NUL character (PostgreSQL can neither store nor compare it): refused, naming the field.
    body = assert_problem(client.get(f"{API}/projects", {"status": "a\x00b"}), 422)
    assert body["errors"][0]["parameter"] == "status"
    note = {"period": "2031-01-01", "value": 1, "note": "a\x00b"}
    body = assert_problem(client.post(measure, json.dumps(note), content_type="application/json"), 422)
    assert body["errors"][0]["pointer"] == "#/note"
    assert_problem(client.get(f"{API}/programmes/pi%00lot"), 404)
    # A moment with an offset ISO 8601 allows and PostgreSQL does not: read in UTC; one out of range: 422.
    workshops = f"{API}/workshops"
    assert client.get(workshops, {"starts_after": "1926-09-30T18:21:58-16:35"}).status_code == 200
    body = assert_problem(client.get(workshops, {"starts_after": "0001-01-01T00:00:00+05:00"}), 422)
    assert body["errors"][0]["parameter"] == "starts_after"

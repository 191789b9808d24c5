"""The tokens page (no JavaScript needed; confirm before revoking), the docs page and the schema."""

import json
import re

import pytest
from django.test import Client
from openapi_spec_validator import validate

from shiftpractice.api.models import ApiToken
from shiftpractice.api.services import digest_of

from .conftest import API

pytestmark = pytest.mark.django_db
TOKENS = "/accounts/profile/tokens/"


def test_the_profile_links_to_the_tokens_page(world, login):
    assert TOKENS in login(world.people["participant"]).get("/accounts/profile/").content.decode()


def test_make_a_token_see_it_once_then_only_its_start(world, login):
    client = login(world.people["participant"])
    page = client.get(TOKENS)
    assert page.status_code == 200 and "You have no tokens." in page.content.decode()
    made = client.post(TOKENS, {"name": "Weekly upload", "scope": "write", "days": "30"})
    html = made.content.decode()
    raw = re.search(r'value="(sp_[^"]+)"', html).group(1)
    assert made["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=world.people["participant"])
    assert token.digest == digest_of(raw) and token.scope == "write"
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    again = client.get(TOKENS).content.decode()
    assert raw not in again and token.prefix in again and "Weekly upload" in again
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(f"{API}/me").status_code == 200


def test_the_form_re_renders_with_errors_and_what_was_typed(world, login):
    client = login(world.people["participant"])
    client.post(TOKENS, {"name": "Upload", "scope": "read", "days": "90"})
    again = client.post(TOKENS, {"name": "upload", "scope": "read", "days": "90"}).content.decode()
    assert "There is a problem" in again and "already have a token in use with this name" in again
    assert 'value="upload"' in again
    assert (
        "Select a valid choice"
        in client.post(TOKENS, {"name": "x", "scope": "admin", "days": "90"}).content.decode()
    )
    assert ApiToken.objects.count() == 1


def test_revoking_asks_first_and_only_the_owner_can(world, login):
    owner = world.people["participant"]
    client = login(owner)
    client.post(TOKENS, {"name": "Script", "scope": "read", "days": "90"})
    token = ApiToken.objects.get(user=owner)
    url = f"{TOKENS}{token.public_id}/revoke/"
    question = client.get(url).content.decode()
    assert "Revoke the token “Script”?" in question and 'name="confirm"' in question
    client.post(url)  # without the confirmation: nothing happens
    token.refresh_from_db()
    assert token.revoked_at is None
    other = Client()
    other.force_login(world.people["coach"], backend="django.contrib.auth.backends.ModelBackend")
    assert other.get(url).status_code == 404 and other.post(url, {"confirm": "yes"}).status_code == 404
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get(TOKENS).content.decode()


def test_the_tokens_page_needs_sign_in(world):
    response = Client().get(TOKENS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_docs_page_loads_swagger_from_this_site_without_inline_script(client):
    page = client.get(f"{API}/docs")
    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert "/static/swagger-ui/swagger-ui-bundle.js" in html and "/static/api/docs.js" in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/api/docs.js").status_code == 200


def _no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), keys  # a YAML reader (Swagger UI's) refuses a repeated key
    return dict(pairs)


def test_the_schema_is_valid_openapi_and_lists_every_endpoint(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content, object_pairs_hook=_no_duplicate_keys)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for path in (
        "/me",
        "/programmes",
        "/programmes/{slug}",
        "/cohorts",
        "/cohorts/{slug}",
        "/workshops",
        "/workshops/{workshop_id}",
        "/projects",
        "/projects/{project_id}",
        "/projects/{project_id}/cycles",
        "/projects/{project_id}/cycles/{number}",
        "/projects/{project_id}/measures",
        "/measures/{measure_id}",
        "/measures/{measure_id}/points",
        "/measures/{measure_id}/points/bulk",
        "/measures/{measure_id}/points/{period}",
        "/measures/{measure_id}/chart",
        "/spc",
    ):
        assert f"{API}{path}" in paths, path
    # Private things have no endpoint, and no response shape carries them.
    text = json.dumps(schema).lower()
    for private in ("journal", "coach_note", "coachnote", "survey", "reflection", "stakeholder"):
        assert private not in text, private
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    assert all("401" in op["responses"] and "429" in op["responses"] for op in operations)
    problem = schema["paths"][f"{API}/me"]["get"]["responses"]["401"]["content"]
    assert "application/problem+json" in problem
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert all(op["security"] == [{"TokenAuth": []}, {"SessionAuth": []}] for op in operations)

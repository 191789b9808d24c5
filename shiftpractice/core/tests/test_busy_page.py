"""The "busy, try again" page never writes a secret back into the page, and never offers to send again what may
already be saved."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import RequestFactory

from shiftpractice.core.busy import busy_response


def _hidden(page: str) -> dict:
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page))


def _busy(data, *, committed=False, referer=None, **attrs):
    request = RequestFactory().post("/accounts/password/change/", data, HTTP_REFERER=referer or "")
    for name, value in attrs.items():
        setattr(request, name, value)
    connection.committed_in_request = committed
    try:
        return busy_response(request)
    finally:
        connection.committed_in_request = False


def test_passwords_and_tokens_never_come_back_in_the_page():
    response = _busy(
        {
            "email": "a@example.org",
            "password": "hunter22",
            "new_password1": "x9",
            "api_token": "t0k",
            "note": "hi",
        }
    )
    page = response.content.decode()
    assert response.status_code == 503
    assert _hidden(page) == {
        "csrfmiddlewaretoken": _hidden(page)["csrfmiddlewaretoken"],
        "email": "a@example.org",
        "note": "hi",
    }
    assert "hunter22" not in page and "x9" not in page and "t0k" not in page
    assert "type them again" in page


def test_fields_marked_sensitive_by_the_view_are_left_out_too():
    page = _busy(
        {"answer": "my mother's name", "note": "hi"}, sensitive_post_parameters=["answer"]
    ).content.decode()
    assert "my mother" not in page and _hidden(page)["note"] == "hi"
    page = _busy({"note": "hi"}, sensitive_post_parameters="__ALL__").content.decode()
    assert "hi" not in _hidden(page).values()


def test_when_something_was_already_saved_it_links_back_instead_of_sending_again():
    page = _busy(
        {"body": "My comment"}, committed=True, referer="http://testserver/projects/1/"
    ).content.decode()
    assert "may already have been saved" in page
    assert "Try again" not in page and "My comment" not in page
    assert 'href="http://testserver/projects/1/"' in page
    # A link from elsewhere is not followed back.
    page = _busy({"body": "x"}, committed=True, referer="https://evil.example/").content.decode()
    assert "evil.example" not in page


@pytest.mark.django_db(transaction=True)
def test_the_sqlite_backend_notes_a_commit():
    if connection.vendor != "sqlite":
        pytest.skip("the busy page answers SQLite's lock errors")
    connection.committed_in_request = False
    with transaction.atomic():
        get_user_model().objects.create_user(email="commit@example.org", password="x-long-enough-1")
    assert connection.committed_in_request is True

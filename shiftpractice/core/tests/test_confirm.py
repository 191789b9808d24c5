"""The shared confirmation of removals: GET asks, only a confirmed POST removes, a refusal removes nothing."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from shiftpractice.core.confirm import Removal, confirm_removal, counted, joined
from tests.factories import UserFactory


@pytest.fixture
def make_request(db):
    user = UserFactory()

    def _make(method="get", data=None):
        request = getattr(RequestFactory(), method)("/things/1/delete/", data or {})
        request.user = user
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        return request

    return _make


def _removal(**changes):
    return Removal(
        title="Remove the thing “Kettle”?",
        cancel_url="/things/",
        details=["Removing it also removes its 2 lids:"],
        also=["Lid one", "Lid two"],
        quote="<b>as typed</b>",
        **changes,
    )


def test_a_get_asks_and_removes_nothing(make_request):
    removed = []
    response = confirm_removal(
        make_request(),
        _removal(),
        remove=lambda: removed.append(1),
        done_url="/things/",
        done_message="Gone.",
    )
    body = response.content.decode()
    assert response.status_code == 200 and not removed
    assert "<h1>Remove the thing “Kettle”?</h1>" in body and "<li>Lid two</li>" in body
    assert "&lt;b&gt;as typed&lt;/b&gt;" in body  # shown as typed, never as markup
    assert 'name="confirm" value="yes"' in body and 'href="/things/">No, go back</a>' in body


def test_an_unconfirmed_post_asks_again(make_request):
    removed = []
    response = confirm_removal(
        make_request("post", {"confirm": "no"}),
        _removal(),
        remove=lambda: removed.append(1),
        done_url="/things/",
        done_message="Gone.",
    )
    assert response.status_code == 200 and not removed


def test_a_confirmed_post_removes_and_says_so(make_request):
    removed = []
    request = make_request("post", {"confirm": "yes"})
    response = confirm_removal(
        request, _removal(), remove=lambda: removed.append(1), done_url="/things/", done_message="Gone."
    )
    assert response.status_code == 302 and response.url == "/things/" and removed == [1]
    assert [str(m) for m in get_messages(request)] == ["Gone."]


def test_a_refusal_removes_nothing_and_says_why(make_request):
    def refuse():
        raise ValidationError("Something changed since the page was shown.")

    response = confirm_removal(
        make_request("post", {"confirm": "yes"}),
        _removal(),
        remove=refuse,
        done_url="/",
        done_message="Gone.",
    )
    body = response.content.decode()
    assert response.status_code == 409 and "There is a problem: nothing was removed" in body
    assert "Something changed since the page was shown." in body and "<title>Error: " in body


def test_a_blocked_removal_offers_no_button_and_refuses_a_post(make_request):
    removed = []
    blocked = _removal(blocked="A cycle tests it.", blocked_by=["PDSA 1: Try it"])
    body = confirm_removal(
        make_request(), blocked, remove=lambda: removed.append(1), done_url="/", done_message="Gone."
    ).content.decode()
    assert "It cannot be removed now" in body and "PDSA 1: Try it" in body and 'value="yes"' not in body
    response = confirm_removal(
        make_request("post", {"confirm": "yes"}),
        blocked,
        remove=lambda: removed.append(1),
        done_url="/",
        done_message="Gone.",
    )
    assert response.status_code == 409 and not removed


def test_counts_and_lists_read_as_english():
    assert counted(1, "change idea", "change ideas") == "1 change idea"
    assert counted(3, "change idea", "change ideas") == "3 change ideas"
    assert (
        joined(["a"]) == "a" and joined(["a", "b"]) == "a and b" and joined(["a", "b", "c"]) == "a, b and c"
    )

"""Every coaching page lives under /coaching/; the addresses they had before lead there for good."""

import pytest
from django.urls import reverse

from conftest import client_for


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/journal/", "/coaching/journal/"),
        ("/journal/new/?prompt=prompt.grow", "/coaching/journal/new/?prompt=prompt.grow"),
        ("/peer-groups/", "/coaching/peer-groups/"),
        (
            "/discussions/threads/0b0e8a53-7a3c-4a43-a2c1-0d7f6c1f0c11/",
            "/coaching/discussions/threads/0b0e8a53-7a3c-4a43-a2c1-0d7f6c1f0c11/",
        ),
    ],
)
def test_old_addresses_lead_to_the_page_under_coaching(client, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response.url == new


def test_every_coaching_page_is_under_one_prefix(client, world):
    names = ["dashboard", "journal", "journal_new", "peer_groups", "boards"]
    assert all(reverse(f"coaching:{name}").startswith("/coaching/") for name in names)
    client_for(client, world.people["participant"])
    assert client.get("/journal/", follow=True).redirect_chain == [("/coaching/journal/", 301)]

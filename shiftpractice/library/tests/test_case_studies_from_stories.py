"""The stories app and the library together: a case study published through the stories services appears in the
library's list, search, feed and sitemap; withdrawn, it leaves all four in the same commit, and its library
page answers 410."""

import pytest
from django.urls import reverse

from shiftpractice.library.models import LibraryItem
from shiftpractice.stories import services as story_services
from shiftpractice.stories.tests.helpers import published


@pytest.mark.django_db(transaction=False)
def test_a_published_case_study_is_in_every_public_list_and_leaves_them_when_withdrawn(
    world, client, monkeypatch
):
    case_study, version = published(world, monkeypatch)
    title = version.title
    item = LibraryItem.objects.get(source_key=f"case-study:{case_study.pk}")
    pages = {
        "list": reverse("library:index"),
        "search": reverse("library:index") + "?q=words",
        "feed": reverse("library:feed"),
        "sitemap": reverse("library:sitemap"),
    }
    for name, url in pages.items():
        assert title in client.get(url).content.decode() or item.slug in client.get(url).content.decode(), (
            name
        )
    story_services.withdraw(case_study=case_study, reason="", actor=case_study.author)
    for name, url in pages.items():
        body = client.get(url).content.decode()
        assert title not in body and item.slug not in body, name
    assert client.get(reverse("library:item", args=[item.slug])).status_code == 410
    item.refresh_from_db()
    assert item.search_text == ""

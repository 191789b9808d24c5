"""The shared pagination: bounded page links, filters kept in every link, unknown parameters ignored."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from shiftpractice.core import paging

User = get_user_model()


def request(**params):
    req = RequestFactory().get("/list/", params)
    req.user = AnonymousUser()
    return req


def test_page_numbers_are_bounded_whatever_the_number_of_pages():
    assert paging.page_numbers(1, 1) == [1]
    assert paging.page_numbers(1, 3) == [1, 2, 3]
    assert paging.page_numbers(10, 400) == [1, None, 9, 10, 11, None, 400]
    assert paging.page_numbers(400, 400) == [1, None, 399, 400]
    assert all(len(paging.page_numbers(c, 10_000)) <= 7 for c in (1, 2, 5000, 9999, 10_000))


def test_choice_and_search_term_never_take_an_unknown_value():
    req = request(sort="'; drop table", status="active", q="  two   words " + "x" * 500)
    assert paging.choice(req, "sort", {"updated": 1}, "updated") == "updated"
    assert paging.choice(req, "status", ["active"], "") == "active"
    assert (
        paging.search_term(req).startswith("two words x")
        and len(paging.search_term(req)) == paging.SEARCH_MAX
    )


def test_links_keep_the_filters_and_the_last_page_is_reachable(db):
    User.objects.bulk_create(User(email=f"u{i}@example.org", full_name="U", password="!") for i in range(60))
    page = paging.paginate(
        request(page="last", q="u"),
        User.objects.order_by("id"),
        params={"q": "u", "empty": ""},
        anchor="rows",
    )
    assert page.number == 3 and len(page.object_list) == 10
    assert page.previous_url == "?q=u&page=2#rows" and page.next_url == ""
    assert [link.number for link in page.links] == [1, 2, 3] and page.links[-1].current
    html = render_to_string(
        "core/_pagination.html", {"page": page, "label": "Pages of people", "noun": "people"}
    )
    assert 'aria-label="Pages of people"' in html and 'aria-current="page"' in html
    assert "Showing 51 to 60 of 60 people" in html and 'href="?q=u&amp;page=1#rows"' in html
    assert paging.paginate(request(page="nonsense"), User.objects.order_by("id")).number == 1


def test_one_page_shows_no_navigation(db):
    page = paging.paginate(request(), User.objects.none())
    assert "<nav" not in render_to_string("core/_pagination.html", {"page": page})

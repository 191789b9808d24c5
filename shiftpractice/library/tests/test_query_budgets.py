"""The library's list and search read a page of rows in a fixed number of queries, and render the same size, with 50
published items or 5,000 (the rows made once for the module with bulk_create, the search index rebuilt from
them; the 50 become 5,000 by publishing the rest inside each test, rolled back after it)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.core.paging import PAGE_SIZE
from shiftpractice.library import search
from shiftpractice.library.choices import Facet, ItemKind, ItemStatus
from shiftpractice.library.models import LibraryItem, LibraryTag
from tests.factories import ProgrammeFactory, UserFactory

SMALL, LARGE = 50, 5000
LIST_BUDGET = 5  # the model's stages (its current version and its items), the topics, the count, the page
SIGNED_IN_EXTRA = 6  # session, user, the programmes they lead, and what every page has (navigation, unread)
LENSES = ["systems", "resilience", "equality", "ecology"]


@pytest.fixture(scope="module")
def rows(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        lead = UserFactory(email="budget.lead@example.org")
        programme = ProgrammeFactory(slug="budget", leads=[lead])
        now = timezone.now()
        items = LibraryItem.objects.bulk_create(
            [
                LibraryItem(
                    kind=ItemKind.PAGE,
                    status=ItemStatus.PUBLISHED if n < SMALL else ItemStatus.DRAFT,
                    published_at=now if n < SMALL else None,
                    programme=programme,
                    title=f"Run charts, part {n:04d}",
                    slug=f"run-charts-part-{n:04d}",
                    summary="Reading a run chart: the median, shifts and trends.",
                    body="Plot the measure over time.",
                    body_html="<p>Plot the measure over time.</p>",
                    search_text=f"Plot the measure over time. {LENSES[n % 4].capitalize()} run charts",
                    attribution="The budget team",
                    lenses=[LENSES[n % 4]],
                    stages=["stage.test"],
                    topics=["run charts"],
                )
                for n in range(LARGE)
            ],
            batch_size=1000,
        )
        LibraryTag.objects.bulk_create(
            [
                LibraryTag(item=item, facet=facet, value=value)
                for item in items
                for facet, value in (
                    (Facet.LENS, item.lenses[0]),
                    (Facet.STAGE, "stage.test"),
                    (Facet.TOPIC, "run charts"),
                )
            ],
            batch_size=2000,
        )
        search.reindex_all()
        yield {"lead": lead, "programme": programme}
        LibraryItem.objects.filter(programme=programme).delete()
        search.reindex_all()
        programme.delete()
        lead.delete()


def measure(client, params) -> tuple[int, int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("library:index"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.content), response.context["page"].paginator.count


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{}, {"q": "chart"}, {"q": "run charts", "lens": "ecology"}, {"lens": "systems", "topic": "run charts"}],
)
@pytest.mark.parametrize("signed_in", [False, True])
def test_list_and_search_are_the_same_at_50_and_5000(rows, params, signed_in):
    client = client_for(Client(), rows["lead"] if signed_in else None)
    small_queries, small_size, small_count = measure(client, params)
    LibraryItem.objects.filter(programme=rows["programme"], status=ItemStatus.DRAFT).update(
        status=ItemStatus.PUBLISHED, published_at=timezone.now()
    )
    large_queries, large_size, large_count = measure(client, params)
    who = "signed in" if signed_in else "anonymous"
    print(
        f"library {params} ({who}): {small_queries} queries at {small_count} items found, "
        f"{large_queries} at {large_count}"
    )
    assert large_count > small_count
    budget = LIST_BUDGET + (SIGNED_IN_EXTRA if signed_in else 0)
    assert large_queries == small_queries <= budget
    if small_count >= PAGE_SIZE:  # both show a full page
        assert abs(large_size - small_size) <= 0.1 * small_size


@pytest.mark.django_db
def test_the_feed_and_sitemap_do_not_grow_with_the_items(rows):
    client = Client()

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = (count(reverse("library:feed")), count("/sitemap.xml"))
    LibraryItem.objects.filter(programme=rows["programme"]).update(
        status=ItemStatus.PUBLISHED, published_at=timezone.now()
    )
    assert (count(reverse("library:feed")), count("/sitemap.xml")) == small


@pytest.mark.django_db
def test_the_leads_page_of_a_programmes_items_is_the_same_at_50_and_5000(rows):
    client = client_for(Client(), rows["lead"])
    url = reverse("library:manage", args=[rows["programme"].slug])
    # Out of the programme for the small measure (an item without a programme can only be a case study).
    LibraryItem.objects.filter(programme=rows["programme"], status=ItemStatus.DRAFT).update(
        programme=None, kind=ItemKind.CASE_STUDY
    )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    LibraryItem.objects.filter(programme__isnull=True, title__startswith="Run charts, part").update(
        programme=rows["programme"], kind=ItemKind.PAGE
    )
    assert LibraryItem.objects.filter(programme=rows["programme"]).count() == LARGE
    assert count() == small

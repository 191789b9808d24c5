"""The triage list reads a page of rows in a fixed number of queries, and renders the same size, with 100
approaches or 10,000; so does the public list of programmes with an open call."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.network.choices import ApproachKind, ApproachStatus, Region
from shiftpractice.network.models import Approach, OpenCall
from tests.factories import ProgrammeFactory

from .helpers import open_call

pytestmark = pytest.mark.django_db

LIST_BUDGET = 12  # session, user, programme, its leads, the count and the page, status counts, refusals, the
# open call, and the three every page has (the navigation's programmes and memberships, unread notifications)


def grow(programme, total: int) -> None:
    have = Approach.objects.filter(programme=programme).count()
    statuses = [
        ApproachStatus.NEW,
        ApproachStatus.SHORTLISTED,
        ApproachStatus.WAITING,
        ApproachStatus.DECLINED,
    ]
    regions = Region.values
    Approach.objects.bulk_create(
        [
            Approach(
                programme=programme,
                kind=ApproachKind.OFFER if n % 4 == 0 else ApproachKind.INTEREST,
                status=statuses[n % len(statuses)],
                name=f"Person {n:05d}",
                email=f"p{n}@example.org",
                role="Practice nurse",
                organisation="Surgery",
                region=regions[n % len(regions)],
                change="A change",
                offers=["coach"] if n % 4 == 0 else [],
                consent_to_contact=True,
                confirmed_at=timezone.now(),
            )
            for n in range(have, total)
        ],
        batch_size=2000,
    )


def measure(client, url, params=None) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.content)


@pytest.mark.parametrize(
    "params", [{}, {"status": "all", "sort": "name"}, {"kind": "offer", "sort": "changed"}, {"q": "Person 0"}]
)
def test_the_triage_list_is_the_same_at_100_and_10000(client, world, params):
    lead = world.people["lead"]
    open_call(world.programme, lead)
    client_for(client, lead)
    url = reverse("network:list", args=[world.programme.slug])
    grow(world.programme, 100)
    small_queries, small_size = measure(client, url, params)
    grow(world.programme, 10_000)
    large_queries, large_size = measure(client, url, params)
    print(f"triage list {params}: {small_queries} queries at 100, {large_queries} at 10,000")
    assert large_queries == small_queries <= LIST_BUDGET
    assert abs(large_size - small_size) <= 0.1 * small_size


def test_an_approach_page_has_a_fixed_query_count(client, world):
    lead = world.people["lead"]
    open_call(world.programme, lead)
    grow(world.programme, 10)
    client_for(client, lead)
    approach = Approach.objects.first()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(approach.get_absolute_url()).status_code == 200
    assert len(ctx.captured_queries) <= 12


def test_the_take_part_page_is_the_same_with_3_or_300_open_calls(client, world):
    def calls(n):
        have = OpenCall.objects.count()
        for _k in range(have, n):
            OpenCall.objects.create(
                programme=ProgrammeFactory(), is_open=True, invitation="Come and join us."
            )

    url = reverse("network:take_part")
    calls(3)
    small = measure(client, url)[0]
    calls(300)
    assert measure(client, url)[0] == small <= 4


DIRECTORY_BUDGET = 9  # session, user, the menu's three, the person's entry, the count and the page, ..


def grow_directory(cohort, total: int) -> None:
    """Listed members of the cohort's programme, ``total`` in all, made in bulk."""
    from shiftpractice.accounts.models import User
    from shiftpractice.cohorts.models import Membership
    from shiftpractice.network.models import DirectoryProfile

    have = DirectoryProfile.objects.count()
    users = User.objects.bulk_create(
        [
            User(
                email=f"m{n}@example.org", full_name=f"Member {n:05d}", password="!", calendar_token=f"dir{n}"
            )
            for n in range(have, total)
        ],
        batch_size=2000,
    )
    users = list(User.objects.filter(email__in=[u.email for u in users]))
    Membership.objects.bulk_create(
        [Membership(cohort=cohort, user=u, role="participant") for u in users], batch_size=2000
    )
    DirectoryProfile.objects.bulk_create(
        [
            DirectoryProfile(
                user=u,
                listed=True,
                worked_on="Green space",
                lenses=["ecology"],
                offers=["coach"] if n % 2 else [],
                region=Region.values[n % len(Region.values)],
                unsubscribe_token=f"t{u.pk}",
            )
            for n, u in enumerate(users)
        ],
        batch_size=2000,
    )


@pytest.mark.parametrize(
    "params", [{}, {"lens": "ecology", "sort": "newest"}, {"offer": "coach"}, {"q": "Member 0"}]
)
def test_the_directory_is_the_same_at_100_and_10000(client, world, params):
    client_for(client, world.people["participant"])
    url = reverse("network:directory")
    grow_directory(world.cohort, 100)
    small_queries, small_size = measure(client, url, params)
    grow_directory(world.cohort, 10_000)
    large_queries, large_size = measure(client, url, params)
    print(f"directory {params}: {small_queries} queries at 100, {large_queries} at 10,000")
    assert large_queries == small_queries <= DIRECTORY_BUDGET
    assert abs(large_size - small_size) <= 0.1 * small_size

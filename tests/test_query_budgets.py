"""Pages run a fixed number of SQL queries however much data they show (no N+1)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    MembershipFactory,
    MilestoneFactory,
    UserFactory,
    WorkshopFactory,
)


def grow(world, n: int) -> None:
    """Add n cohorts of n participants, each with two past workshops with attendance, and n milestones."""
    for i in range(n):
        cohort = CohortFactory(programme=world.programme, capacity=n + 5)
        people = [MembershipFactory(cohort=cohort).user for _ in range(n)]
        MembershipFactory(cohort=world.cohort, role="participant")
        for w in range(2):
            start = timezone.now() - timedelta(days=30 + w + i)
            workshop = WorkshopFactory(
                programme=world.programme,
                cohorts=[cohort, world.cohort],
                starts_at=start,
                ends_at=start + timedelta(hours=2),
            )
            workshop.facilitators.add(world.people["lead"])
            for person in people:
                AttendanceFactory(workshop=workshop, user=person)
        MilestoneFactory(programme=world.programme)
        MembershipFactory(cohort=cohort, user=UserFactory(), role="coach")
        MembershipFactory(cohort=world.cohort, role="coach", user=UserFactory())
    world.cohort.capacity = 100
    world.cohort.save()


PAGES = {
    "home as lead": ("lead", lambda w: reverse("home:index")),
    "home as participant": ("participant", lambda w: reverse("home:index")),
    "home as coach": ("coach", lambda w: reverse("home:index")),
    "home as critical friend": ("critical_friend", lambda w: reverse("home:index")),
    "programme list": ("lead", lambda w: reverse("programmes:list")),
    "programme page": ("lead", lambda w: reverse("cohorts:programme", args=[w.programme.slug])),
    "cohort page": ("lead", lambda w: reverse("cohorts:detail", args=[w.cohort.slug])),
    "cohort members": ("lead", lambda w: reverse("cohorts:members", args=[w.cohort.slug])),
    "workshop page": (
        "participant",
        lambda w: reverse("cohorts:workshop", args=[w.shared_workshop.public_id]),
    ),
    "attendance form": ("lead", lambda w: reverse("cohorts:attendance", args=[w.shared_workshop.public_id])),
    "my calendar": ("participant", lambda w: reverse("cohorts:my_calendar")),
    "calendar feed": (
        None,
        lambda w: reverse("cohorts:calendar_feed", args=[w.people["lead"].calendar_token]),
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_data(client, world, django_assert_max_num_queries, page):
    persona, url_of = PAGES[page]
    client_for(client, world.people.get(persona))
    grow(world, 2)
    url = url_of(world)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(world, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    print(f"QUERIES {page}: {len(small.captured_queries)}")
    assert len(small.captured_queries) <= 20, f"{page} runs {len(small.captured_queries)} queries"

"""Domains, stories and rounds for the world's programme, made through the services."""

from django.utils import timezone

from shiftpractice.cohorts.choices import Role
from shiftpractice.msc import services
from shiftpractice.msc.models import Story
from tests.factories import MembershipFactory, UserFactory

DOMAINS = [
    "Changes in my practice",
    "Changes in my organisation",
    "Changes for patients, communities or nature",
]


def domains(world):
    lead = world.people["lead"]
    return [
        services.domain_create(programme=world.programme, name=name, order=n, actor=lead)
        for n, name in enumerate(DOMAINS)
    ]


def write(domain, person, *, title="We stopped printing discharge letters", show_name=False):
    return services.story_write(
        domain=domain,
        title=title,
        story="Before, every letter was printed twice. Now they go electronically.",
        why="It showed me small changes add up.",
        show_name=show_name,
        consent=True,
        actor=person,
    )


def cohort_round(world, *, panel=None, cohort=None, title="Cohort A panel"):
    panel = panel if panel is not None else [world.people["lead"], world.people["critical_friend"]]
    return services.round_create(
        programme=world.programme,
        cohort=cohort or world.cohort,
        title=title,
        panel=panel,
        actor=world.people["lead"],
    )


def participants(cohort, n: int, *, prefix="p"):
    people = [
        UserFactory(full_name=f"Storyteller {prefix}{i}", email=f"{prefix}{i}@example.org") for i in range(n)
    ]
    for person in people:
        MembershipFactory(cohort=cohort, user=person, role=Role.PARTICIPANT)
    return people


def bulk_stories(world, domain_list, n: int):
    """``n`` stories in the world's cohort, written straight to the table (bulk_create): the size of a query
    budget test, not a journey."""
    from shiftpractice.accounts.models import User
    from shiftpractice.cohorts.models import Membership

    people = User.objects.bulk_create(
        [User(email=f"bulk{n}-{i}@example.org", full_name=f"Storyteller {i}") for i in range(n)]
    )
    Membership.objects.bulk_create(
        [Membership(cohort=world.cohort, user=person, role=Role.PARTICIPANT) for person in people]
    )
    now = timezone.now()
    Story.objects.bulk_create(
        [
            Story(
                programme=world.programme,
                cohort=world.cohort,
                domain=domain_list[i % len(domain_list)],
                author=person,
                title=f"Story {i}",
                story="What changed.",
                why="Why it matters.",
                show_name=i % 2 == 0,
                consent_at=now,
            )
            for i, person in enumerate(people)
        ]
    )
    return people

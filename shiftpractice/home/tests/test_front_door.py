"""The public front door at ``/``: a visitor who is not signed in learns what the programme is and sees only
what a lead published; everyone signed in still lands on their own home page; the page does not grow with the
number of published projects."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONAS, client_for
from shiftpractice.core.tests.bounded import assert_bounded
from shiftpractice.projects.models import ChangeProject
from tests.factories import CohortFactory

HEADING = "Change at work, tested and shared"


def project(world, title, *, visibility="public", approved=True, cohort=None):
    approved = approved and visibility == "public"  # only a public project is approved
    return ChangeProject.objects.create(
        owner=world.people["participant"],
        cohort=cohort or world.cohort,
        title=title,
        visibility=visibility,
        public_approved_at=timezone.now() if approved else None,
        public_approved_by=world.people["lead"] if approved else None,
    )


def test_a_visitor_sees_what_is_published_and_nothing_else(client, world):
    # What a lead wrote about the programme is for its members; the public sees its name with its stories.
    type(world.programme).objects.filter(pk=world.programme.pk).update(
        summary="Internal summary sentinel", organisation="Sentinel Trust"
    )
    project(world, "Green prescribing outdoors")
    project(world, "Waiting for approval", approved=False)
    project(world, "Shared in the programme", visibility="programme")
    project(world, "Team only", visibility="team")
    quiet = CohortFactory(name="Quiet cohort")  # another programme, with nothing published
    project(world, "Quiet programme's draft", visibility="public", approved=False, cohort=quiet)
    response = client.get(reverse("home:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert HEADING in page and 'href="/accounts/login/">Log in</a>' in page
    assert "Green prescribing outdoors" in page and "1 project published" in page
    hidden_texts = (
        "Waiting for approval",
        "Shared in the programme",
        "Team only",
        "Quiet programme",
        "Sentinel",
    )
    for hidden in hidden_texts:
        assert hidden not in page
    assert world.programme.name in page and quiet.programme.name not in page
    assert world.people["participant"].full_name not in page  # no names on the front door


def test_with_nothing_published_the_page_says_so(client, world):
    page = client.get(reverse("home:index")).content.decode()
    assert "No project has been published yet" in page and world.programme.name not in page


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_everyone_signed_in_still_lands_on_their_own_home_page(client, world, persona):
    project(world, "Green prescribing outdoors")
    client_for(client, world.people[persona])
    page = client.get(reverse("home:index")).content.decode()
    assert HEADING not in page and "Log out" in page


def test_the_front_door_with_500_published_projects_is_the_size_of_one_with_50(client, world):
    def publish(n):
        first = ChangeProject.objects.filter(title__startswith="Published ").count()
        ChangeProject.objects.bulk_create(
            ChangeProject(
                owner=world.people["participant"],
                cohort=world.cohort,
                title=f"Published {i:05d}",
                visibility="public",
                public_approved_at=timezone.now(),
            )
            for i in range(first, first + n)
        )

    assert_bounded(client, reverse("home:index"), publish)

"""The lead's inbox on their home page: projects asking to be public and model items awaiting verification."""

from django.urls import reverse

from conftest import client_for
from shiftpractice.content.models import ContentItem
from shiftpractice.projects import services as project_services


def test_the_lead_sees_what_awaits_them_and_others_do_not(client, world):
    owner = world.people["participant"]
    project = project_services.project_create(
        owner=owner, cohort=world.cohort, title="Make me public", actor=owner
    )
    project_services.project_update(project=project, visibility="public", actor=owner)
    ContentItem.objects.create(
        slug="factors.travel", kind="factor_set", title="Travel carbon factors", needs_verification=True
    )
    page = client_for(client, world.people["lead"]).get(reverse("home:index")).content.decode()
    assert "What awaits you" in page
    assert "Make me public" in page and "awaits your approval to be public" in page
    assert "Travel carbon factors" in page and "needs its sources verified" in page
    client.logout()
    page = client_for(client, owner).get(reverse("home:index")).content.decode()
    assert "What awaits you" not in page


def test_an_empty_inbox_says_so(client, world):
    ContentItem.objects.update(needs_verification=False)  # the seeded model has items waiting for a check
    page = client_for(client, world.people["lead"]).get(reverse("home:index")).content.decode()
    assert "Nothing awaits you" in page

"""Every view, every persona: who gets the page, who is refused (403), who is told it does not exist (404),
and who is sent to log in (302)."""

import pytest
from django.urls import reverse

from conftest import client_for
from tests.factories import UserFactory

ALL = ["lead", "coach", "participant", "other_participant", "critical_friend", "outsider", "anonymous"]


def expect(default, **overrides):
    """Expected status per persona: ``default`` for every logged-in persona unless overridden; anonymous -> 302."""
    result = {p: default for p in ALL}
    result["anonymous"] = 302
    result.update(overrides)
    return result


PROGRAMME_READ = expect(200, outsider=404)
LEAD_WRITE = expect(403, lead=200, outsider=404)
COHORT_READ = expect(200, other_participant=404, outsider=404)
COHORT_WRITE = expect(403, lead=200, other_participant=404, outsider=404)

CASES = {
    "home": (lambda w: reverse("home:index"), expect(200)),
    "programme list": (lambda w: reverse("programmes:list"), expect(200)),
    "programme page": (lambda w: reverse("cohorts:programme", args=[w.programme.slug]), PROGRAMME_READ),
    "programme edit": (lambda w: reverse("programmes:edit", args=[w.programme.slug]), LEAD_WRITE),
    "milestone add": (lambda w: reverse("programmes:milestone_add", args=[w.programme.slug]), LEAD_WRITE),
    "milestone edit": (
        lambda w: reverse("programmes:milestone_edit", args=[w.programme.slug, w.milestone.public_id]),
        LEAD_WRITE,
    ),
    "cohort page": (lambda w: reverse("cohorts:detail", args=[w.cohort.slug]), COHORT_READ),
    "cohort edit": (lambda w: reverse("cohorts:edit", args=[w.cohort.slug]), COHORT_WRITE),
    "cohort members": (lambda w: reverse("cohorts:members", args=[w.cohort.slug]), COHORT_WRITE),
    "workshop page": (lambda w: reverse("cohorts:workshop", args=[w.workshop.public_id]), COHORT_READ),
    "shared workshop page": (
        lambda w: reverse("cohorts:workshop", args=[w.shared_workshop.public_id]),
        expect(200, outsider=404),
    ),
    "workshop ics": (lambda w: reverse("cohorts:workshop_ics", args=[w.workshop.public_id]), COHORT_READ),
    "attendance": (lambda w: reverse("cohorts:attendance", args=[w.workshop.public_id]), COHORT_WRITE),
    "workshop add": (lambda w: reverse("cohorts:workshop_add", args=[w.programme.slug]), LEAD_WRITE),
    "workshop edit": (
        lambda w: reverse("cohorts:workshop_edit", args=[w.programme.slug, w.workshop.public_id]),
        LEAD_WRITE,
    ),
    "my calendar": (lambda w: reverse("cohorts:my_calendar"), expect(200)),
    "profile": (lambda w: reverse("accounts:profile"), expect(200)),
    "password change": (lambda w: reverse("accounts:password_change"), expect(200)),
}


@pytest.fixture
def people(world):
    world.people["outsider"] = UserFactory(email="outsider@example.org")
    return world


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("case", CASES)
def test_get_permissions(client, people, case, persona):
    url_of, expected = CASES[case]
    response = client_for(client, people.people.get(persona)).get(url_of(people))
    assert response.status_code == expected[persona], f"{case} as {persona}"
    if response.status_code == 302:
        assert response.url.startswith(reverse("accounts:login"))


WRITE_CASES = {
    "programme edit": (
        lambda w: reverse("programmes:edit", args=[w.programme.slug]),
        {"name": "Renamed", "organisation": "Org", "summary": ""},
    ),
    "cohort edit": (
        lambda w: reverse("cohorts:edit", args=[w.cohort.slug]),
        {
            "name": "Renamed",
            "start_date": "2030-01-01",
            "end_date": "2030-02-01",
            "capacity": 9,
            "status": "running",
        },
    ),
    "invite": (
        lambda w: reverse("cohorts:members", args=[w.cohort.slug]),
        {"invite-email": "new@example.org", "invite-role": "participant"},
    ),
}


@pytest.mark.parametrize("persona", [p for p in ALL if p != "lead"])
@pytest.mark.parametrize("case", WRITE_CASES)
def test_writes_refused_for_everyone_but_the_lead(client, people, case, persona):
    url_of, data = WRITE_CASES[case]
    before = (people.programme.name, people.cohort.name, people.cohort.invitations.count())
    response = client_for(client, people.people.get(persona)).post(url_of(people), data)
    assert response.status_code in {302, 403, 404}
    if response.status_code == 302:
        assert response.url.startswith(reverse("accounts:login"))
    people.programme.refresh_from_db()
    people.cohort.refresh_from_db()
    assert (people.programme.name, people.cohort.name, people.cohort.invitations.count()) == before


def test_staff_only_admin(client, people):
    response = client_for(client, people.people["lead"]).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert client_for(client, admin).get(reverse("admin:index")).status_code == 200

"""Every coaching page, every persona: 200, 403 (may see but not do), 404 (may not know it exists) or a
redirect to log in."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from shiftpractice.coaching.choices import Privacy
from shiftpractice.coaching.permissions import assignments_visible_to, peer_groups_visible_to
from shiftpractice.coaching.services import discussions, journal
from shiftpractice.coaching.services.support import ActionSpec, action_create

# The personas' world is built once for the module; each test's writes are rolled back (root conftest.py).
pytestmark = pytest.mark.world_per_module

PERSONAS = [
    "lead",
    "coach",
    "participant",
    "peer",
    "other_participant",
    "critical_friend",
    "outsider",
    "superuser",
    "anonymous",
]


def expect(default, **overrides):
    result = {p: default for p in PERSONAS}
    result["anonymous"] = 302
    result.update(overrides)
    return result


EVERYONE = expect(200)
LEAD_ONLY_IN_COHORT = expect(403, lead=200, superuser=200, other_participant=404, outsider=404)
RELATIONSHIP = expect(404, coach=200, participant=200, lead=200)  # no superuser exception
COHORT_BOARD = expect(200, other_participant=404, outsider=404)
GROUP = expect(200, critical_friend=404, other_participant=404, outsider=404, superuser=404)


@pytest.fixture
def setup(coaching):
    people = coaching.people
    board = discussions.board_for_cohort(coaching.world.cohort)
    thread = discussions.thread_start(
        board=board, title="Hello", body="First post", actor=people["participant"]
    )
    coaching.thread = thread
    coaching.post = thread.posts.get()
    coaching.entry = journal.entry_create(
        author=people["participant"],
        cohort=coaching.world.cohort,
        title="Shared with the cohort",
        body="Words",
        privacy=Privacy.COHORT,
    )
    return coaching


CASES = {
    "dashboard": (lambda c: reverse("coaching:dashboard"), EVERYONE),
    "cohort overview": (
        lambda c: reverse("coaching:cohort", args=[c.world.cohort.slug]),
        LEAD_ONLY_IN_COHORT,
    ),
    "policy": (
        lambda c: reverse("coaching:policy", args=[c.world.programme.slug]),
        expect(403, lead=200, superuser=200, outsider=404),
    ),
    "coachee page": (lambda c: reverse("coaching:coachee", args=[c.assignment.public_id]), RELATIONSHIP),
    "assignment edit": (
        lambda c: reverse("coaching:assignment_edit", args=[c.assignment.public_id]),
        expect(404, lead=200, coach=403, participant=403),
    ),
    "log a contact": (
        lambda c: reverse("coaching:contact_log", args=[c.assignment.public_id]),
        expect(404, coach=200, participant=403, lead=403),
    ),
    "add an action": (
        lambda c: reverse("coaching:action_add", args=[c.assignment.public_id]),
        expect(404, coach=200, participant=200, lead=403),
    ),
    "journal": (lambda c: reverse("coaching:journal"), EVERYONE),
    "journal new": (
        lambda c: reverse("coaching:journal_new"),
        expect(404, coach=200, participant=200, peer=200, other_participant=200),
    ),
    "journal export": (lambda c: reverse("coaching:journal_export"), EVERYONE),
    "journal entry (cohort)": (
        lambda c: reverse("coaching:journal_entry", args=[c.entry.public_id]),
        expect(404, coach=200, participant=200, peer=200),
    ),
    "journal edit (cohort)": (
        lambda c: reverse("coaching:journal_edit", args=[c.entry.public_id]),
        expect(404, coach=403, participant=200, peer=403),
    ),
    "journal delete (the confirmation)": (
        lambda c: reverse("coaching:journal_delete", args=[c.entry.public_id]),
        expect(404, coach=403, participant=200, peer=403),
    ),
    "peer groups": (lambda c: reverse("coaching:peer_groups"), EVERYONE),
    "peer group new": (
        lambda c: reverse("coaching:peer_group_new", args=[c.world.cohort.slug]),
        expect(403, lead=200, superuser=200, coach=200, other_participant=404, outsider=404),
    ),
    "peer group": (lambda c: reverse("coaching:peer_group", args=[c.triad.public_id]), GROUP),
    "meeting log": (lambda c: reverse("coaching:meeting_log", args=[c.triad.public_id]), GROUP),
    "boards": (lambda c: reverse("coaching:boards"), EVERYONE),
    "cohort board": (lambda c: reverse("coaching:cohort_board", args=[c.world.cohort.slug]), COHORT_BOARD),
    "programme board": (
        lambda c: reverse("coaching:programme_board", args=[c.world.programme.slug]),
        expect(200, outsider=404),
    ),
    "thread": (lambda c: reverse("coaching:thread", args=[c.thread.public_id]), COHORT_BOARD),
    "post edit": (
        lambda c: reverse("coaching:post_edit", args=[c.post.public_id]),
        expect(403, participant=200, other_participant=404, outsider=404),
    ),
    "post delete (the confirmation)": (
        lambda c: reverse("coaching:post_delete", args=[c.post.public_id]),
        expect(403, participant=200, other_participant=404, outsider=404),
    ),
    "post hide": (
        lambda c: reverse("coaching:post_hide", args=[c.post.public_id]),
        expect(403, lead=200, superuser=200, other_participant=404, outsider=404),
    ),
    "notifications": (lambda c: reverse("notifications:list"), EVERYONE),
    "notification preferences": (lambda c: reverse("notifications:preferences"), EVERYONE),
}


@pytest.mark.parametrize("case", CASES)
def test_get_permissions(setup, case):
    """One test per page, every persona in turn (the world is built once per page, to keep the suite fast)."""
    url_of, expected = CASES[case]
    url = url_of(setup)
    got = {}
    for persona in PERSONAS:
        response = client_for(Client(), setup.user(persona)).get(url)
        got[persona] = response.status_code
        if response.status_code == 302:
            assert response.url.startswith(reverse("accounts:login")), f"{case} as {persona}"
    assert got == expected, case


POST_CASES = {
    "action status": (
        lambda c: reverse("coaching:action_status", args=[c.action.public_id]),
        {"status": "done"},
        expect(404, coach=302, participant=302, lead=403),
    ),
    "comment on the project": (
        lambda c: reverse("coaching:comment_add", args=[c.project.public_id]),
        {"body": "Good luck"},
        # The project is "team only": its owner, the cohort's coaches and the programme's overseers (its lead and
        # critical friends, by the sharing terms) read it, and readers may comment (superusers have no exception).
        expect(404, coach=302, participant=302, lead=302, critical_friend=302),
    ),
    "delete a post": (
        lambda c: reverse("coaching:post_delete", args=[c.post.public_id]),
        {"confirm": "yes"},
        expect(403, participant=302, other_participant=404, outsider=404),
    ),
    "delete a journal entry": (
        lambda c: reverse("coaching:journal_delete", args=[c.entry.public_id]),
        {"confirm": "yes"},
        expect(404, participant=302, coach=403, peer=403),
    ),
}


@pytest.mark.parametrize("case", POST_CASES)
def test_post_permissions(setup, case):
    """Each persona posts in its own savepoint, so one person's successful change does not change the
    next person's starting point."""
    setup.action = action_create(
        assignment=setup.assignment,
        spec=ActionSpec("Call the pharmacist", "participant", timezone.localdate() + timedelta(days=3)),
        actor=setup.people["coach"],
    )
    url_of, data, expected = POST_CASES[case]
    url = url_of(setup)
    got = {}
    for persona in PERSONAS:
        sid = transaction.savepoint()
        response = client_for(Client(), setup.user(persona)).post(url, data)
        got[persona] = response.status_code
        if persona == "anonymous":
            assert response.url.startswith(reverse("accounts:login"))
        transaction.savepoint_rollback(sid)
    assert got == expected, case


@pytest.mark.parametrize(
    "name",
    ["coaching:action_status", "notifications:open"],
)
def test_post_only_views_refuse_get(client, setup, name):
    client_for(client, setup.people["participant"])
    assert client.get(reverse(name, args=[setup.post.public_id])).status_code == 405


def test_a_superuser_gets_no_coaching_exception(setup):
    """Being an administrator of the installation is not a reason to read coaching relationships or peer
    groups: superusers have the admin, which shows neither notes nor reflections."""
    superuser = setup.people["superuser"]
    assert not assignments_visible_to(superuser).exists()
    assert not peer_groups_visible_to(superuser).exists()
    client = client_for(Client(), superuser)
    assert client.get(reverse("coaching:coachee", args=[setup.assignment.public_id])).status_code == 404
    assert client.get(reverse("coaching:peer_group", args=[setup.triad.public_id])).status_code == 404
    dashboard = client.get(reverse("coaching:dashboard")).content.decode()
    assert setup.people["participant"].full_name not in dashboard


def test_each_relationship_is_listed_once_whoever_else_leads_or_coaches(setup):
    """A lead sees each relationship of the programme once, however many leads it has, and so does a person
    who both leads the programme and coaches in it."""
    people, programme = setup.people, setup.world.programme
    programme.leads.add(people["critical_friend"], people["coach"])
    for person in ("lead", "coach"):
        seen = list(assignments_visible_to(people[person]).values_list("pk", flat=True))
        assert seen.count(setup.assignment.pk) == 1, person
    assert not assignments_visible_to(people["outsider"]).exists()
    assert list(assignments_visible_to(people["participant"])) == [setup.assignment]

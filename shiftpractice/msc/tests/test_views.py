"""Every most significant change page for every persona, anonymity on the panel's pages, and query budgets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PERSONAS, client_for
from shiftpractice.msc import selectors, services
from shiftpractice.msc.models import Choice, Story

from .helpers import bulk_stories, cohort_round, domains, write

pytestmark = pytest.mark.world_per_module

IN_PROGRAMME = {
    "lead": 200,
    "coach": 200,
    "participant": 200,
    "other_participant": 200,
    "critical_friend": 200,
}
OUTSIDE = {"outsider": 404, "anonymous": 302}
READ = {**IN_PROGRAMME, **OUTSIDE}
LEAD = {**READ, "coach": 403, "participant": 403, "other_participant": 403, "critical_friend": 403}
WRITE = {**READ, "lead": 403, "coach": 403, "critical_friend": 403}
AUTHOR = {**{p: 404 for p in PERSONAS}, "participant": 200, "anonymous": 302}
# A cohort round (panel: the lead and the critical friend): unknown to participants of other cohorts.
ROUND = {**READ, "coach": 403, "participant": 403, "other_participant": 404}
CHOOSE = ROUND
CLOSE = {**ROUND, "critical_friend": 403}
# Results of a closed cohort round: its storytellers (the participant), the panel and the leads.
RESULTS = {**ROUND, "participant": 200}


def _main(response) -> str:
    """The page's own content, without the header (which names the person signed in)."""
    body = response.content.decode()
    return body[body.index("<main") :]


@pytest.fixture
def setup(world):
    practice, _, nature = domains(world)
    story = write(practice, world.people["participant"], title="Paperless discharge")
    open_round = cohort_round(world, title="Open round")
    closed_round = cohort_round(world, title="Closed round")
    services.choice_record(
        round_=closed_round, story=story, reasons="It saves paper every day.", actor=world.people["lead"]
    )
    services.round_close(round_=closed_round, actor=world.people["lead"])
    return {"domain": nature, "story": story, "open": open_round, "closed": closed_round}


def _pages(world, s):
    slug = world.programme.slug
    return {
        "programme": (reverse("msc:programme", args=[slug]), READ),
        "domains": (reverse("msc:domains", args=[slug]), LEAD),
        "domain_edit": (reverse("msc:domain_edit", args=[s["domain"].public_id]), LEAD),
        "domain_remove": (reverse("msc:domain_remove", args=[s["domain"].public_id]), LEAD),
        "my_stories": (reverse("msc:my_stories", args=[slug]), WRITE),
        "story_write": (reverse("msc:story_write", args=[s["domain"].public_id]), WRITE),
        "story_withdraw": (reverse("msc:story_withdraw", args=[s["story"].public_id]), AUTHOR),
        "rounds": (reverse("msc:rounds", args=[slug]), READ),
        "round_new": (reverse("msc:round_new", args=[slug]), LEAD),
        "round": (reverse("msc:round", args=[s["open"].public_id]), ROUND),
        "choose": (reverse("msc:choose", args=[s["open"].public_id, s["story"].public_id]), CHOOSE),
        "round_close": (reverse("msc:round_close", args=[s["open"].public_id]), CLOSE),
        "results": (reverse("msc:results", args=[s["closed"].public_id]), RESULTS),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_answers_each_persona_as_it_should(world, setup, client, persona):
    client_for(client, world.people[persona])
    for name, (url, expected) in _pages(world, setup).items():
        assert client.get(url).status_code == expected[persona], (name, persona)


def test_an_open_round_has_no_results_page(world, setup, client):
    client_for(client, world.people["lead"])
    assert client.get(reverse("msc:results", args=[setup["open"].public_id])).status_code == 404


@pytest.mark.parametrize(
    "persona", ["lead", "coach", "participant", "other_participant", "outsider", "anonymous"]
)
def test_a_choice_by_anyone_not_on_the_panel_is_refused(world, setup, client, persona):
    round_ = cohort_round(world, panel=[world.people["critical_friend"]], title="Friend's round")
    client_for(client, world.people[persona])
    url = reverse("msc:choose", args=[round_.public_id, setup["story"].public_id])
    response = client.post(url, {"reasons": "Hijacked"})
    assert response.status_code == {"anonymous": 302, "outsider": 404, "other_participant": 404}.get(
        persona, 403
    )
    assert not Choice.objects.filter(round=round_).exists()


def test_the_panel_chooses_and_the_lead_closes_and_the_storyteller_reads_the_results(world, setup, client):
    friend, lead = world.people["critical_friend"], world.people["lead"]
    round_, story = setup["open"], setup["story"]
    client_for(client, friend)
    url = reverse("msc:choose", args=[round_.public_id, story.public_id])
    assert client.post(url, {"reasons": ""}).status_code == 200  # the error is shown, nothing saved
    response = client.post(url, {"reasons": "Everyone on the ward noticed."})
    assert response.status_code == 302
    assert Choice.objects.get(round=round_).chosen_by == friend
    client_for(client, lead)
    response = client.post(reverse("msc:round_close", args=[round_.public_id]), {"confirm": "yes"})
    assert response.status_code == 302
    client_for(client, world.people["participant"])
    body = _main(client.get(reverse("msc:results", args=[round_.public_id])))
    assert "Paperless discharge" in body and "Everyone on the ward noticed." in body
    assert "Pat Participant" not in body  # they did not allow their name


def test_the_round_page_shows_no_author_names_unless_allowed(world, setup, client):
    practice = setup["story"].domain
    write(practice, world.people["other_participant"], title="Named story", show_name=True)
    programme_round = services.round_create(
        programme=world.programme,
        title="Programme",
        panel=[world.people["critical_friend"]],
        stacked=[setup["closed"]],
        actor=world.people["lead"],
    )
    client_for(client, world.people["critical_friend"])
    body = client.get(reverse("msc:round", args=[setup["open"].public_id])).content.decode()
    assert "Paperless discharge" in body and "Story A" in body
    assert "Pat Participant" not in body
    body = client.get(reverse("msc:choose", args=[setup["open"].public_id, setup["story"].public_id])).content
    assert b"Pat Participant" not in body
    # Another cohort's story with the name allowed, in a round that reads it: the name shows.
    other_round = cohort_round(
        world, panel=[world.people["critical_friend"]], cohort=world.other_cohort, title="Cohort B"
    )
    body = client.get(reverse("msc:round", args=[other_round.public_id])).content.decode()
    assert "Named story" in body and "Olu Other" in body
    # The programme round reads only the chosen story, without the name.
    body = client.get(reverse("msc:round", args=[programme_round.public_id])).content.decode()
    assert "Paperless discharge" in body and "Named story" not in body and "Pat Participant" not in body


def test_every_storyteller_of_the_stacked_rounds_reads_the_programme_rounds_results(world, setup, client):
    lead, practice = world.people["lead"], setup["story"].domain
    unchosen = write(practice, world.people["other_participant"], title="Not chosen")
    round_b = cohort_round(world, panel=[lead], cohort=world.other_cohort, title="Cohort B")
    services.round_close(round_=round_b, actor=lead)
    programme_round = services.round_create(
        programme=world.programme,
        title="Programme",
        panel=[lead],
        stacked=[setup["closed"], round_b],
        actor=lead,
    )
    services.round_close(round_=programme_round, actor=lead)
    client_for(client, unchosen.author)
    assert client.get(reverse("msc:results", args=[programme_round.public_id])).status_code == 200
    listed = client.get(reverse("msc:rounds", args=[world.programme.slug])).content.decode()
    assert "Programme" in listed and "Cohort B" in listed and "Closed round" not in listed
    client_for(client, world.people["coach"])
    assert client.get(reverse("msc:results", args=[programme_round.public_id])).status_code == 403


def test_a_lead_not_on_the_panel_sees_progress_but_not_the_stories(world, setup, client):
    round_ = cohort_round(world, panel=[world.people["critical_friend"]], title="Friend only")
    client_for(client, world.people["lead"])
    body = client.get(reverse("msc:round", args=[round_.public_id])).content.decode()
    assert "not on this round" in body and "Before, every letter" not in body


def test_a_participant_writes_edits_and_withdraws_their_story(world, setup, client):
    me = world.people["other_participant"]
    client_for(client, me)
    url = reverse("msc:story_write", args=[setup["domain"].public_id])
    response = client.post(url, {"title": "Rewilding the car park", "story": "We dug it up.", "why": "Bees."})
    assert response.status_code == 200 and "Tick the box" in response.content.decode()
    client.post(
        url, {"title": "Rewilding the car park", "story": "We dug it up.", "why": "Bees.", "consent": "on"}
    )
    story = Story.objects.get(author=me)
    client.post(url, {"title": "Rewilding the staff car park", "story": "We dug it up.", "why": "Bees."})
    story.refresh_from_db()
    assert story.title == "Rewilding the staff car park" and story.show_name is False
    page = client.get(reverse("msc:my_stories", args=[world.programme.slug])).content.decode()
    assert "Rewilding the staff car park" in page
    withdraw = reverse("msc:story_withdraw", args=[story.public_id])
    client.post(withdraw)  # without the confirmation nothing happens
    assert Story.objects.get(pk=story.pk).withdrawn_at is None
    assert client.post(withdraw, {"confirm": "yes"}).status_code == 302
    assert Story.objects.get(pk=story.pk).withdrawn_at is not None


def test_the_lead_adds_renames_and_cannot_remove_a_domain_with_stories(world, setup, client):
    client_for(client, world.people["lead"])
    slug = world.programme.slug
    client.post(reverse("msc:domains", args=[slug]), {"name": "Changes in my team", "order": 4})
    assert "Changes in my team" in client.get(reverse("msc:domains", args=[slug])).content.decode()
    practice = setup["story"].domain
    response = client.post(reverse("msc:domain_remove", args=[practice.public_id]), {"confirm": "yes"})
    assert response.status_code == 409 and "cannot be removed" in response.content.decode()


def test_the_lead_opens_a_round_from_the_form(world, setup, client):
    client_for(client, world.people["lead"])
    response = client.post(
        reverse("msc:round_new", args=[world.programme.slug]),
        {"title": "New panel", "cohort": world.cohort.pk, "panel": [world.people["critical_friend"].pk]},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("msc:round_new", args=[world.programme.slug]),
        {"title": "Programme panel", "cohort": "", "panel": [world.people["lead"].pk]},
    )
    assert response.status_code == 200 and "closed cohort rounds" in response.content.decode()


# ---- query budgets ----------------------------------------------------------------------------------------


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


@pytest.fixture
def sized(world):
    def build(n):
        domain_list = domains(world)
        bulk_stories(world, domain_list, n)
        lead, friend = world.people["lead"], world.people["critical_friend"]
        round_ = cohort_round(world)
        for domain in domain_list:
            first = selectors.round_candidates(round_, domain).first()
            services.choice_record(round_=round_, story=first, reasons="Chosen", actor=friend)
        services.round_close(round_=round_, actor=lead)
        open_round = cohort_round(world, title="Second")
        return round_, open_round

    return build


@pytest.mark.parametrize("n", [10, 200])
def test_query_budgets_are_the_same_at_10_and_200_stories(world, sized, client, n, record_property):
    closed, open_round = sized(n)
    assert Story.objects.count() == n
    client_for(client, world.people["critical_friend"])
    round_url = reverse("msc:round", args=[open_round.public_id])
    results_url = reverse("msc:results", args=[closed.public_id])
    counts = {
        "round page": _count(lambda: client.get(round_url)),
        "results page": _count(lambda: client.get(results_url)),
        "story_counts": _count(lambda: selectors.story_counts(world.programme)),
        "story_counts cohort": _count(lambda: selectors.story_counts(world.programme, world.cohort)),
        "chosen_for_report": _count(lambda: selectors.chosen_for_report(world.programme, world.cohort)),
        "chosen_for_report fallback": _count(lambda: selectors.chosen_for_report(world.programme)),
    }
    client_for(client, world.people["lead"])
    counts["rounds list"] = _count(lambda: client.get(reverse("msc:rounds", args=[world.programme.slug])))
    record_property("queries", counts)
    print(n, counts)
    assert counts == BUDGET, counts
    report = selectors.story_counts(world.programme)
    assert report["stories"] == n and report["storytellers"] == n
    assert len(selectors.chosen_for_report(world.programme)) == 3


# Measured at 10 stories; 200 must run the same queries (the pages add the session, the user, the header's
# notifications and messages to their own).
BUDGET = {
    "round page": 14,
    "results page": 12,
    "story_counts": 2,
    "story_counts cohort": 2,
    "chosen_for_report": 3,
    "chosen_for_report fallback": 4,
    "rounds list": 10,
}

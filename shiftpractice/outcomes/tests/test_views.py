"""Every outcome page for every persona, and what each form does.

The project belongs to the world's participant (team visibility): its team and its cohort's coach record
outcomes; the programme's lead and critical friend read and substantiate them; everyone else is told nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONAS, client_for
from shiftpractice.coaching.models import CoachAssignment
from shiftpractice.outcomes import services
from shiftpractice.outcomes.models import Outcome, Substantiation, SubstantiationRequest
from shiftpractice.projects.models import ChangeProject
from tests.factories import UserFactory

from .helpers import TOKEN, make_outcome, make_project, send_link

pytestmark = pytest.mark.world_per_module

READ = {
    "participant": 200,
    "coach": 200,
    "lead": 200,
    "critical_friend": 200,
    "other_participant": 404,
    "outsider": 404,
    "anonymous": 302,
}
RECORD = {**READ, "lead": 403, "critical_friend": 403}
SUBSTANTIATE = {**READ, "participant": 403, "coach": 403}
HARVEST = {**READ, "participant": 404, "coach": 404}


@pytest.fixture
def outcome(world):
    return make_outcome(make_project(world))


def _pages(world, outcome):
    project, oid = outcome.project, outcome.public_id
    slug = world.programme.slug
    return {
        "project": (reverse("outcomes:project", args=[project.public_id]), READ),
        "add": (reverse("outcomes:add", args=[project.public_id]), RECORD),
        "detail": (reverse("outcomes:detail", args=[oid]), READ),
        "edit": (reverse("outcomes:edit", args=[oid]), RECORD),
        "delete": (reverse("outcomes:delete", args=[oid]), RECORD),
        "substantiate": (reverse("outcomes:substantiate", args=[oid]), SUBSTANTIATE),
        "link_send": (reverse("outcomes:link_send", args=[oid]), SUBSTANTIATE),
        "harvest": (reverse("outcomes:harvest", args=[slug]), HARVEST),
        "harvest_cohort": (reverse("outcomes:harvest", args=[slug]) + "?cohort=cohort-a", HARVEST),
        "harvest_csv": (reverse("outcomes:harvest_csv", args=[slug]), HARVEST),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_answers_each_persona_as_it_should(world, outcome, client, persona):
    client_for(client, world.people[persona])
    for name, (url, expected) in _pages(world, outcome).items():
        response = client.get(url)
        assert response.status_code == expected[persona], (name, persona)
        if expected[persona] == 302:
            assert response["Location"].startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("persona", ["outsider", "anonymous"])
def test_a_public_projects_outcomes_stay_private(world, outcome, client, persona):
    ChangeProject.objects.filter(pk=outcome.project.pk).update(
        visibility="public", public_approved_at=timezone.now()
    )
    client_for(client, world.people[persona])
    for url in (
        reverse("outcomes:project", args=[outcome.project.public_id]),
        reverse("outcomes:detail", args=[outcome.public_id]),
    ):
        assert client.get(url).status_code == (404 if persona == "outsider" else 302)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_link_page_is_for_whoever_holds_the_link(world, outcome, client, persona, monkeypatch):
    send_link(outcome, world.people["lead"], monkeypatch)
    client_for(client, world.people[persona])
    response = client.get(reverse("outcomes:link", args=[TOKEN]))
    assert response.status_code == 200
    body = response.content.decode()
    assert outcome.description in body and "Sam Estates" in body
    assert client.get(reverse("outcomes:link", args=["forged"])).status_code == 410


def _form(**overrides):
    data = {
        "who_changed": "The discharge lounge team",
        "kind": "practice",
        "description": "They ask every patient about walking aids before transport is booked.",
        "when": "14 February 2026",
        "where": "Discharge lounge",
        "contribution": "Our PDSA cycles showed how often aids were forgotten.",
        "significance": "Fewer returned journeys, less fuel.",
        "evidence": "Transport rebookings halved.",
        "lenses": ["ecology", "equality"],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["participant", "coach"])
def test_the_team_and_the_coach_record_and_change_an_outcome(world, client, persona):
    project = make_project(world)
    client_for(client, world.people[persona])
    response = client.post(reverse("outcomes:add", args=[project.public_id]), _form())
    outcome = Outcome.objects.get()
    assert response.status_code == 302 and response["Location"] == outcome.get_absolute_url()
    assert outcome.recorded_by == world.people[persona]
    assert outcome.lenses == ["equality", "ecology"] and not outcome.month_only
    response = client.post(reverse("outcomes:edit", args=[outcome.public_id]), _form(when="March 2026"))
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.month_only and outcome.when_label == "March 2026"


def test_a_refused_outcome_keeps_what_was_typed(world, client):
    project = make_project(world)
    client_for(client, world.people["participant"])
    response = client.post(
        reverse("outcomes:add", args=[project.public_id]), _form(who_changed="Dr Patel", when="someday")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Give a date like 14 March 2026" in body
    assert "They ask every patient about walking aids" in body
    assert not Outcome.objects.exists()
    response = client.post(reverse("outcomes:add", args=[project.public_id]), _form(who_changed="Dr Patel"))
    assert "not a person" in response.content.decode()
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("persona", ["lead", "critical_friend", "other_participant", "outsider"])
def test_nobody_else_changes_or_removes_an_outcome(world, outcome, client, persona):
    client_for(client, world.people[persona])
    client.post(reverse("outcomes:edit", args=[outcome.public_id]), _form(who_changed="Hijacked"))
    client.post(reverse("outcomes:delete", args=[outcome.public_id]), {"confirm": "yes"})
    outcome.refresh_from_db()
    assert outcome.who_changed == "The theatre anaesthetists"


def test_removing_asks_first(world, outcome, client):
    client_for(client, world.people["participant"])
    url = reverse("outcomes:delete", args=[outcome.public_id])
    assert "Remove the outcome" in client.get(url).content.decode()
    client.post(url)
    assert Outcome.objects.exists()
    response = client.post(url, {"confirm": "yes"})
    assert response["Location"] == reverse("outcomes:project", args=[outcome.project.public_id])
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("persona", ["participant", "coach", "other_participant", "outsider"])
def test_only_leads_and_critical_friends_substantiate_or_send_links(world, outcome, client, persona):
    client_for(client, world.people[persona])
    client.post(reverse("outcomes:substantiate", args=[outcome.public_id]), {"verdict": "agree"})
    client.post(
        reverse("outcomes:link_send", args=[outcome.public_id]),
        {"name": "X", "email": "x@example.org", "role": "Y"},
    )
    assert not Substantiation.objects.exists() and not SubstantiationRequest.objects.exists()


def test_a_critical_friend_substantiates_and_the_detail_shows_it(world, outcome, client):
    client_for(client, world.people["critical_friend"])
    url = reverse("outcomes:substantiate", args=[outcome.public_id])
    response = client.post(url, {"verdict": "disagree", "comment": ""})
    assert response.status_code == 200 and "say what you see differently" in response.content.decode().lower()
    response = client.post(
        url, {"verdict": "partly", "comment": "Only in main theatres so far."}, follow=True
    )
    body = response.content.decode()
    assert "Partly agrees" in body and "Only in main theatres so far." in body


def test_the_lead_sends_a_link_and_the_outside_person_answers_without_an_account(
    world, outcome, client, django_capture_on_commit_callbacks, mailoutbox
):
    client_for(client, world.people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outcomes:link_send", args=[outcome.public_id]),
            {"name": "Sam Estates", "email": "sam@hospital.example", "role": "Estates manager"},
        )
    assert response.status_code == 302
    link = next(w for w in mailoutbox[0].body.split() if "/outcomes/substantiate/" in w)
    path = link[link.index("/outcomes/") :]
    client.logout()
    response = client.post(path, {"verdict": "agree", "comment": "", "confirm_name": "Sam Estates"})
    assert "Thank you" in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.status == "agree"
    again = client.get(path)
    assert again.status_code == 410 and "already" in again.content.decode()
    assert (
        client.post(path, {"verdict": "disagree", "comment": "x", "confirm_name": "Sam"}).status_code == 410
    )
    assert Substantiation.objects.count() == 1


def test_the_harvest_filters_and_counts(world, client):
    project = make_project(world)
    mine = make_outcome(project)
    make_outcome(project, who_changed="The hospital's procurement team", kind="policy", lenses=["equality"])
    services.substantiate(outcome=mine, actor=world.people["lead"], verdict="agree")
    client_for(client, world.people["critical_friend"])
    url = reverse("outcomes:harvest", args=[world.programme.slug])
    body = client.get(url).content.decode()
    assert "The theatre anaesthetists" in body and "procurement team" in body
    assert "<strong>2</strong> outcomes match, <strong>1</strong> substantiated" in body
    body = client.get(url + "?lens=ecology").content.decode()
    assert "The theatre anaesthetists" in body and "procurement team" not in body
    body = client.get(url + "?status=none").content.decode()
    assert "The theatre anaesthetists" not in body and "procurement team" in body
    body = client.get(url + "?kind=policy&cohort=cohort-b").content.decode()
    assert "No outcomes match these filters" in body
    body = client.get(url + "?kind=nonsense&lens=nonsense").content.decode()
    assert "<strong>2</strong> outcomes match" in body


def test_the_csv_is_formula_safe_and_holds_no_email(world, client, monkeypatch):
    project = make_project(world)
    outcome = make_outcome(project, who_changed='=HYPERLINK("http://evil")')
    send_link(outcome, world.people["lead"], monkeypatch)
    services.link_respond(token=TOKEN, verdict="agree", confirm_name="Sam Estates")
    client_for(client, world.people["lead"])
    response = client.get(reverse("outcomes:harvest_csv", args=[world.programme.slug]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "'=HYPERLINK" in text and "Agreed" in text
    assert "@" not in text and "Sam Estates" not in text


def test_an_assigned_coach_outside_the_cohort_records_outcomes(world, client):
    project = make_project(world)
    coach = UserFactory(email="assigned.coach@example.org")
    today = timezone.localdate()
    CoachAssignment.objects.create(
        cohort=world.cohort, coach=coach, participant=project.owner, starts_on=today - timedelta(days=30)
    )
    client_for(client, coach)
    assert client.get(reverse("outcomes:add", args=[project.public_id])).status_code == 200
    CoachAssignment.objects.filter(coach=coach).update(ends_on=today - timedelta(days=1))
    assert client.get(reverse("outcomes:add", args=[project.public_id])).status_code == 404

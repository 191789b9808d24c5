"""The network's pages: the public forms (spam defences, bad input kept, links that act only on a button), and
the triage pages, which only the programme's leads reach: every other persona, a signed-in outsider and an
anonymous visitor cannot read or change anything."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for
from shiftpractice.network import spam
from shiftpractice.network.choices import ApproachStatus
from shiftpractice.network.models import Approach, ApproachNote, RefusedSubmission
from tests.factories import UserFactory

from .helpers import confirmed, links, open_call, post_data

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_module]

OTHERS = ["coach", "participant", "other_participant", "critical_friend", "outsider"]


@pytest.fixture
def programme(world):
    open_call(world.programme, world.people["lead"])
    return world.programme


def form_url(programme, kind="interest"):
    return reverse("network:form", args=[programme.slug, kind])


# The public forms -----------------------------------------------------------------------------------------


def test_the_take_part_page_lists_open_calls_only(client, world, programme):
    page = client.get(reverse("network:take_part")).content.decode()
    assert programme.name in page and form_url(programme) in page
    from shiftpractice.network import services

    services.open_call_set(programme=programme, is_open=False, invitation="", actor=world.people["lead"])
    page = client.get(reverse("network:take_part")).content.decode()
    assert programme.name not in page
    assert client.get(form_url(programme)).status_code == 404


def test_a_visitor_submits_and_is_asked_to_check_their_email(client, programme):
    response = client.get(form_url(programme))
    assert response.status_code == 200
    assert 'name="website"' in response.content.decode() and 'tabindex="-1"' in response.content.decode()
    response = client.post(form_url(programme), post_data())
    assert response.status_code == 302 and response["Location"].endswith("/sent/")
    approach = Approach.objects.get()
    assert approach.status == ApproachStatus.UNCONFIRMED and approach.change.startswith("Social prescribing")


def test_an_offer_needs_at_least_one_way_to_help(client, programme):
    response = client.post(form_url(programme, "offer"), post_data())
    assert response.status_code == 400
    assert "Choose at least one way you could contribute" in response.content.decode()
    response = client.post(form_url(programme, "offer"), post_data(offers=["workshop", "data"]))
    assert response.status_code == 302
    assert Approach.objects.get().offers == ["workshop", "data"]


def test_bad_input_is_shown_again_with_what_was_typed(client, programme):
    response = client.post(form_url(programme), post_data(email="not-an-address", consent_to_contact=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Tick the box" in page
    assert 'value="Riverside Surgery"' in page and "Social prescribing in green spaces" in page
    assert not Approach.objects.exists()


@pytest.mark.parametrize(
    "trick,reason",
    [
        ({"website": "http://spam.example"}, "honeypot"),
        ({"started": "just now"}, "too_fast"),
        ({"started": "forged"}, "no_stamp"),
    ],
)
def test_a_program_is_refused_quietly_and_counted(client, programme, trick, reason):
    if trick.get("started") == "just now":
        trick = {"started": spam.stamp()}
    response = client.post(form_url(programme), post_data(**trick))
    assert response.status_code == 302 and response["Location"].endswith("/sent/")  # it learns nothing
    assert not Approach.objects.exists()
    assert RefusedSubmission.objects.get(reason=reason).count == 1


def test_too_many_from_one_address_are_refused_quietly(client, programme):
    for n in range(spam.PER_EMAIL[0]):
        assert client.post(form_url(programme), post_data(name=f"Try {n}")).status_code == 302
    client.post(form_url(programme), post_data(name="One too many"))
    assert Approach.objects.get().name == f"Try {spam.PER_EMAIL[0] - 1}"
    assert RefusedSubmission.objects.get(reason="too_many").count == 1


def test_a_form_opened_long_ago_is_shown_again_with_the_answers(client, programme):
    old = spam.stamp(at=time.time() - spam.MAX_AGE - 60)
    response = client.post(form_url(programme), post_data(started=old))
    assert response.status_code == 400
    assert "more than a day ago" in response.content.decode()
    assert 'value="Gita Green"' in response.content.decode()
    assert not Approach.objects.exists()


def test_links_act_only_on_the_button(client, programme):
    client.post(form_url(programme), post_data())
    confirm, withdraw = links("gita@example.org")
    url = reverse("network:confirm", args=[confirm])
    assert client.get(url).status_code == 200  # a mail scanner opening the link changes nothing
    assert Approach.objects.get().status == ApproachStatus.UNCONFIRMED
    assert "Thank you" in client.post(url).content.decode()
    assert Approach.objects.get().status == ApproachStatus.NEW
    again = client.post(url)
    assert again.status_code == 400 and "This link does not work" in again.content.decode()
    client.post(reverse("network:withdraw", args=[withdraw]))
    assert Approach.objects.get().status == ApproachStatus.WITHDRAWN


# The triage pages -----------------------------------------------------------------------------------------


@pytest.fixture
def approach(programme):
    return confirmed(programme)


def lead_urls(programme, approach):
    return [
        reverse("network:list", args=[programme.slug]),
        reverse("network:csv", args=[programme.slug]),
        reverse("network:approach", args=[programme.slug, approach.public_id]),
        reverse("network:open_call", args=[programme.slug]),
    ]


def test_the_lead_reads_every_triage_page(client, world, programme, approach):
    client_for(client, world.people["lead"])
    for url in lead_urls(programme, approach):
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(lead_urls(programme, approach)[2]).content.decode()
    assert "gita@example.org" in detail and "Social prescribing" in detail


@pytest.mark.parametrize("persona", [*OTHERS, "superuser", "anonymous"])
def test_nobody_else_reads_or_changes_an_approach(world, programme, approach, persona):
    user = UserFactory(is_superuser=True, is_staff=True) if persona == "superuser" else world.people[persona]
    client = client_for(Client(), user)
    for url in lead_urls(programme, approach):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), (persona, url, response.status_code)
        assert b"gita@example.org" not in b"".join(getattr(response, "streaming_content", [response.content]))
    detail = lead_urls(programme, approach)[2]
    for data in (
        {"action": "status", "status-status": "shortlisted"},
        {"action": "note", "note-text": "Sneaky"},
        {"action": "decline", "decline-message": ""},
        {"action": "invite", "invite-cohort": world.cohort.pk, "invite-role": "participant"},
    ):
        assert client.post(detail, data).status_code in (302, 403, 404)
    client.post(lead_urls(programme, approach)[3], {"is_open": ""})
    approach.refresh_from_db()
    assert approach.status == ApproachStatus.NEW and not ApproachNote.objects.exists()
    assert programme.open_call.is_open


def test_the_lead_triages_and_a_bad_choice_keeps_the_form(client, world, programme, approach):
    client_for(client, world.people["lead"])
    detail = reverse("network:approach", args=[programme.slug, approach.public_id])
    assert client.post(detail, {"action": "status", "status-status": "shortlisted"}).status_code == 302
    response = client.post(detail, {"action": "invite", "invite-role": "participant"})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    response = client.post(detail, {"action": "note", "note-text": ""})
    assert response.status_code == 400
    response = client.post(
        detail, {"action": "invite", "invite-cohort": world.other_cohort.pk, "invite-role": "participant"}
    )
    assert response.status_code == 302
    approach.refresh_from_db()
    assert approach.status == ApproachStatus.INVITED


def test_the_list_filters_in_the_database(client, world, programme, approach):
    confirmed(
        programme, email="olu@example.org", name="Olu Offer", kind="offer", offers=["coach"], region="london"
    )
    client_for(client, world.people["lead"])
    url = reverse("network:list", args=[programme.slug])
    page = client.get(url, {"region": "london"}).content.decode()
    assert "Olu Offer" in page and "Gita Green" not in page
    page = client.get(url, {"kind": "interest"}).content.decode()
    assert "Gita Green" in page and "Olu Offer" not in page
    csv = b"".join(
        client.get(reverse("network:csv", args=[programme.slug]), {"kind": "offer"}).streaming_content
    )
    assert b"Olu Offer" in csv and b"Gita Green" not in csv


def test_the_csv_defuses_formulas(client, world, programme):
    confirmed(programme, email="x@example.org", name="=HYPERLINK(1)")
    client_for(client, world.people["lead"])
    csv = b"".join(client.get(reverse("network:csv", args=[programme.slug])).streaming_content).decode()
    assert "'=HYPERLINK(1)" in csv

"""Every cohorts page lives under /cohorts/; the addresses they had before lead there for good (301, with the
rest of the path and the query string), and a subscribed calendar feed keeps serving at its old address."""

import uuid

import icalendar
import pytest
from django.urls import resolve, reverse

from conftest import client_for
from shiftpractice.cohorts import services

ID = uuid.UUID("0b0e8a53-7a3c-4a43-a2c1-0d7f6c1f0c11")

# (old address, the page's name and arguments)
MOVED = [
    ("/programmes/pilot/", "cohorts:programme", ["pilot"]),
    ("/programmes/pilot/cohorts/new/", "cohorts:add", ["pilot"]),
    ("/programmes/pilot/workshops/new/", "cohorts:workshop_add", ["pilot"]),
    (f"/programmes/pilot/workshops/{ID}/edit/", "cohorts:workshop_edit", ["pilot", ID]),
    ("/invitations/some-token-from-an-email/", "cohorts:invitation_accept", ["some-token-from-an-email"]),
    (f"/invitations/{ID}/withdraw/", "cohorts:invitation_revoke", [ID]),
    (f"/invitations/{ID}/resend/", "cohorts:invitation_resend", [ID]),
    (f"/workshops/{ID}/", "cohorts:workshop", [ID]),
    (f"/workshops/{ID}/attendance/", "cohorts:attendance", [ID]),
    (f"/workshops/{ID}/materials/new/", "cohorts:material_add", [ID]),
    (f"/workshops/{ID}/calendar.ics", "cohorts:workshop_ics", [ID]),
    (f"/materials/{ID}/remove/", "cohorts:material_remove", [ID]),
    (f"/materials/{ID}/download/", "cohorts:material_download", [ID]),
    ("/calendar/", "cohorts:my_calendar", []),
    ("/calendar/reset/", "cohorts:my_calendar_reset", []),
]


@pytest.mark.parametrize(("old", "name", "args"), MOVED, ids=[m[1] for m in MOVED])
@pytest.mark.parametrize("query", ["", "?utm_source=email&next=%2Fprojects%2F"])
def test_every_old_address_leads_to_the_same_page_under_cohorts(client, db, old, name, args, query):
    response = client.get(old + query)
    new = reverse(name, args=args)
    assert new.startswith("/cohorts/")
    assert response.status_code == 301 and response.url == new + query
    assert resolve(new).view_name == name


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("/programmes/", "programmes:list"),
        ("/programmes/new/", "programmes:add"),
        ("/programmes/pilot/edit/", "programmes:edit"),
        ("/programmes/pilot/leads/", "programmes:leads"),
        ("/programmes/pilot/milestones/new/", "programmes:milestone_add"),
        ("/programmes/pilot/portfolio/", "home:portfolio"),
        ("/programmes/pilot/portfolio.csv", "home:portfolio_csv"),
        ("/cohorts/cohort-a/", "cohorts:detail"),
        ("/cohorts/cohort-a/members/", "cohorts:members"),
    ],
)
def test_pages_that_did_not_move_are_not_redirected(address, name):
    assert resolve(address).view_name == name


def test_an_invitation_link_from_an_email_sent_before_the_move_still_joins(client, world):
    _invitation, token = services.invitation_create(
        cohort=world.cohort, email="late.reader@example.org", role="participant", actor=world.people["lead"]
    )
    page = client.get(f"/invitations/{token}/", follow=True)
    assert page.redirect_chain == [(reverse("cohorts:invitation_accept", args=[token]), 301)]
    assert page.status_code == 200 and "late.reader@example.org" in page.content.decode()


def test_a_calendar_subscribed_before_the_move_keeps_getting_the_feed_without_a_redirect(client, world):
    """Calendar apps poll the address they were given, unattended, and some never follow a redirect."""
    person = world.people["participant"]
    old = client.get(f"/calendar/feed/{person.calendar_token}.ics")
    new = client.get(reverse("cohorts:calendar_feed", args=[person.calendar_token]))
    assert new.request["PATH_INFO"].startswith("/cohorts/calendar/feed/")
    assert old.status_code == 200 and old["Content-Type"].startswith("text/calendar")
    assert old.content == new.content
    assert [str(e["summary"]) for e in icalendar.Calendar.from_ical(old.content).walk("VEVENT")]
    # A reset link kills the old address too: it is the same feed, found by the same token.
    client_for(client, person).post(reverse("cohorts:my_calendar_reset"))
    assert client.get(f"/calendar/feed/{person.calendar_token}.ics").status_code == 404


@pytest.mark.parametrize("token", ["forged", "x" * 43])
def test_the_old_feed_address_finds_nothing_for_a_forged_token(client, db, token):
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404

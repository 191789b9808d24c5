"""The audit viewer: a programme's leads see its events, site staff see every event, no one else sees any;
filters only narrow; the same queries for 10 events or 200."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shiftpractice.core.access_log import record_read
from shiftpractice.core.audit import audit
from shiftpractice.core.models import AuditEvent
from tests.factories import CohortFactory, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_module]

URL = reverse("audit:log")


@pytest.fixture
def two_programmes(world):
    """The personas' programme (A) and another (B) with its own lead, each with a change and a read."""
    lead_b = UserFactory(full_name="Bea Blead", email="bea@example.org")
    programme_b = ProgrammeFactory(slug="other", name="Other programme", leads=[lead_b])
    cohort_b = CohortFactory(programme=programme_b, slug="cohort-z", name="Cohort Z")
    participant_b = UserFactory(full_name="Zed Zparticipant", email="zed@example.org")
    audit(actor=world.user("lead"), verb="cohort.updated", obj=world.cohort, summary="A-CHANGE")
    record_read(
        actor=world.user("lead"),
        subject=world.user("participant"),
        obj=world.cohort,
        kind="coach_notes",
        what="A-READ",
        programme_id=world.programme.pk,
    )
    audit(actor=lead_b, verb="cohort.updated", obj=cohort_b, summary="B-CHANGE")
    record_read(
        actor=lead_b,
        subject=participant_b,
        obj=cohort_b,
        kind="coach_notes",
        what="B-READ",
        programme_id=programme_b.pk,
    )
    audit(actor=world.user("coach"), verb="site.thing", obj=world.user("coach"), summary="NO-PROGRAMME")
    world.lead_b = lead_b
    world.programme_b = programme_b
    return world


def body(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "persona", ["coach", "participant", "other_participant", "critical_friend", "outsider"]
)
def test_only_leads_and_staff_see_the_audit_viewer(two_programmes, login, persona):
    response = login(two_programmes.user(persona)).get(URL)
    assert response.status_code == 403
    assert "Only programme leads and the site" in response.content.decode()
    assert "A-READ" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(two_programmes, client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_lead_sees_their_programmes_events_and_none_of_another_programmes(two_programmes, login):
    client = login(two_programmes.user("lead"))
    page = body(client)
    assert "A-CHANGE" in page and "A-READ" in page and "Pat Participant" in page
    assert "B-CHANGE" not in page and "B-READ" not in page and "NO-PROGRAMME" not in page
    # Naming the other programme in the filter narrows nothing open: it is not one of the choices.
    page = client.get(URL, {"programme": "other"}).content.decode()
    assert "B-CHANGE" not in page and "B-READ" not in page
    page = body(client, person="Zed")
    assert "B-READ" not in page and "0 events" in page


def test_the_other_lead_sees_only_their_own_programme(two_programmes, login):
    page = body(login(two_programmes.lead_b))
    assert "B-CHANGE" in page and "B-READ" in page
    assert "A-CHANGE" not in page and "A-READ" not in page and "NO-PROGRAMME" not in page


def test_site_staff_see_every_event(two_programmes, login):
    staff = UserFactory(full_name="Stan Staff", is_staff=True)
    page = body(login(staff))
    for summary in ("A-CHANGE", "A-READ", "B-CHANGE", "B-READ", "NO-PROGRAMME"):
        assert summary in page
    assert "Other programme" in page
    page = body(login(staff), programme="other")
    assert "B-CHANGE" in page and "A-CHANGE" not in page and "NO-PROGRAMME" not in page


def test_records_about_journal_entries_are_never_listed(two_programmes, login):
    AuditEvent.objects.create(
        actor=two_programmes.user("participant"),
        verb="journal_entry.created",
        object_type="coaching.journalentry",
        object_id="1",
        summary="JOURNAL-SECRET",
        programme_id=two_programmes.programme.pk,
    )
    staff = UserFactory(is_staff=True)
    assert "JOURNAL-SECRET" not in body(login(two_programmes.user("lead")))
    assert "JOURNAL-SECRET" not in body(login(staff))


def test_filters_narrow_by_person_object_action_and_dates(two_programmes, login):
    client = login(UserFactory(is_staff=True))
    page = body(client, person="pat participant")  # the person the read was about, any case
    assert "A-READ" in page and "A-CHANGE" not in page
    page = body(client, person="bea@example")  # the person who acted, by email
    assert "B-CHANGE" in page and "B-READ" in page and "A-CHANGE" not in page
    page = body(client, object_type="accounts.user")
    assert "NO-PROGRAMME" in page and "A-CHANGE" not in page
    page = body(client, action="read.")  # every read of someone's personal data
    assert "A-READ" in page and "B-READ" in page and "A-CHANGE" not in page and "NO-PROGRAMME" not in page
    page = body(client, action="cohort.updated")
    assert "A-CHANGE" in page and "B-CHANGE" in page and "A-READ" not in page
    AuditEvent.objects.filter(summary="A-CHANGE").update(at=timezone.now() - timedelta(days=10))
    today = timezone.localdate()
    page = body(
        client, since=(today - timedelta(days=11)).isoformat(), until=(today - timedelta(days=9)).isoformat()
    )
    assert "A-CHANGE" in page and "A-READ" not in page and "1 event<" in page
    page = body(client, since=today.isoformat())
    assert "A-CHANGE" not in page and "A-READ" in page


def test_a_bad_filter_is_shown_as_an_error_and_the_rest_still_apply(two_programmes, login):
    client = login(two_programmes.user("lead"))
    today = timezone.localdate()
    page = body(client, since=today.isoformat(), until=(today - timedelta(days=1)).isoformat(), person="Pat")
    assert "There is a problem" in page and "The end date must be the same as or after the start date" in page
    assert "A-READ" in page and "A-CHANGE" not in page
    page = body(client, since="0001-01-01", until="9999-12-31")  # the first and last days there are
    assert "A-READ" in page and "A-CHANGE" in page
    page = body(client, since="not a date", action="no.such.verb")
    assert "Enter a valid date" in page and "Select a valid choice" in page
    assert "A-READ" in page and "A-CHANGE" in page


@pytest.mark.parametrize("events", [10, 200])
@pytest.mark.parametrize("persona", ["lead", "staff"])
def test_the_viewer_costs_the_same_for_10_events_or_200(
    world, login, django_assert_max_num_queries, events, persona
):
    lead, participant = world.user("lead"), world.user("participant")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=lead,
            subject=participant if n % 2 else None,
            verb="read.test_data" if n % 2 else "cohort.updated",
            object_type="cohorts.cohort",
            object_id=str(world.cohort.pk),
            summary=f"EVENT-{n:03d}",
            programme_id=world.programme.pk,
        )
        for n in range(events)
    )
    user = lead if persona == "lead" else UserFactory(is_staff=True)
    client = login(user)
    with django_assert_max_num_queries(9):
        page = body(client)
    assert page.count("EVENT-") == min(events, 50)
    with django_assert_max_num_queries(9):
        page = body(client, person="pat", action="read.", page="last")
    assert page.count("EVENT-") == (5 if events == 10 else 50)  # the reads about Pat: half of them

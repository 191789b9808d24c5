"""A person's "who has read your data" page: their own reads only (reader, what, when), a page at a time."""

import pytest
from django.urls import reverse

from shiftpractice.core.access_log import record_read
from shiftpractice.core.audit import audit
from shiftpractice.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_module]

URL = reverse("access_log:mine")


def read(world, actor, subject, what, **kwargs):
    return record_read(actor=actor, subject=subject, obj=world.cohort, kind="test_data", what=what, **kwargs)


def test_a_person_sees_who_read_what_about_them_and_when(world, login):
    participant = world.user("participant")
    read(world, world.user("lead"), participant, "MY-READ by the lead")
    read(world, world.user("coach"), world.user("other_participant"), "OTHERS-READ about Olu")
    audit(actor=world.user("lead"), verb="cohort.updated", obj=world.cohort, summary="A-CHANGE")
    page = login(participant).get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "MY-READ by the lead" in body and "Lena Lead" in body
    assert "OTHERS-READ" not in body and "Olu" not in body and "A-CHANGE" not in body
    assert page["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("persona", ["lead", "coach", "other_participant", "critical_friend", "outsider"])
def test_no_one_else_sees_a_persons_reads(world, login, persona):
    read(world, world.user("lead"), world.user("participant"), "PAT-READ")
    body = login(world.user(persona)).get(URL).content.decode()
    assert "PAT-READ" not in body
    # There is no parameter that names another person.
    body = (
        login(world.user(persona)).get(URL, {"person": world.user("participant").public_id}).content.decode()
    )
    assert "PAT-READ" not in body


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_removed_reader_is_named_as_removed(world, login):
    read(world, world.user("lead"), world.user("participant"), "READ-BY-SOMEONE")
    AuditEvent.objects.update(actor=None)
    body = login(world.user("participant")).get(URL).content.decode()
    assert "Someone whose account has since been removed" in body


def test_the_profile_links_to_the_page(world, login):
    body = login(world.user("participant")).get(reverse("accounts:profile")).content.decode()
    assert URL in body
    assert reverse("audit:log") not in body  # only leads and staff are offered the audit log
    assert reverse("audit:log") in login(world.user("lead")).get(reverse("accounts:profile")).content.decode()


@pytest.mark.parametrize("reads", [10, 200])
def test_the_page_costs_the_same_for_10_reads_or_200(world, login, django_assert_max_num_queries, reads):
    participant, lead = world.user("participant"), world.user("lead")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=lead,
            subject=participant,
            verb="read.test_data",
            object_type="cohorts.cohort",
            object_id=str(world.cohort.pk),
            summary=f"READ-{n:03d}",
        )
        for n in range(reads)
    )
    client = login(participant)
    with django_assert_max_num_queries(8):
        page = client.get(URL)
    body = page.content.decode()
    assert body.count("READ-") == min(reads, 25)
    if reads > 25:
        assert "Showing 1 to 25 of 200 reads" in body
        assert "READ-000" not in body  # newest first: the oldest is on the last page
        assert "READ-000" in client.get(URL, {"page": "last"}).content.decode()

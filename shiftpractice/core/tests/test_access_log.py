"""The access log's recording: one event per read of someone else's data, none for reading one's own; and the
programme an audit event belongs to, found without a query."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from shiftpractice.core.access_log import READ_PREFIX, object_label, reads_about, record_read
from shiftpractice.core.audit import audit, programme_id_of
from shiftpractice.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_module]


def test_a_read_is_recorded_once_with_its_reader_subject_and_programme(world):
    lead, participant = world.user("lead"), world.user("participant")
    event = record_read(
        actor=lead,
        subject=participant,
        obj=world.cohort,
        kind="test_data",
        what="Something about you",
        programme_id=world.programme.pk,
        rows=3,
    )
    assert AuditEvent.objects.count() == 1
    event.refresh_from_db()
    assert (event.actor, event.subject, event.verb) == (lead, participant, "read.test_data")
    assert (event.object_type, event.object_id) == ("cohorts.cohort", str(world.cohort.pk))
    assert event.programme_id == world.programme.pk
    assert event.summary == "Something about you"
    assert event.data == {"rows": 3}


def test_reading_ones_own_data_or_reading_unsigned_in_records_nothing(world):
    participant = world.user("participant")
    kwargs = {"obj": world.cohort, "kind": "test_data", "what": "x"}
    assert record_read(actor=participant, subject=participant, **kwargs) is None
    assert record_read(actor=AnonymousUser(), subject=participant, **kwargs) is None
    assert record_read(actor=None, subject=participant, **kwargs) is None
    assert record_read(actor=participant, subject=None, **kwargs) is None
    assert not AuditEvent.objects.exists()


def test_reads_about_a_person_are_theirs_and_reads_only(world):
    lead, coach = world.user("lead"), world.user("coach")
    participant, other = world.user("participant"), world.user("other_participant")
    mine = record_read(actor=lead, subject=participant, obj=world.cohort, kind="a", what="yours")
    record_read(actor=lead, subject=other, obj=world.cohort, kind="a", what="someone else's")
    audit(actor=coach, verb="cohort.updated", obj=world.cohort, subject=participant)  # a change, not a read
    assert list(reads_about(participant)) == [mine]
    assert mine.verb.startswith(READ_PREFIX)


def test_an_events_programme_comes_from_the_object_without_a_query(world, django_assert_num_queries):
    assert programme_id_of(world.programme) == world.programme.pk
    assert programme_id_of(world.cohort) == world.programme.pk
    assert programme_id_of(world.user("lead")) is None
    with django_assert_num_queries(1):  # the insert only
        event = audit(actor=world.user("lead"), verb="cohort.updated", obj=world.cohort)
    assert event.programme_id == world.programme.pk
    given = audit(actor=None, verb="x.y", obj=world.user("lead"), programme_id=world.programme.pk)
    assert given.programme_id == world.programme.pk and given.actor is None


def test_a_deleted_reader_or_subject_leaves_the_event_without_them(world):
    User = get_user_model()
    reader = User.objects.create(email="gone@example.org", full_name="Gone Reader")
    event = record_read(actor=reader, subject=world.user("participant"), obj=world.cohort, kind="a", what="x")
    reader.delete()
    event.refresh_from_db()
    assert event.actor is None and event.subject == world.user("participant")


def test_object_labels_read_as_words():
    assert object_label("cohorts.cohort") == "cohort"
    assert object_label("gone.model") == "gone.model"
    assert object_label("nonsense") == "nonsense"

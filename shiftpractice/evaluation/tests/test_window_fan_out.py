"""A new survey window tells its cohort from one background task, in the same number of queries for any size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shiftpractice.evaluation import services
from shiftpractice.evaluation.tasks import send_window_reminders
from shiftpractice.notifications.models import Notification

from .conftest import add_participants

pytestmark = pytest.mark.django_db


def _open_window(e, label):
    now = timezone.now()
    return services.window_create(
        cohort=e.world.other_cohort,
        survey=e.survey,
        label=label,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=10),
        actor=e.people["lead"],
    )


def test_creating_a_window_queues_one_task_and_tells_nobody_in_the_request(
    evaluation, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []

    class Recorder:  # stands in for the task: what the service queues, not what a worker would do
        @staticmethod
        def enqueue(**kwargs):
            queued.append(kwargs)

    monkeypatch.setattr("shiftpractice.evaluation.tasks.send_window_reminders", Recorder)
    add_participants(evaluation.world.other_cohort, 5)
    with django_capture_on_commit_callbacks(execute=True):
        window = _open_window(evaluation, "baseline")
    assert queued == [{"window_id": window.pk}]
    assert not Notification.objects.filter(url__contains=str(window.public_id)).exists()


def test_the_task_tells_every_participant_once_in_the_same_queries_for_any_cohort_size(evaluation):
    e = evaluation
    counts = {}
    for label, size in (("baseline", 3), ("end", 60)):
        e.world.other_cohort.memberships.filter(role="participant").delete()
        add_participants(e.world.other_cohort, size, prefix=label)
        window = _open_window(e, label)
        with CaptureQueriesContext(connection) as queries:
            told = send_window_reminders.call(window_id=window.pk)
        counts[size] = len(queries)
        assert told == size
        assert Notification.objects.filter(url__contains=str(window.public_id)).count() == size
        assert send_window_reminders.call(window_id=window.pk) == 0  # run twice: nobody told twice
    assert counts[3] == counts[60], counts

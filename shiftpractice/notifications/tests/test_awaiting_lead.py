"""Telling many people about one thing once each (``notify_each_once``): what the lead's inbox sends when a
project asks to be public or a model item awaits verification (the emits are tested in home's tests)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from shiftpractice.notifications import services
from shiftpractice.notifications.kinds import Kind
from shiftpractice.notifications.models import Notification, ReminderLedger
from tests.factories import UserFactory

AWAITING = Kind.AWAITING_LEAD


def awaiting(user):
    return list(Notification.objects.filter(recipient=user, kind=AWAITING))


def test_telling_many_leads_takes_a_fixed_number_of_queries(world):
    def tell(n, key):
        leads = [UserFactory() for _ in range(n)]
        with CaptureQueriesContext(connection) as queries:
            made = services.notify_each_once(recipients=leads, kind=AWAITING, key=key, title="Waiting")
        assert len(made) == n and Notification.objects.filter(kind=AWAITING, recipient__in=leads).count() == n
        return len(queries)

    assert tell(2, "a") == tell(40, "b")


def test_told_once_even_when_called_again_or_partly_told(world):
    lead, coach = world.people["lead"], world.people["coach"]
    services.notify_each_once(recipients=[lead], kind=AWAITING, key="k", title="Waiting")
    made = services.notify_each_once(recipients=[lead, coach], kind=AWAITING, key="k", title="Waiting")
    assert [n.recipient for n in made] == [coach]
    assert services.notify_each_once(recipients=[lead, coach], kind=AWAITING, key="k", title="Waiting") == []
    assert ReminderLedger.objects.filter(key="k").count() == 2


def test_a_ledger_row_made_meanwhile_falls_back_to_one_at_a_time(world, monkeypatch):
    """Two calls at once: the second finds the first's ledger row only when it writes; it tells nobody twice."""
    lead, coach = world.people["lead"], world.people["coach"]
    real_filter = ReminderLedger.objects.filter

    def racing_filter(*args, **kwargs):
        # The first call's row lands between this call's read and its write.
        ReminderLedger.objects.get_or_create(kind=AWAITING, key="race", recipient=lead)
        Notification.objects.get_or_create(recipient=lead, kind=AWAITING, title="Waiting")
        return real_filter(*args, **kwargs).none()

    monkeypatch.setattr(ReminderLedger.objects, "filter", racing_filter)
    services.notify_each_once(recipients=[lead, coach], kind=AWAITING, key="race", title="Waiting")
    monkeypatch.undo()
    assert len(awaiting(lead)) == 1 and len(awaiting(coach)) == 1

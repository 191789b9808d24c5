"""Telling a whole audience (every reader of a board: up to a programme's 10,000 members) off the request.

``broadcast()`` is called inside the service's transaction. It writes one ``Broadcast`` row and queues one task
(``tasks.deliver_broadcast``), whatever the audience's size, so the request runs the same few queries for ten
people or ten thousand. The task asks the audience's registered resolver who is in it and notifies them in
batches: one transaction per batch, notifications written with one bulk insert, emails for people who want them
straight away put in the outbox as ``services.notify`` does.

Run twice, or twice at once, it tells nobody twice: the people of a batch who already have their notification
are left out, the broadcast's row is locked while a batch is written, and a unique constraint on (broadcast,
recipient) holds in any case.

Audiences are registered by the app that knows them (``register_audience`` in its ``AppConfig.ready()``), as
this app sits below the apps that notify.
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend

from shiftpractice.accounts.models import User

from .choices import DEFAULT_DELIVERY, Delivery
from .models import Broadcast, Notification
from .services import check_kind, deliveries_chosen, email_straight_away

BATCH_SIZE = 1000

_AUDIENCES: dict[str, Callable[[str], QuerySet]] = {}


def register_audience(name: str, resolver: Callable[[str], QuerySet]) -> None:
    """``resolver(key)`` returns the people (a ``User`` queryset) the audience ``name`` holds for ``key``."""
    _AUDIENCES[name] = resolver


def broadcast(
    *, audience: str, key, kind: str, title: str, body: str = "", url: str = "", actor=None
) -> Broadcast:
    """Tell everyone in ``audience`` ``key`` (never the actor) about something, from a background task."""
    check_kind(kind)
    if audience not in _AUDIENCES:
        raise ValueError(f"Unknown audience {audience!r}: register it with register_audience()")
    news = Broadcast.objects.create(
        kind=kind,
        title=title[:200],
        body=body,
        url=url,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        audience=audience,
        audience_key=str(key),
    )
    _enqueue(news.pk)
    return news


def _enqueue(broadcast_id: int) -> None:
    from .tasks import deliver_broadcast

    # A queue in this database (the default) or one that runs at once keeps the task with the change: it
    # commits or rolls back with it. Any other queue (Redis) is handed the task once the change is committed.
    backend = deliver_broadcast.get_backend()
    if isinstance(backend, ImmediateBackend) or type(backend).__module__.startswith("django_tasks_db"):
        deliver_broadcast.enqueue(broadcast_id=broadcast_id)
    else:
        transaction.on_commit(lambda: deliver_broadcast.enqueue(broadcast_id=broadcast_id))


def broadcast_deliver(broadcast_id: int, *, batch_size: int = BATCH_SIZE) -> int:
    """Notify the broadcast's audience, batch by batch; returns how many people were told by this run."""
    news = Broadcast.objects.filter(pk=broadcast_id).first()
    if news is None or news.done_at is not None:
        return 0
    people = _AUDIENCES[news.audience](news.audience_key).filter(is_active=True)
    if news.actor_id:
        people = people.exclude(pk=news.actor_id)
    ids = people.order_by("pk").values_list("pk", flat=True)
    told, last = 0, 0
    while batch := list(ids.filter(pk__gt=last)[:batch_size]):
        last = batch[-1]
        told += _deliver_batch(news, batch)
    total = Notification.objects.filter(broadcast=news).count()
    Broadcast.objects.filter(pk=news.pk, done_at__isnull=True).update(done_at=timezone.now(), told=total)
    return told


def _deliver_batch(news: Broadcast, batch: list[int]) -> int:
    with transaction.atomic():
        # Two runs at once take turns batch by batch (PostgreSQL; SQLite's writers queue anyway).
        list(Broadcast.objects.select_for_update().filter(pk=news.pk).values_list("pk", flat=True))
        done = set(
            Notification.objects.filter(broadcast=news, recipient_id__in=batch).values_list(
                "recipient_id", flat=True
            )
        )
        todo = [pk for pk in batch if pk not in done]
        if not todo:
            return 0
        chosen = deliveries_chosen(todo, news.kind)
        now = timezone.now()
        notes = {
            pk: Notification(
                recipient_id=pk,
                kind=news.kind,
                title=news.title,
                body=news.body,
                url=news.url,
                actor_id=news.actor_id,
                delivery=chosen.get(pk, DEFAULT_DELIVERY),
                broadcast=news,
            )
            for pk in todo
        }
        straight_away = [pk for pk, note in notes.items() if note.delivery == Delivery.IMMEDIATE]
        for person in User.objects.filter(pk__in=straight_away):
            email_straight_away(notes[person.pk], person, now=now)
        Notification.objects.bulk_create(notes.values(), batch_size=500)
    return len(notes)

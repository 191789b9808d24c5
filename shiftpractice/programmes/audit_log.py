"""The audit viewer's rule and reads: which audit events a person may see, filtered.

Here, in programmes, because the rule is "the events of the programmes you lead" (site staff: every event) and
programmes is the lowest app that knows who leads what; core keeps the events without knowing of programmes.
Records about private objects (journal entries) are never listed, as in the admin.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from shiftpractice.core.access_log import READ_PREFIX, object_label
from shiftpractice.core.audit import PRIVATE_OBJECT_TYPES
from shiftpractice.core.models import AuditEvent

from .models import Programme

VERBS_CACHE_SECONDS = 300  # the action filter's choices: new kinds of event appear rarely
OWN_APPS = "shiftpractice."


@dataclass
class AuditScope:
    """What the person may see: every event (site staff), or those of the programmes they lead."""

    everything: bool
    programmes: list[Programme] = field(default_factory=list)

    @property
    def programme_ids(self) -> list[int]:
        return [p.pk for p in self.programmes]

    def programme_named(self, slug: str) -> Programme | None:
        return next((p for p in self.programmes if p.slug == slug), None)


def audit_scope(user) -> AuditScope | None:
    """The person's audit scope, or None when they may not use the audit viewer (in one query).

    Site staff see every event. A programme lead sees the events of the programmes they lead, and nothing of
    another programme's; no superuser exception beyond staff (a superuser is staff)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_staff:
        return AuditScope(everything=True, programmes=list(Programme.objects.only("id", "name", "slug")))
    led = list(Programme.objects.filter(leads=user).only("id", "name", "slug"))
    return AuditScope(everything=False, programmes=led) if led else None


def visible_events(scope: AuditScope):
    events = AuditEvent.objects.exclude(object_type__in=PRIVATE_OBJECT_TYPES)
    if not scope.everything:
        events = events.filter(programme_id__in=scope.programme_ids)
    return events


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def event_list(
    scope: AuditScope,
    *,
    programme: Programme | None = None,
    person: str = "",
    object_type: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
):
    """The events the scope allows, narrowed by the filters, newest first, with actor and subject in the same
    query. ``person`` matches the name or email of who acted or whom the event is about; ``action`` ending in
    a dot matches every verb it starts (``read.``: every read of personal data). Dates are whole local days."""
    events = visible_events(scope)
    if programme is not None:
        events = events.filter(programme_id=programme.pk)
    if person:
        events = events.filter(
            Q(actor__full_name__icontains=person)
            | Q(actor__email__icontains=person)
            | Q(subject__full_name__icontains=person)
            | Q(subject__email__icontains=person)
        )
    if object_type:
        events = events.filter(object_type=object_type)
    if action:
        events = (
            events.filter(verb__startswith=action) if action.endswith(".") else events.filter(verb=action)
        )
    if since:
        events = events.filter(at__gte=_start_of(since))
    if until and until < date.max:  # the last representable day is every day: no end to add a day to
        events = events.filter(at__lt=_start_of(until + timedelta(days=1)))
    return events.select_related("actor", "subject").order_by("-at", "-id")


def action_choices(scope: AuditScope) -> list[tuple[str, str]]:
    """Every kind of event the scope holds (one query, kept a few minutes), reads of personal data first."""
    key = "audit-verbs:" + ("all" if scope.everything else ",".join(map(str, sorted(scope.programme_ids))))
    verbs = cache.get(key)
    if verbs is None:
        verbs = sorted(set(visible_events(scope).order_by().values_list("verb", flat=True).distinct()))
        cache.set(key, verbs, VERBS_CACHE_SECONDS)
    return [(READ_PREFIX, "Any read of someone's personal data")] + [(v, v) for v in verbs]


def object_type_choices() -> list[tuple[str, str]]:
    """The site's own kinds of object, by name (no query: from the installed models)."""
    types = [
        (model._meta.label_lower, f"{model._meta.verbose_name} ({model._meta.app_label})")
        for model in apps.get_models()
        if model.__module__.startswith(OWN_APPS) and model._meta.label_lower not in PRIVATE_OBJECT_TYPES
    ]
    return sorted(types, key=lambda pair: pair[1])


def describe(events, scope: AuditScope) -> list[AuditEvent]:
    """A page of events, each with its object's name and its programme's name (no query)."""
    names = {p.pk: p.name for p in scope.programmes}
    rows = list(events)
    for event in rows:
        event.object_label = object_label(event.object_type)
        event.programme_name = names.get(event.programme_id, "")
    return rows

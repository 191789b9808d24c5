"""Reads for the network pages: each a page of rows or a handful of counts, whatever the numbers."""

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from shiftpractice.programmes.models import Programme

from .choices import ApproachKind, ApproachStatus
from .models import Approach, ApproachNote, RefusedSubmission

# The live states: what a lead works through. Declined and withdrawn approaches are a filter away.
LIVE = [ApproachStatus.NEW, ApproachStatus.SHORTLISTED, ApproachStatus.INVITED, ApproachStatus.WAITING]
STATUS_FILTERS = {
    "live": "Live (not declined or withdrawn)",
    **{s.value: s.label for s in ApproachStatus if s != ApproachStatus.UNCONFIRMED},
    "all": "All",
}
SORTS = {
    "newest": ("Newest first", ("-created_at", "-id")),
    "oldest": ("Oldest first", ("created_at", "id")),
    "name": ("Name", ("name", "id")),
    "changed": ("Status changed, most recently first", ("-status_changed_at", "-id")),
}


def open_calls():
    """Programmes taking expressions of interest, by name (a queryset to page through)."""
    return (
        Programme.objects.filter(open_call__is_open=True).select_related("open_call").order_by("name", "id")
    )


def approach_list(
    programme,
    *,
    kind: str = "",
    status: str = "live",
    region: str = "",
    role: str = "",
    q: str = "",
    sort: str = "newest",
):
    """The programme's confirmed approaches, filtered and sorted in the database (a queryset)."""
    qs = Approach.objects.filter(programme=programme, confirmed_at__isnull=False).exclude(
        status=ApproachStatus.UNCONFIRMED
    )
    if kind in ApproachKind.values:
        qs = qs.filter(kind=kind)
    if status == "live" or not status:
        qs = qs.filter(status__in=LIVE)
    elif status in ApproachStatus.values:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region=region)
    if role:
        qs = qs.filter(role__icontains=role)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q) | Q(organisation__icontains=q))
    return qs.select_related("cohort").order_by(*SORTS.get(sort, SORTS["newest"])[1])


def status_counts(programme) -> dict[str, int]:
    """How many confirmed approaches are in each state (one query)."""
    rows = (
        Approach.objects.filter(programme=programme, confirmed_at__isnull=False)
        .exclude(status=ApproachStatus.UNCONFIRMED)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {s.value: 0 for s in ApproachStatus if s != ApproachStatus.UNCONFIRMED}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def refused_lately(programme, *, days: int = 30) -> int:
    since = timezone.localdate() - timedelta(days=days)
    return (
        RefusedSubmission.objects.filter(programme=programme, day__gte=since).aggregate(n=Sum("count"))["n"]
        or 0
    )


def notes_of(approach):
    return (
        ApproachNote.objects.filter(approach=approach).select_related("author").order_by("created_at", "id")
    )

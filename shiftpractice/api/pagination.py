"""Cursor pagination: each page is one query on an index, however deep the list goes.

A list is ordered by fields that end in a unique one; the cursor is the last item's values of those fields,
signed (so it cannot be forged or edited) and opaque. The next page asks for the items after it, and one more
than the page holds says whether there is a next page: no counting, no offset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from uuid import UUID

from django.core import signing
from django.db.models import Q, QuerySet

from .problems import ApiProblem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def _value(item, field: str):
    for part in field.split("__"):
        item = getattr(item, part)
    return item


def _after(order: Sequence[str], values: Sequence) -> Q:
    """Items after ``values`` in this order: (a > va) or (a = va and b > vb) or ..."""
    q = Q(pk__in=[])
    for i, field in enumerate(order):
        name = field.lstrip("-")
        step = Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": values[i]})
        for prev, value in zip(order[:i], values[:i], strict=False):
            step &= Q(**{prev.lstrip("-"): value})
        q |= step
    return q


def page(
    queryset: QuerySet,
    *,
    order: Sequence[str],
    params,
    salt: str,
    serialise: Callable = lambda item: item,
) -> dict:
    """One page of ``queryset`` in ``order`` after ``params.cursor`` (``params.limit`` items):
    {"results": [...], "next": cursor or None}."""
    cursor = params.cursor
    size = min(max(params.limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    queryset = queryset.order_by(*order)
    if cursor:
        try:
            values = signing.loads(cursor, salt=f"api.cursor.{salt}")
        except signing.BadSignature:
            raise ApiProblem(
                422,
                "The cursor is not one this list gave: start again without it.",
                kind="validation",
                title="The request is not valid",
                errors=[{"parameter": "cursor", "detail": "not a cursor of this list"}],
            ) from None
        if not isinstance(values, list) or len(values) != len(order):
            raise ApiProblem(422, "The cursor does not fit this list.", kind="validation")
        queryset = queryset.filter(_after(order, values))
    items = list(queryset[: size + 1])
    more = len(items) > size
    items = items[:size]
    next_cursor = None
    if more:
        last = items[-1]
        next_cursor = signing.dumps(
            [_plain(_value(last, f.lstrip("-"))) for f in order], salt=f"api.cursor.{salt}"
        )
    return {"results": [serialise(item) for item in items], "next": next_cursor}

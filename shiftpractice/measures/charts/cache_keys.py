"""Keys for cached charts: a measure's computed chart is cached until its data version changes.

A key holds everything a chart is computed from:

* the measure and its ``updated_at``, which is the measure's data version: ``measure.save()`` sets it
  when the definition changes, and ``services.touch`` when its points or phases change (the services,
  the importer and the admin all call it);
* the programme's chart settings (the rule set and the XmR preference, read on every request);
* for drawings, a fingerprint of the PDSA cycles the chart marks (number, title, start date): the markers;
* ``VERSION``, raised when the code that draws a chart changes, so a deployment never serves an old
  drawing from a shared (Redis) cache.

Reads only ever use a key made from data read in the same request (the measure first, then its points),
so a cached chart can be older than the page's other data by at most the time of one request.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

VERSION = 3  # 3: charts drawn at a window of their points (charts.window)
TIMEOUT = 7 * 24 * 3600  # entries also expire, so a measure nobody looks at leaves the cache


def settings_part(settings) -> str:
    return "-" if settings is None else f"{settings.rule_set}/{int(settings.prefer_xmr)}"


def cycles_fingerprint(cycles) -> str:
    h = hashlib.blake2b(digest_size=8)
    for c in cycles:
        h.update(f"{c.pk}|{c.number}|{c.start_date}|{c.title}\n".encode())
    return h.hexdigest()


def key(kind: str, measure, settings, extra: str = "") -> str:
    raw = f"{VERSION}|{kind}|{measure.pk}|{measure.updated_at.isoformat()}|{settings_part(settings)}|{extra}"
    return f"measures:{kind}:{measure.pk}:{hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()}"


def get_many(keys: list[str]) -> dict:
    return cache.get_many(keys) if keys else {}


def set_many(values: dict) -> None:
    if values:
        cache.set_many(values, TIMEOUT)

"""Category order as R gives it in an English UTF-8 locale, whatever this machine's locale.

qicharts2 orders categorical ``x`` with R's ``sort()``, which in an English
UTF-8 locale collates by the Unicode Collation Algorithm (ICU, or glibc's
ISO 14651 tables, both built on the same default table): punctuation and
symbols first (``_`` before ``-``), then digits, then letters; letters compare
without regard to case or accents first, then by accent, then lower case
before upper case. We use ``pyuca`` (a pure-Python UCA with the default
Unicode table bundled), so the order depends neither on the locale settings
nor on a system library. Labels that the algorithm cannot tell apart are
ordered by code point, so the order is always total and deterministic.

The collation table is loaded on the first categorical chart only.

Examples
--------
>>> sorted(["a-", "a_", "B", "b", "10", "9", "#1"], key=collation_key)
['#1', '10', '9', 'a_', 'a-', 'b', 'B']
"""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ["collation_key", "sort_labels"]


@cache
def _collator() -> Any:
    # Pinned to the newest table pyuca ships, not chosen by the Python version.
    from pyuca.collator import Collator_10_0_0

    return Collator_10_0_0()


def collation_key(label: str) -> tuple[tuple[int, ...], str]:
    """Sort key of one category label (see the module docstring)."""
    return _collator().sort_key(label), label


def sort_labels(labels: set[str]) -> list[str]:
    """The distinct labels in R's English-locale order."""
    return sorted(labels, key=collation_key)

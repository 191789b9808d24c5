"""Checking the input and keeping the complete pairs."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import AnalysisInputError

__all__ = ["complete_pairs", "request_fields"]

FloatArray = npt.NDArray[np.float64]


def request_fields(data: Any) -> tuple[Any, Any]:
    """``before`` and ``after`` from the JSON request (other keys are ignored).

    Examples
    --------
    >>> request_fields({"before": [1, 2], "after": [2, 3], "id": "case1"})
    ([1, 2], [2, 3])
    >>> try:
    ...     request_fields([1, 2])
    ... except AnalysisInputError as err:
    ...     print(err)
    request: must be a JSON object: {"before": [...], "after": [...]}
    """
    if not isinstance(data, Mapping):
        raise AnalysisInputError("request", 'must be a JSON object: {"before": [...], "after": [...]}')
    for key in ("before", "after"):
        if key not in data:
            raise AnalysisInputError(key, "missing")
    return data["before"], data["after"]


def _values(values: Any, name: str) -> list[float | None]:
    """Each answer as a finite float, or ``None`` when missing (``None``, or NaN in the Python API)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise AnalysisInputError(name, "must be a list of numbers, with null for a missing answer")
    out: list[float | None] = []
    for i, v in enumerate(values):
        if v is None:
            out.append(None)
            continue
        if isinstance(v, str):
            raise AnalysisInputError(name, f"text is not a number ({v[:40]!r})", i)
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
            raise AnalysisInputError(name, f"not a number ({str(v)[:40]!r})", i)
        try:
            f = float(v)
        except (OverflowError, ValueError, TypeError):
            raise AnalysisInputError(name, "number too large", i) from None
        if math.isinf(f):
            raise AnalysisInputError(name, "not a finite number", i)
        out.append(None if math.isnan(f) else f)
    return out


def complete_pairs(before: Any, after: Any) -> tuple[int, FloatArray, FloatArray]:
    """Validate; return the number of people and the before and after values of the complete pairs.

    Examples
    --------
    >>> n, b, a = complete_pairs([1, None, 3, 4], [2, 5, None, 6])
    >>> n, b.tolist(), a.tolist()
    (4, [1.0, 4.0], [2.0, 6.0])
    >>> try:
    ...     complete_pairs([1, 2, 3], [1, 2])
    ... except AnalysisInputError as err:
    ...     print(err)
    before, after: different lengths (3 and 2); give one position per person
    """
    b, a = _values(before, "before"), _values(after, "after")
    if len(b) != len(a):
        raise AnalysisInputError(
            "before, after", f"different lengths ({len(b)} and {len(a)}); give one position per person"
        )
    keep = [i for i in range(len(b)) if b[i] is not None and a[i] is not None]
    if len(keep) < 2:
        raise AnalysisInputError(
            "pairs",
            f"fewer than 2 complete pairs ({len(keep)}); a comparison needs 2 people who answered both times",
        )
    bb = np.array([b[i] for i in keep], dtype=np.float64)
    aa = np.array([a[i] for i in keep], dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        d = aa - bb
    too_large = np.flatnonzero(~np.isfinite(d))
    if too_large.size:
        raise AnalysisInputError("after", "after - before is too large to represent", keep[int(too_large[0])])
    if not np.any(d != 0):
        raise AnalysisInputError(
            "pairs", "every difference is zero (nothing changed), so there is nothing to test"
        )
    return len(b), bb, aa

"""Numbers as the charts' words and tables show them: rounded for reading, never so far that two different
values read alike (``fmt_apart``, ``about_apart``)."""

from __future__ import annotations

import math


def fmt(v) -> str:
    """A number as people read it: thousands separated, at most 4 significant digits below 10,000."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    v = float(v)
    if abs(v) >= 10000:
        return f"{v:,.0f}"
    text = f"{v:.4g}"
    if "e" in text:
        text = f"{v:.6f}".rstrip("0").rstrip(".")
    if abs(v) >= 1000:
        return f"{float(text):,.{max(0, 4 - len(str(int(abs(v)))))}f}"
    return text


def _digits_for(v: float) -> int:
    """Decimal places ``fmt`` gives a value below 10,000 (4 significant digits)."""
    if v == 0 or not math.isfinite(v):
        return 0
    return max(0, 3 - math.floor(math.log10(abs(v))))


def fmt_apart(a, b) -> tuple[str, str]:
    """Two numbers formatted so that, when they differ, the texts differ too: never "37.78 is above the
    limit 37.78". As ``fmt``, with more decimal places only when the usual ones would hide the difference."""
    ta, tb = fmt(a), fmt(b)
    if ta != tb or a is None or b is None or float(a) == float(b):
        return ta, tb
    a, b = float(a), float(b)
    for places in range(max(_digits_for(a), _digits_for(b)) + 1, 16):
        ta, tb = _fixed(a, places), _fixed(b, places)
        if ta != tb:
            return ta, tb
    return repr(a), repr(b)


def _fixed(v: float, places: int) -> str:
    text = f"{v:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def about(v: float) -> str:
    """A number rounded for "about ...": two significant digits (thousands separated)."""
    return _about(float(v), 2)


def _about(v: float, sig: int) -> str:
    if v == 0 or not math.isfinite(v):
        return fmt(v) or "0"
    places = sig - 1 - math.floor(math.log10(abs(v)))
    rounded = round(v, places)
    return _fixed(rounded, max(places, 0))


def about_apart(a: float, b: float) -> tuple[str, str]:
    """Two rounded numbers that differ when the numbers do ("from about 21% to about 36%")."""
    for sig in range(2, 16):
        ta, tb = _about(float(a), sig), _about(float(b), sig)
        if ta != tb:
            return ta, tb
    return fmt_apart(a, b)

"""Turn a :class:`ChartRequest` into clean NumPy arrays and typed options.

Every refusal raises :class:`SPCInputError` naming the field and, where it is
one element, the 0-based index.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .collation import sort_labels
from .errors import SPCInputError
from .registry import parse_rules
from .rules import RuleSet
from .types import CHART_TYPES, ChartRequest

FloatArray = npt.NDArray[np.float64]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

QIC_OPTIONS = frozenset(
    {"screened_mr", "screen_moving_ranges", "freeze", "part", "exclude", "multiply", "cl", "agg_fun", "rules"}
)
XMR_OPTIONS = frozenset(
    {"improvement_direction", "rebase", "fix_after_n_points", "target", "screen_outliers", "rules"}
)
# Charts whose y is a count or a time and therefore cannot be negative.
_NON_NEGATIVE = frozenset({"p", "pp", "c", "u", "up", "g"})
_RATE_CHARTS = frozenset({"p", "pp", "u", "up", "ip"})


@dataclass(frozen=True)
class XValues:
    """Validated x: kind is ``int``, ``float``, ``date``, ``category`` or ``index``.

    ``keys`` is sortable (numbers, ``datetime64[D]`` or category codes);
    ``missing`` marks rows with no x; ``labels`` holds category names.
    """

    kind: str
    keys: npt.NDArray[Any]
    missing: npt.NDArray[np.bool_] | None
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class QicOptions:
    """Options of a qicharts2-style chart."""

    screened_mr: bool = True
    freeze: int | None = None
    part: tuple[Any, ...] | None = None
    exclude: tuple[int, ...] = ()
    multiply: float = 1.0
    cl: Any = None
    agg_fun: str = "mean"


@dataclass(frozen=True)
class XmrOptions:
    """Options of an NHS Making Data Count XmR chart."""

    improvement_direction: str = "increase"
    rebase: tuple[Any, ...] = ()
    fix_after_n_points: int | None = None
    target: float | None = None
    screen_outliers: bool = True


@dataclass(frozen=True)
class Prepared:
    """A validated request."""

    chart: str
    x: XValues
    y: FloatArray
    n: FloatArray | None
    options: QicOptions | XmrOptions
    rules: RuleSet
    explain: bool = True


def request_from_mapping(data: Mapping[str, Any], explain_default: bool = True) -> ChartRequest:
    """Build a :class:`ChartRequest` from the JSON contract, checking its keys.

    ``explain`` is optional in the request; ``explain_default`` applies when it
    is left out (True in the Python API, False on the command line).
    """
    if not isinstance(data, Mapping):
        raise SPCInputError("request", "must be a JSON object")
    allowed = {"chart", "x", "y", "n", "options", "explain"}
    for key in data:
        if key not in allowed:
            raise SPCInputError(
                "request", f"unknown field {str(key)!r} (expected chart, x, y, n, options, explain)"
            )
    explain = data.get("explain")
    if explain is None:
        explain = explain_default
    elif not isinstance(explain, bool):
        raise SPCInputError("explain", "must be true or false")
    for key in ("chart", "y"):
        if key not in data:
            raise SPCInputError(key, "is required")
    if "x" in data and data["x"] is None:
        # In JSON, x is a list; leaving it out numbers the points 1..N.
        raise SPCInputError("x", "must be a list (leave x out to number the points 1, 2, ...)")
    options = data.get("options")
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        raise SPCInputError("options", "must be an object")
    return ChartRequest(
        chart=data["chart"], x=data.get("x"), y=data["y"], n=data.get("n"), options=options, explain=explain
    )


def prepare(request: ChartRequest) -> Prepared:
    """Validate ``request``; return clean arrays and typed options."""
    chart = request.chart
    if not isinstance(chart, str) or chart not in CHART_TYPES:
        raise SPCInputError("chart", f"unknown chart {chart!r}; expected one of " + ", ".join(CHART_TYPES))
    options = request.options
    if not isinstance(options, Mapping):
        raise SPCInputError("options", "must be a mapping")
    y = _numbers(request.y, "y")
    rows = y.shape[0]
    if rows == 0:
        raise SPCInputError("y", "has no values")
    n = None if request.n is None else _numbers(request.n, "n")
    if n is not None and n.shape[0] != rows:
        raise SPCInputError("n", f"has {n.shape[0]} values but y has {rows}")
    x = _x_values(request.x, rows)
    rules = parse_rules(options.get("rules"), chart)
    if chart == "xmr":
        if n is not None:
            raise SPCInputError("n", "is not used by the xmr chart; pass null")
        opts: QicOptions | XmrOptions = _xmr_options(options, x)
    else:
        opts = _qic_options(options, rows)
        _check_values(chart, y, n)
    return Prepared(chart=chart, x=x, y=y, n=n, options=opts, rules=rules, explain=bool(request.explain))


# ----------------------------------------------------------------------------- values


def _numbers(values: Any, name: str) -> FloatArray:
    """Float array with NaN for missing; refuses text, booleans and infinities."""
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            raise SPCInputError(name, "must be one-dimensional")
        if values.dtype.kind in "iuf":
            arr = values.astype(np.float64, copy=False)
        elif values.dtype.kind == "O":
            arr = _numbers_from_list(values.tolist(), name)
        else:
            raise SPCInputError(name, f"must be numeric, not {values.dtype}")
    elif isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Sequence):
        raise SPCInputError(name, "must be a list of numbers")
    else:
        fast = _plain_numbers(values)
        arr = _numbers_from_list(values, name) if fast is None else fast
    if arr.shape[0] and not np.isfinite(arr).all():
        bad = np.isinf(arr)
        if bad.any():
            raise SPCInputError(name, "is infinite", int(np.flatnonzero(bad)[0]))
    return arr


_PLAIN_NUMBER_TYPES = frozenset({int, float, type(None)})


def _plain_numbers(values: Sequence[Any]) -> FloatArray | None:
    """The whole list converted at once when it holds only ints, floats and None.

    NumPy turns ``None`` into NaN; anything else (booleans, text, a number too
    large for a float) returns None, and the element-by-element path gives
    the exact message.
    """
    if not _PLAIN_NUMBER_TYPES.issuperset(map(type, values)):
        return None
    try:
        return np.array(values, dtype=np.float64)
    except (OverflowError, TypeError, ValueError):
        return None


def _numbers_from_list(values: Sequence[Any], name: str) -> FloatArray:
    out = np.empty(len(values), dtype=np.float64)
    for i, v in enumerate(values):
        if v is None:
            out[i] = math.nan
        elif isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise SPCInputError(name, f"not a number ({v!r})", i)
        else:
            try:
                fv = float(v)
            except OverflowError:
                raise SPCInputError(name, "is too large", i) from None
            if math.isinf(fv):
                raise SPCInputError(name, "is infinite", i)
            out[i] = fv
    return out


def _first(mask: npt.NDArray[np.bool_]) -> int:
    return int(np.flatnonzero(mask)[0])


def _check_values(chart: str, y: FloatArray, n: FloatArray | None) -> None:
    """Domain checks that depend on the chart type.

    Each check first reduces the whole array once (``fmin`` skips missing
    values) and only looks for the offending index when something is wrong.
    """
    ymin = float(np.fmin.reduce(y)) if y.shape[0] else 0.0
    with np.errstate(invalid="ignore"):
        if chart == "t" and ymin <= 0:
            raise SPCInputError("y", "time between events must be greater than 0", _first(y <= 0))
        if chart in _NON_NEGATIVE and ymin < 0:
            raise SPCInputError("y", f"a {chart} chart needs values of 0 or more", _first(y < 0))
        if n is None:
            if chart in _RATE_CHARTS and chart != "ip":
                raise SPCInputError("n", f"a {chart} chart needs denominators")
            return
        nmin = float(np.fmin.reduce(n)) if n.shape[0] else 1.0
        if nmin < 0:
            raise SPCInputError("n", "denominators cannot be negative", _first(n < 0))
        if nmin == 0:
            bad = (n == 0) & (y != 0) & ~np.isnan(y)
            if bad.any():
                raise SPCInputError(
                    "n", "a zero denominator needs a zero (or missing) numerator", _first(bad)
                )
        if chart in ("p", "pp"):
            bad = y > n
            if bad.any():
                raise SPCInputError("y", "a proportion's numerator exceeds its denominator n", _first(bad))


# ----------------------------------------------------------------------------------- x


def _x_values(values: Any, rows: int) -> XValues:
    if values is None:
        return XValues("index", np.arange(1, rows + 1, dtype=np.int64), None)
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            raise SPCInputError("x", "must be one-dimensional")
        if values.shape[0] != rows:
            raise SPCInputError("x", f"has {values.shape[0]} values but y has {rows}")
        kind = values.dtype.kind
        if kind in "iu":
            return XValues("int", values.astype(np.int64, copy=False), None)
        if kind == "f":
            if np.isinf(values).any():
                raise SPCInputError("x", "is infinite", int(np.flatnonzero(np.isinf(values))[0]))
            miss = np.isnan(values)
            return XValues("float", values, miss if miss.any() else None)
        if kind == "M":
            keys = values.astype("datetime64[D]")
            miss = np.isnat(keys)
            return XValues("date", keys, miss if miss.any() else None)
        values = values.tolist()
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Sequence):
        raise SPCInputError("x", "must be a list")
    if len(values) != rows:
        raise SPCInputError("x", f"has {len(values)} values but y has {rows}")
    return _x_from_list(values)


def _x_kind_of(v: Any) -> str:
    if isinstance(v, bool):
        return "bad"
    if isinstance(v, (int, np.integer)):
        return "int"
    if isinstance(v, (float, np.floating)):
        return "float"
    if isinstance(v, (_dt.date, np.datetime64)):
        return "date"
    if isinstance(v, str):
        return "date" if _ISO_DATE.match(v) else "category"
    return "bad"


def _x_from_list(values: Sequence[Any]) -> XValues:
    fast = _x_fast(values)
    if fast is not None:
        return fast
    kinds: set[str] = set()
    first_kind: str | None = None
    for i, v in enumerate(values):
        if v is None:
            continue
        k = _x_kind_of(v)
        if k == "bad":
            raise SPCInputError("x", f"not a number, date or label ({v!r})", i)
        if k == "float" and not math.isfinite(float(v)):
            raise SPCInputError("x", "is not finite", i)
        if k == "int" and not _INT64_MIN <= int(v) <= _INT64_MAX:
            raise SPCInputError("x", "is too large", i)
        if first_kind is None:
            first_kind = k
        elif k != first_kind and {k, first_kind} != {"int", "float"}:
            if {k, first_kind} == {"date", "category"} and isinstance(v, str):
                raise SPCInputError(
                    "x",
                    f"{v!r} is not an ISO date (YYYY-MM-DD) like the other x values"
                    if first_kind == "date"
                    else f"{v!r} mixes a date with category labels",
                    i,
                )
            raise SPCInputError("x", f"mixes {first_kind} and {k} values", i)
        kinds.add(k)
    missing = np.array([v is None for v in values], dtype=bool)
    miss = missing if missing.any() else None
    if not kinds:
        raise SPCInputError("x", "has no values")
    if kinds <= {"int"}:
        keys = np.array([0 if v is None else int(v) for v in values], dtype=np.int64)
        return XValues("int", keys, miss)
    if kinds <= {"int", "float"}:
        keys = np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)
        return XValues("float", keys, miss)
    if kinds == {"date"}:
        return XValues("date", _dates(values), miss)
    return _categories(values, miss)


def _categories(values: Sequence[Any], miss: npt.NDArray[np.bool_] | None) -> XValues:
    """Category labels coded by their position in R's English-locale order."""
    labels = sort_labels({str(v) for v in values if v is not None})
    code = {s: i for i, s in enumerate(labels)}
    keys = np.array([-1 if v is None else code[str(v)] for v in values], dtype=np.int64)
    return XValues("category", keys, miss, tuple(labels))


_DIGIT_COLUMNS = [0, 1, 2, 3, 5, 6, 8, 9]
_EARLIEST_DATE = np.datetime64("0001-01-01", "D")


def _x_fast(values: Sequence[Any]) -> XValues | None:
    """x converted as whole arrays in the common cases, or None for the exact path.

    Integers, finite floats, ISO dates and plain labels with no missing row are
    converted at once; ISO dates are checked and parsed as a byte array, never
    one element at a time. Anything else (a missing row, a mix, a malformed or
    impossible date) returns None so that the element-by-element path gives
    the same result or the exact message.
    """
    if not values:
        return None
    if type(values[0]) is str:
        # Joining the strings fails on anything else, so dates need no type check.
        dates = iso_dates(values)
        if dates is not None:
            return XValues("date", dates, None)
    types = set(map(type, values))
    try:
        if types == {int}:
            return XValues("int", np.array(values, dtype=np.int64), None)
        if types <= {int, float}:
            keys = np.array(values, dtype=np.float64)
            return XValues("float", keys, None) if np.isfinite(keys).all() else None
    except (OverflowError, TypeError, ValueError):
        return None
    if types != {str}:
        return None
    if any(map(_ISO_DATE.match, values)):
        return None  # some look like dates: the exact path says which one is wrong
    return _categories(values, None)


def iso_dates(values: Sequence[str]) -> npt.NDArray[np.datetime64] | None:
    """Strings that are all ``YYYY-MM-DD`` dates as ``datetime64[D]``, else None.

    Every string must be 10 characters long; they are joined into one ASCII
    buffer viewed as an (N, 10) byte array, the digits and dashes are checked
    on it in bulk, and NumPy parses the dates in C. An impossible date
    (2021-02-30), a year 0 or a non-ASCII string gives None.

    Examples
    --------
    >>> iso_dates(["2021-01-31", "2024-02-29"]).tolist()
    [datetime.date(2021, 1, 31), datetime.date(2024, 2, 29)]
    >>> iso_dates(["2021-02-30"]) is None, iso_dates(["2021-1-01"]) is None, iso_dates(["a"]) is None
    (True, True, True)
    """
    try:
        # No string is longer than 10 and together they are 10 each: all are 10 long.
        if max(map(len, values)) != 10:
            return None
        buf = "".join(values).encode("ascii")
    except (UnicodeEncodeError, TypeError, ValueError):
        return None
    if len(buf) != 10 * len(values):
        return None
    b = np.frombuffer(buf, dtype=np.uint8).reshape(-1, 10)
    digits = b[:, _DIGIT_COLUMNS] - np.uint8(48)  # wraps below "0", so one comparison
    if not ((b[:, 4] == 45).all() and (b[:, 7] == 45).all() and (digits < 10).all()):
        return None
    try:
        days = b.view("S10").ravel().astype("datetime64[D]")
    except ValueError:
        return None
    if (days < _EARLIEST_DATE).any():
        return None  # year 0: not a date Python (or R) accepts
    return days


def _dates(values: Sequence[Any]) -> npt.NDArray[np.datetime64]:
    out = np.empty(len(values), dtype="datetime64[D]")
    for i, v in enumerate(values):
        if v is None:
            out[i] = np.datetime64("NaT")
            continue
        try:
            if isinstance(v, str):
                out[i] = np.datetime64(_dt.date.fromisoformat(v), "D")
            elif isinstance(v, _dt.datetime):
                out[i] = np.datetime64(v.date(), "D")
            else:
                out[i] = np.datetime64(v, "D")
        except (ValueError, TypeError):
            raise SPCInputError("x", f"{v!r} is not a valid date", i) from None
    return out


# ----------------------------------------------------------------------------- options


def _check_known(options: Mapping[str, Any], allowed: frozenset[str], chart: str) -> None:
    for key in options:
        if key not in allowed:
            raise SPCInputError(f"options.{key}", f"unknown option for chart {chart!r}")


def _int_option(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise SPCInputError(f"options.{name}", "must be an integer")
    if value < minimum:
        raise SPCInputError(f"options.{name}", f"must be {minimum} or more")
    return int(value)


def _bool_option(value: Any, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise SPCInputError(f"options.{name}", "must be true or false")
    return bool(value)


def _number_option(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise SPCInputError(f"options.{name}", "must be a number")
    fv = float(value)
    if not math.isfinite(fv):
        raise SPCInputError(f"options.{name}", "must be finite")
    return fv


def _qic_options(options: Mapping[str, Any], rows: int) -> QicOptions:
    _check_known(options, QIC_OPTIONS, "qicharts2-style")
    screened = True
    for name in ("screened_mr", "screen_moving_ranges"):
        if options.get(name) is not None:
            value = _bool_option(options[name], name)
            if (
                name == "screen_moving_ranges"
                and options.get("screened_mr") is not None
                and value != bool(options["screened_mr"])
            ):
                raise SPCInputError("options.screen_moving_ranges", "contradicts screened_mr")
            screened = value
    freeze = options.get("freeze")
    freeze_i = None if freeze is None else _int_option(freeze, "freeze", 1)
    part = _part_option(options.get("part"), rows)
    exclude: tuple[int, ...] = ()
    if options.get("exclude") is not None:
        ex = options["exclude"]
        if isinstance(ex, (int, np.integer)) and not isinstance(ex, bool):
            ex = [ex]
        if isinstance(ex, (str, Mapping)) or not isinstance(ex, (Sequence, np.ndarray)):
            raise SPCInputError("options.exclude", "must be a list of point numbers")
        vals = []
        for i, v in enumerate(list(ex)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise SPCInputError("options.exclude", "must be a point number (1-based)", i)
            vals.append(int(v))
        exclude = tuple(vals)
    multiply = 1.0
    if options.get("multiply") is not None:
        multiply = _number_option(options["multiply"], "multiply")
        if multiply <= 0:
            raise SPCInputError("options.multiply", "must be greater than 0")
    cl = options.get("cl")
    if cl is not None:
        if isinstance(cl, (Sequence, np.ndarray)) and not isinstance(cl, str):
            cl = _numbers(cl, "options.cl")
            if cl.shape[0] != rows:
                raise SPCInputError("options.cl", f"has {cl.shape[0]} values but y has {rows}")
        else:
            cl = _number_option(cl, "cl")
    agg = options.get("agg_fun", "mean") or "mean"
    if agg not in ("mean", "median", "sum", "sd"):
        raise SPCInputError("options.agg_fun", "must be mean, median, sum or sd")
    return QicOptions(screened, freeze_i, part, exclude, multiply, cl, str(agg))


def _part_option(part: Any, rows: int) -> tuple[Any, ...] | None:
    if part is None:
        return None
    if isinstance(part, (int, np.integer)) and not isinstance(part, bool):
        part = [part]
    if isinstance(part, np.ndarray):
        part = part.tolist()
    if isinstance(part, (str, Mapping)) or not isinstance(part, Sequence):
        raise SPCInputError("options.part", "must be a list")
    for i, v in enumerate(part):
        if v is None or isinstance(v, bool) or not isinstance(v, (int, str, np.integer)):
            raise SPCInputError("options.part", "must hold integers or labels", i)
    return tuple(part)


def _xmr_options(options: Mapping[str, Any], x: XValues) -> XmrOptions:
    _check_known(options, XMR_OPTIONS, "xmr")
    if x.kind == "category":
        raise SPCInputError("x", "an xmr chart needs dates or numbers, not labels")
    if x.missing is not None:
        raise SPCInputError("x", "is missing", int(np.flatnonzero(x.missing)[0]))
    direction = options.get("improvement_direction") or "increase"
    if direction not in ("increase", "decrease", "neutral"):
        raise SPCInputError("options.improvement_direction", "must be increase, decrease or neutral")
    fix = options.get("fix_after_n_points")
    fix_i = None if fix is None else _int_option(fix, "fix_after_n_points", 12)
    target = options.get("target")
    target_f = None if target is None else _number_option(target, "target")
    screen = options.get("screen_outliers")
    screen_b = True if screen is None else _bool_option(screen, "screen_outliers")
    rebase = _rebase_option(options.get("rebase"), x)
    return XmrOptions(str(direction), rebase, fix_i, target_f, screen_b)


def _rebase_option(rebase: Any, x: XValues) -> tuple[Any, ...]:
    if rebase is None:
        return ()
    if isinstance(rebase, (str, int)) and not isinstance(rebase, bool):
        rebase = [rebase]
    if isinstance(rebase, np.ndarray):
        rebase = rebase.tolist()
    if isinstance(rebase, Mapping) or not isinstance(rebase, Sequence):
        raise SPCInputError("options.rebase", "must be a list of x values")
    out: list[Any] = []
    for i, v in enumerate(rebase):
        if x.kind == "date":
            try:
                if isinstance(v, str):
                    out.append(np.datetime64(_dt.date.fromisoformat(v), "D"))
                elif isinstance(v, (_dt.date, np.datetime64)):
                    out.append(np.datetime64(v, "D"))
                else:
                    raise ValueError
            except ValueError:
                raise SPCInputError("options.rebase", f"{v!r} is not a date", i) from None
        else:
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
                raise SPCInputError("options.rebase", f"{v!r} is not a number like x", i)
            out.append(v)
    return tuple(out)

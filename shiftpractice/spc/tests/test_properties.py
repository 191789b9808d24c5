"""Hypothesis property tests of the engine."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from shiftpractice.spc import ChartRequest, compute

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

small_ints = st.lists(st.integers(min_value=-50, max_value=50), min_size=3, max_size=40)
counts = st.lists(st.integers(min_value=0, max_value=40), min_size=3, max_size=40)


def days(k: int) -> np.ndarray:
    return np.datetime64("2020-01-01") + np.arange(k).astype("timedelta64[D]")


def _ordered(res) -> None:  # type: ignore[no-untyped-def]
    lo, mid, hi = (np.asarray(a, dtype=float) for a in (res.lcl, res.cl, res.ucl))
    ok = ~(np.isnan(lo) | np.isnan(mid) | np.isnan(hi))
    assert np.all(lo[ok] <= mid[ok] + 1e-12) and np.all(mid[ok] <= hi[ok] + 1e-12)


@SETTINGS
@given(small_ints, st.sampled_from(["i", "xmr", "run"]), st.booleans())
def test_lcl_cl_ucl_ordered(values: list[int], chart: str, screened: bool) -> None:
    opts = {"screen_outliers": screened} if chart == "xmr" else {"screened_mr": screened}
    res = compute(ChartRequest(chart, days(len(values)), values, None, opts))
    _ordered(res)


@SETTINGS
@given(counts, st.sampled_from(["c", "u", "p", "pp", "up", "g"]))
def test_count_chart_limits_ordered(values: list[int], chart: str) -> None:
    n = [v + 5 for v in values] if chart in ("u", "p", "pp", "up") else None
    res = compute(ChartRequest(chart, None, values, n, {}))
    _ordered(res)


def _near_a_line(res, tol: float = 1e-6) -> bool:  # type: ignore[no-untyped-def]
    """True when a point is so close to a line that rounding could flip a flag."""
    y = np.asarray(res.y, dtype=float)
    lines = [res.cl, res.lcl, res.ucl]
    if res.is_xmr:
        sigma = (np.asarray(res.ucl) - np.asarray(res.cl)) / 2.66
        lines += [np.asarray(res.cl) + 2 * sigma, np.asarray(res.cl) - 2 * sigma]
    for line in lines:
        d = np.abs(y - np.asarray(line, dtype=float))
        d = d[~np.isnan(d)]
        if d.size and d.min() < tol and d.min() != 0:
            return True
    return False


@SETTINGS
@given(small_ints, st.integers(min_value=-1000, max_value=1000), st.sampled_from(["i", "xmr"]))
def test_flags_invariant_under_adding_a_constant(values: list[int], shift: int, chart: str) -> None:
    x = days(len(values))
    a = compute(ChartRequest(chart, x, [float(v) for v in values]))
    b = compute(ChartRequest(chart, x, [float(v + shift) for v in values]))
    assume(not _near_a_line(a) and not _near_a_line(b))
    for key in a.signals:
        assert np.array_equal(a.signals[key], b.signals[key]), key
    if chart == "xmr":
        assert a.point_type == b.point_type
    else:
        assert a.longest_run == b.longest_run and a.n_crossings == b.n_crossings


@SETTINGS
@given(small_ints, st.sampled_from([0.25, 2.0, 8.0, 1024.0]), st.sampled_from(["i", "xmr"]))
def test_limits_scale_with_the_data(values: list[int], k: float, chart: str) -> None:
    x = days(len(values))
    a = compute(ChartRequest(chart, x, [float(v) for v in values]))
    b = compute(ChartRequest(chart, x, [float(v) * k for v in values]))
    for name in ("cl", "lcl", "ucl"):
        va, vb = np.asarray(getattr(a, name)), np.asarray(getattr(b, name))
        assert np.allclose(va * k, vb, rtol=1e-9, atol=1e-9, equal_nan=True), name
    for key in a.signals:
        assert np.array_equal(a.signals[key], b.signals[key]), key


@SETTINGS
@given(small_ints, small_ints, st.sampled_from(["i", "c", "run", "xmr"]))
def test_no_signal_crosses_a_phase(first: list[int], second: list[int], chart: str) -> None:
    """Changing the data of phase 2 never changes anything about phase 1."""
    k = len(first)
    first = [abs(v) for v in first]
    x = days(k + len(second))
    opts = {"rebase": [str(x[k])]} if chart == "xmr" else {"part": [k]}
    a = compute(ChartRequest(chart, x, first + [abs(v) for v in second], None, opts))
    other = [abs(v) * 3 + 7 for v in reversed(second)]
    b = compute(ChartRequest(chart, x, first + other, None, opts))
    for key in a.signals:
        if key == "runs":
            continue  # Anhøj runs of the last part are reported for the whole part.
        assert np.array_equal(a.signals[key][:k], b.signals[key][:k]), key
    for name in ("cl", "lcl", "ucl"):
        assert np.allclose(np.asarray(getattr(a, name))[:k], np.asarray(getattr(b, name))[:k], equal_nan=True)
    if chart != "xmr":
        assert a.parts is not None and b.parts is not None
        assert a.parts[0] == b.parts[0]


@SETTINGS
@given(small_ints)
def test_json_round_trip_has_no_nan(values: list[int]) -> None:
    out = compute(ChartRequest("xmr", days(len(values)), values)).to_dict()
    for key in ("cl", "lcl", "ucl", "y"):
        assert all(v is None or math.isfinite(v) for v in out[key])

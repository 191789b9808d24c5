"""Group the input rows by x into subgroups (one plotted point each).

Follows spec section 2.1: rows with a missing x are dropped, points are
sorted by x, and per subgroup we keep the sum, count, mean and SD of y and the
summed denominator. ``agg_fun`` is always applied: when x is already strictly
increasing (the usual case for long series) every subgroup holds one row, and
the aggregate of one row is computed for the whole array at once (its mean,
median and sum are the value itself, a lone missing value stays missing, and
its standard deviation is undefined), with no sorting or grouping work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .validate import XValues

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Extended precision as R's LDOUBLE; where long double is no wider than a
# double this simply falls back to double arithmetic.
_EXT = np.longdouble


@dataclass(frozen=True)
class Aggregated:
    """Subgroups sorted by x.

    ``y_sd`` is only computed when asked for (xbar and s charts).
    ``first_row`` is the input row (after dropping missing x) of the first
    occurrence of each subgroup's x; ``input_order`` lists subgroups in the
    order their x first appeared (used for ``part`` given as labels).
    """

    keys: npt.NDArray[Any]
    y: FloatArray
    y_sum: FloatArray
    y_length: npt.NDArray[np.int32]
    y_mean: FloatArray
    y_sd: FloatArray | None
    n: FloatArray | None
    first_row: npt.NDArray[np.intp] | None
    multi: bool

    @property
    def size(self) -> int:
        """Number of subgroups (plotted points)."""
        return int(self.y.shape[0])


def _strictly_increasing(keys: npt.NDArray[Any]) -> bool:
    if keys.shape[0] < 2:
        return True
    return bool(np.all(keys[1:] > keys[:-1]))


def aggregate(
    x: XValues, y: FloatArray, n: FloatArray | None, agg_fun: str, want_sd: bool
) -> tuple[Aggregated, npt.NDArray[np.bool_] | None]:
    """Aggregate rows by x; also return the kept-row mask (None = all kept)."""
    keys = x.keys
    kept = None
    if n is not None:
        # A row missing either y or n loses both (spec 2.1 step 2).
        both = np.isnan(y) | np.isnan(n)
        if both.any():
            y = np.where(both, np.nan, y)
            n = np.where(both, np.nan, n)
    if x.missing is not None:
        kept = ~x.missing
        keys, y = keys[kept], y[kept]
        n = None if n is None else n[kept]
    if _strictly_increasing(keys):
        return _single_rows(keys, y, n, agg_fun, want_sd), kept
    return _grouped(keys, y, n, agg_fun, want_sd), kept


def _single_rows(
    keys: npt.NDArray[Any], y: FloatArray, n: FloatArray | None, agg_fun: str, want_sd: bool
) -> Aggregated:
    """Subgroups of one row each: ``agg_fun`` of one value, for all of them at once."""
    valid = ~np.isnan(y)
    y_length = valid.astype(np.int32)
    y_sd = np.full(y.shape[0], np.nan) if want_sd else None
    if n is not None:
        # A finite total means no value is missing: a plain copy is cheaper.
        n_sum = n.copy() if math.isfinite(float(n.sum())) else np.where(np.isnan(n), 0.0, n)
        with np.errstate(invalid="ignore", divide="ignore"):
            y_plot = y / n_sum
    else:
        n_sum = None
        # The sd of one value is undefined (R's sd() gives NA); mean, median and sum are the value.
        y_plot = np.full(y.shape[0], np.nan) if agg_fun == "sd" else y.copy()
    return Aggregated(keys.copy(), y_plot, y, y_length, y, y_sd, n_sum, None, False)


def _grouped(
    keys: npt.NDArray[Any], y: FloatArray, n: FloatArray | None, agg_fun: str, want_sd: bool
) -> Aggregated:
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    total = sk.shape[0]
    new = np.ones(total, dtype=bool)
    new[1:] = sk[1:] != sk[:-1]
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, total))
    ys = y[order]
    valid = ~np.isnan(ys)
    y_length = np.add.reduceat(valid.astype(np.int32), starts).astype(np.int32)
    # R accumulates sums and means in extended precision (and refines a mean
    # once); doing the same keeps ties with the centre line exact.
    y_sum_ext = np.add.reduceat(np.where(valid, ys, 0.0).astype(_EXT), starts)
    y_sum_skip = y_sum_ext.astype(np.float64)
    # A lone missing value stays missing; several rows skip their missing ones.
    y_sum = np.where((sizes == 1) & (y_length == 0), np.nan, y_sum_skip)
    y_mean = _r_means(ys, valid, starts, sizes, y_sum_ext, y_length)
    y_sd = None
    if want_sd or agg_fun == "sd":
        dev = np.where(valid, ys - np.repeat(y_mean, sizes), 0.0)
        ss = np.add.reduceat((dev * dev).astype(_EXT), starts)
        with np.errstate(invalid="ignore", divide="ignore"):
            var = (ss / (y_length.astype(_EXT) - 1)).astype(np.float64)
            y_sd = np.where(y_length >= 2, np.sqrt(var), np.nan)
    n_sum = None
    if n is not None:
        ns = n[order]
        n_sum = np.add.reduceat(np.where(np.isnan(ns), 0.0, ns).astype(_EXT), starts).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            y_plot = y_sum_skip / n_sum
    elif agg_fun == "mean":
        y_plot = y_mean
    elif agg_fun == "sum":
        y_plot = y_sum.copy()
    elif agg_fun == "sd":
        assert y_sd is not None
        y_plot = y_sd.copy()
    else:
        y_plot = _group_medians(ys, starts, sizes)
    return Aggregated(
        sk[starts], y_plot, y_sum, y_length, y_mean, y_sd, n_sum, order[starts], bool(np.any(sizes > 1))
    )


def _r_means(
    ys: FloatArray,
    valid: npt.NDArray[np.bool_],
    starts: npt.NDArray[np.intp],
    sizes: npt.NDArray[np.intp],
    sums: npt.NDArray[Any],
    counts: npt.NDArray[np.int32],
) -> FloatArray:
    """Per-group means as R's ``mean(na.rm = TRUE)`` computes them.

    The extended-precision sum is divided by the count, then corrected once
    by the mean residual; NaN for a group without values.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        cnt = counts.astype(_EXT)
        mean = sums / cnt
        resid = np.where(valid, ys.astype(_EXT) - np.repeat(mean, sizes), 0.0)
        fix = np.add.reduceat(resid, starts) / cnt
        mean = np.where(np.isfinite(mean), mean + fix, mean)
        return np.where(counts > 0, mean.astype(np.float64), np.nan)


def _group_medians(ys: FloatArray, starts: npt.NDArray[np.intp], sizes: npt.NDArray[np.intp]) -> FloatArray:
    out = np.empty(starts.shape[0])
    for i, (s, k) in enumerate(zip(starts.tolist(), sizes.tolist(), strict=False)):
        vals = ys[s : s + k]
        vals = vals[~np.isnan(vals)]
        out[i] = float(np.median(vals)) if vals.shape[0] else math.nan
    return out

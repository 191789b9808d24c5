"""Small numeric building blocks shared by the chart modules.

Means are computed so that they agree with R's ``mean`` to the last bit in
practice: a value lying exactly on the centre line must be recognised as such
by the runs rules (spec section 4, item 14).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Below this size a mean is summed exactly with math.fsum.
_FSUM_LIMIT = 20_000


def finite_values(v: FloatArray) -> FloatArray:
    """The non-missing values of ``v`` (no copy when nothing is missing)."""
    mask = np.isnan(v)
    if mask.any():
        return v[~mask]
    return v


def exact_mean(v: FloatArray) -> float:
    """Mean of the non-missing values, NaN when there are none.

    Small inputs use an exactly rounded sum; large ones use NumPy's pairwise
    sum followed by R's own refinement step (add the mean residual).

    Examples
    --------
    >>> exact_mean(np.array([0.1, 0.2, 0.3, np.nan]))
    0.2
    >>> import math; math.isnan(exact_mean(np.array([np.nan])))
    True
    """
    vals = finite_values(np.asarray(v, dtype=np.float64))
    count = vals.shape[0]
    if count == 0:
        return math.nan
    if count <= _FSUM_LIMIT:
        values = vals.tolist()
        try:
            total = math.fsum(values)
        except OverflowError:
            # Partial sums beyond the float range: R's extended sum overflows too.
            return float(np.sum(vals)) / count
        if not math.isfinite(total):
            return total / count
        # fsum rounds the sum once; its residual restores the exact sum, and
        # one rational division then gives the correctly rounded mean.
        residual = math.fsum([*values, -total])
        from fractions import Fraction  # on first use: large charts never need it

        return float((Fraction(total) + Fraction(residual)) / count)
    m = float(vals.sum()) / count
    if math.isfinite(m):
        m += float(np.subtract(vals, m).sum()) / count
    return m


def fast_nanmean(v: FloatArray) -> float:
    """Mean of the non-missing values without making a filtered copy."""
    valid = ~np.isnan(v)
    count = int(np.count_nonzero(valid))
    if count == 0:
        return math.nan
    return float(np.add.reduce(v, where=valid)) / count


def nan_sum(v: FloatArray) -> float:
    """Sum skipping missing values (0 for an empty or all-missing input).

    Small inputs are summed exactly and rounded once, which is what R's
    ``sum`` (accumulated in extended precision) gives in practice.

    Examples
    --------
    >>> nan_sum(np.array([0.1, 0.2, np.nan, 0.3]))
    0.6
    """
    if v.shape[0] <= _FSUM_LIMIT:
        try:
            return math.fsum(finite_values(v).tolist())
        except OverflowError:
            pass
    return float(np.add.reduce(v, where=~np.isnan(v)))


def median(v: FloatArray) -> float:
    """Median of the non-missing values (average of the two middle ones)."""
    vals = finite_values(np.asarray(v, dtype=np.float64))
    if vals.shape[0] == 0:
        return math.nan
    return float(np.median(vals))


def screened_mean(mr: FloatArray, screen: bool, factor: float) -> float:
    """Average moving range with the optional one-pass Nelson screening.

    Moving ranges at or above ``factor`` times the first average are dropped
    (kept only when strictly smaller) and the average is taken once more.

    Examples
    --------
    >>> screened_mean(np.array([1.0, 1.0, 1.0, 100.0]), True, 3.267)
    1.0
    >>> screened_mean(np.array([0.0, 0.0]), True, 3.267)
    nan
    """
    small = mr.shape[0] <= _FSUM_LIMIT
    # Small inputs get R's (in practice correctly rounded) mean, so that a
    # moving range exactly at the screening limit is judged as R judges it.
    amr = exact_mean(mr) if small else fast_nanmean(mr)
    if not screen:
        return amr
    with np.errstate(invalid="ignore"):
        keep = mr < factor * amr
    count = int(np.count_nonzero(keep))
    if count == 0:
        return math.nan
    if small:
        return exact_mean(mr[keep])
    return float(np.add.reduce(mr, where=keep)) / count


@lru_cache(maxsize=4096)
def qbinom_05(size: int) -> int:
    """R's ``qbinom(0.05, size, 0.5)``: smallest k with P(X <= k) >= 0.05.

    Examples
    --------
    >>> [qbinom_05(n - 1) for n in (10, 20, 24, 60)]
    [2, 6, 8, 23]
    >>> qbinom_05(0)
    0
    """
    if size <= 0:
        return 0
    if size <= 1000:
        total = 0
        denom = 2**size
        for k in range(size + 1):
            total += math.comb(size, k)
            # Exact rational comparison avoids any rounding at the boundary.
            if total * 20 >= denom:
                return k
        return size
    # Large sizes: sum the probability mass in log space from far in the tail.
    mean = size / 2.0
    sd = math.sqrt(size) / 2.0
    k0 = max(0, int(mean - 12.0 * sd))
    ks = np.arange(k0, int(mean) + 1, dtype=np.float64)
    lg = np.array([math.lgamma(k + 1.0) + math.lgamma(size - k + 1.0) for k in ks.tolist()])
    logp = math.lgamma(size + 1.0) - lg - size * math.log(2.0)
    cdf = np.cumsum(np.exp(logp))
    idx = int(np.searchsorted(cdf, 0.05 * (1 - 64 * np.finfo(float).eps), side="left"))
    return int(k0 + idx)


def anhoej_limits(n_useful: int) -> tuple[int, int]:
    """Anhøj limits ``(longest_run_max, n_crossings_min)`` for ``n_useful`` points.

    Examples
    --------
    >>> [anhoej_limits(n) for n in (10, 22, 23, 46)]
    [(6, 2), (7, 7), (8, 7), (9, 17)]
    """
    # log2 of an integer is never exactly x.5, so round-half rules do not matter.
    return round(math.log2(n_useful)) + 3, qbinom_05(n_useful - 1)


@lru_cache(maxsize=1024)
def runs_count_limits(n_useful: int) -> tuple[int, int]:
    """IHI limits for the number of runs: ``(fewest, most)`` not signalling.

    The published run-chart table (Perla, Provost & Murray 2011, after Swed and
    Eisenhart) assumes the useful points split evenly above and below the
    median and uses about 5 % overall, 2.5 % in each tail. Exact counting is
    used up to 400 points, the normal approximation beyond.

    Examples
    --------
    >>> [runs_count_limits(n) for n in (10, 20)]
    [(3, 9), (7, 15)]
    """
    n1 = n_useful // 2
    n2 = n_useful - n1
    if n1 == 0:
        return 1, 1
    if n_useful > 400:
        mu = 1.0 + 2.0 * n1 * n2 / n_useful
        var = 2.0 * n1 * n2 * (2.0 * n1 * n2 - n_useful) / (n_useful**2 * (n_useful - 1.0))
        half = 1.959963984540054 * math.sqrt(var)
        return math.ceil(mu - half), math.floor(mu + half)
    total = math.comb(n_useful, n1)
    probs: dict[int, int] = {}
    for r in range(2, n_useful + 1):
        k, odd = divmod(r, 2)
        if not odd:
            ways = 2 * math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k - 1)
        else:
            ways = math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k) + math.comb(n1 - 1, k) * math.comb(
                n2 - 1, k - 1
            )
        probs[r] = ways
    low, cum = 2, 0
    for r in range(2, n_useful + 1):
        cum += probs[r]
        if cum * 40 > total:
            low = r
            break
    high, cum = n_useful, 0
    for r in range(n_useful, 1, -1):
        cum += probs[r]
        if cum * 40 > total:
            high = r
            break
    return low, high


def c4(n: npt.NDArray[Any]) -> FloatArray:
    """Bias constant c4(n) for the sample SD, NaN for n <= 1."""
    nf = np.asarray(n, dtype=np.float64)
    out = np.full(nf.shape, np.nan)
    ok = nf > 1
    vals = nf[ok]
    lg = np.array(
        [math.lgamma(v / 2.0) - math.lgamma((v - 1.0) / 2.0) for v in vals.tolist()],
        dtype=np.float64,
    )
    out[ok] = np.sqrt(2.0 / (vals - 1.0)) * np.exp(lg)
    return out


def a3(n: npt.NDArray[Any], k: float) -> FloatArray:
    """Xbar limit factor k / (c4(n) sqrt(n))."""
    nf = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return k / (c4(nf) * np.sqrt(nf))


def b_factors(n: npt.NDArray[Any], k: float) -> tuple[FloatArray, FloatArray]:
    """S chart factors (B3, B4) for ``k`` sigma."""
    c4n = c4(n)
    with np.errstate(invalid="ignore"):
        c5n = np.sqrt(1.0 - c4n**2)
        ratio = k * c5n / c4n
        b3 = np.maximum(0.0, 1.0 - ratio)
    b3[np.isnan(ratio)] = np.nan
    return b3, 1.0 + ratio

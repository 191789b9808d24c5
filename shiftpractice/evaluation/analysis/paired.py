"""The statistics: paired t-test, Wilcoxon signed-rank test, sign test and effect sizes.

Each reproduces what R 4.2's ``stats`` package reports (``t.test(after, before, paired = TRUE)``,
``wilcox.test(after, before, paired = TRUE, conf.int = TRUE)``, ``binom.test``), following its
arithmetic where the order of operations matters at a relative 1e-9.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special, stats

from .types import EffectSize, PairedAnalysis, SignTest, TTest, Wilcoxon
from .validate import complete_pairs, request_fields

__all__ = ["CONF_LEVEL", "EXACT_LIMIT", "WALSH_LIMIT", "analyse", "analyse_dict"]

FloatArray = npt.NDArray[np.float64]

#: Fewer non-zero differences than this, with no ties and no zeros, get the exact Wilcoxon test.
EXACT_LIMIT = 50
#: The confidence level of every interval.
CONF_LEVEL = 0.95
#: Above this many pairs the Walsh-average median (n(n+1)/2 averages) is not computed.
WALSH_LIMIT = 2000

_EPS = sys.float_info.epsilon
_LN2 = 0.6931471805599453  # R's M_LN2 as a double
_TOO_LARGE = "the numbers are too large to compute this in floating point"


def _finite(v: float, key: str, reasons: dict[str, str]) -> float | None:
    if math.isfinite(v):
        return v
    reasons[key] = _TOO_LARGE
    return None


def _mean(x: FloatArray) -> float:
    """The mean from an exactly rounded sum (R sums in long double); scaled by 2**-64 if the sum overflows."""
    try:
        return math.fsum(x.tolist()) / x.size
    except OverflowError:
        scale = 2.0**-64  # a power of two: scaling is exact
        return math.fsum((x * scale).tolist()) / x.size / scale


def _sd(x: FloatArray, mean: float) -> float:
    """Sample standard deviation in two passes; ``inf`` when the squares overflow."""
    with np.errstate(over="ignore"):
        squares = (x - mean) ** 2
    if not np.all(np.isfinite(squares)):
        return math.inf
    return math.sqrt(math.fsum(squares.tolist()) / (x.size - 1))


def _t_test(d: FloatArray, mean: float, sd: float, reasons: dict[str, str]) -> TTest:
    n = d.size
    se = sd / math.sqrt(n)
    why = None
    if not math.isfinite(se):
        why = "the differences are too large to compute their spread"
    elif se == 0 or se < 10 * _EPS * abs(mean):  # R refuses "essentially constant" data this way
        why = "every difference is the same, so there is no spread to test against"
    if why is not None:
        for key in ("mean_difference", "ci_low", "ci_high", "t", "df", "p_value"):
            reasons[f"t_test.{key}"] = why
        return TTest(None, None, None, None, None, None)
    t = mean / se
    df = n - 1
    q = float(special.stdtrit(df, 1 - (1 - CONF_LEVEL) / 2))
    p = float(2 * special.stdtr(df, -abs(t)))
    # R forms the interval as (t -/+ q) * se rather than mean -/+ q * se; follow its rounding.
    return TTest(
        _finite(mean, "t_test.mean_difference", reasons),
        _finite((t - q) * se, "t_test.ci_low", reasons),
        _finite((t + q) * se, "t_test.ci_high", reasons),
        _finite(t, "t_test.t", reasons),
        df,
        _finite(p, "t_test.p_value", reasons),
    )


@functools.lru_cache(maxsize=EXACT_LIMIT)
def _signrank_counts(n: int) -> tuple[int, ...]:
    """How many of the 2**n sign patterns give each signed-rank sum 0..n(n+1)/2 (R's ``csignrank``)."""
    counts = [1] + [0] * (n * (n + 1) // 2)
    top = 0
    for k in range(1, n + 1):
        top += k
        for s in range(top, k - 1, -1):
            counts[s] += counts[s - k]
    return tuple(counts)


def _exact_p(v: int, n: int) -> float:
    """R's two-sided exact p-value, from integer counts (so it is the same to the bit for -d).

    >>> _exact_p(10, 4), _exact_p(0, 4), _exact_p(5, 4)
    (0.125, 0.125, 1.0)
    """
    counts = _signrank_counts(n)
    tail = sum(counts[v:]) if v > n * (n + 1) / 4 else sum(counts[: v + 1])
    return min(2 * tail / 2**n, 1.0)


def _qsignrank(prob: float, n: int) -> int:
    """R's ``qsignrank(prob, n)`` for ``prob <= 0.5``, with its floating-point steps and 10-epsilon fuzz.

    >>> _qsignrank(0.025, 9), _qsignrank(0.025, 3)
    (6, 0)
    """
    counts = _signrank_counts(n)
    f = math.exp(-n * _LN2)
    target = prob - 10 * _EPS
    p, q = 0.0, 0
    while True:
        p += float(counts[q]) * f
        if p >= target:
            return q
        q += 1


def _walsh_sums(x: FloatArray) -> FloatArray:
    """Every x_i + x_j for i <= j (R sorts the sums, then halves them)."""
    i, j = np.triu_indices(x.size)
    with np.errstate(over="ignore", invalid="ignore"):
        return x[i] + x[j]


def _median_of_halves(lower: float, upper: float | None) -> float:
    """The median from the middle sum (odd count) or the two middle sums, halved first as R does."""
    with np.errstate(over="ignore", invalid="ignore"):
        if upper is None:
            return lower / 2
        return (lower / 2 + upper / 2) / 2


def _walsh_median(x: FloatArray) -> float:
    sums = _walsh_sums(x)
    m = sums.size // 2
    if sums.size % 2:
        return _median_of_halves(float(np.partition(sums, m)[m]), None)
    part = np.partition(sums, [m - 1, m])
    return _median_of_halves(float(part[m - 1]), float(part[m]))


def _wilcoxon_exact(x: FloatArray, v: float, reasons: dict[str, str]) -> Wilcoxon:
    n = x.size
    w = np.sort(_walsh_sums(x)) / 2
    m = w.size // 2
    with np.errstate(over="ignore", invalid="ignore"):
        estimate = float(w[m]) if w.size % 2 else float((w[m - 1] + w[m]) / 2)
    qu = max(_qsignrank((1 - CONF_LEVEL) / 2, n), 1)
    ql = n * (n + 1) // 2 - qu
    est = _finite(estimate, "wilcoxon.estimate", reasons)
    if est is None:
        reasons["details.walsh_median"] = _TOO_LARGE
    return Wilcoxon(
        n_nonzero=n,
        v=v,
        method="exact",
        p_value=_exact_p(int(v), n),
        estimate=est,
        ci_low=_finite(float(w[qu - 1]), "wilcoxon.ci_low", reasons),
        ci_high=_finite(float(w[ql]), "wilcoxon.ci_high", reasons),
        walsh_median=est,  # no zeros here, so the same Walsh averages
    )


def _wilcoxon_normal(
    d: FloatArray, x: FloatArray, v: float, tie_sizes: FloatArray, reasons: dict[str, str]
) -> Wilcoxon:
    n = float(x.size)
    z = v - n * (n + 1) / 4
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - float(np.sum(tie_sizes**3 - tie_sizes)) / 48)
    z = (z - (math.copysign(0.5, z) if z else 0.0)) / sigma  # continuity correction towards zero
    p = 2 * min(float(special.ndtr(z)), float(special.ndtr(-z)))
    causes = [
        label
        for label, present in (
            ("zero differences", x.size < d.size),
            ("tied differences", tie_sizes.size < x.size),
            (f"{EXACT_LIMIT} or more non-zero differences", x.size >= EXACT_LIMIT),
        )
        if present
    ]
    why = (
        f"not given with the normal approximation ({', '.join(causes)}): R finds it by a numerical search "
        "that is not reproduced; show the median of the Walsh averages (details.walsh_median), labelled"
    )
    for key in ("estimate", "ci_low", "ci_high"):
        reasons[f"wilcoxon.{key}"] = why
    walsh = None
    if d.size <= WALSH_LIMIT:
        walsh = _finite(_walsh_median(d), "details.walsh_median", reasons)
    else:
        reasons["details.walsh_median"] = f"not computed for more than {WALSH_LIMIT} pairs"
    return Wilcoxon(int(n), v, "normal", p, None, None, None, walsh)


def _wilcoxon(d: FloatArray, reasons: dict[str, str]) -> tuple[Wilcoxon, float, float]:
    """The test, with the sums of the positive and of the negative ranks."""
    x = d[d != 0]
    ranks = stats.rankdata(np.abs(x))  # mid-ranks for ties, as R's rank()
    v = math.fsum(ranks[x > 0].tolist())
    neg = math.fsum(ranks[x < 0].tolist())
    _, tie_sizes = np.unique(ranks, return_counts=True)
    if x.size < EXACT_LIMIT and tie_sizes.size == x.size and x.size == d.size:
        return _wilcoxon_exact(x, v, reasons), v, neg
    return _wilcoxon_normal(d, x, v, tie_sizes.astype(np.float64), reasons), v, neg


def _cohens_dz(mean: float, sd: float, reasons: dict[str, str]) -> float | None:
    if sd == 0:
        reasons["effect_size.cohens_dz"] = "the standard deviation of the differences is 0"
        return None
    if math.isinf(sd):
        reasons["effect_size.cohens_dz"] = "the differences are too large to compute their spread"
        return None
    return _finite(mean / sd, "effect_size.cohens_dz", reasons)


def _median(x: FloatArray) -> float:
    """The median, halving before adding when the two middle values would overflow."""
    s = np.sort(x)
    m = s.size // 2
    if s.size % 2:
        return float(s[m])
    lower, upper = float(s[m - 1]), float(s[m])
    mid = (lower + upper) / 2
    return mid if math.isfinite(mid) else lower / 2 + upper / 2


def analyse(before: Sequence[float | None], after: Sequence[float | None]) -> PairedAnalysis:
    """Analyse paired answers: one position per person, ``None`` (or NaN) for a missing answer.

    Only complete pairs are analysed, with ``d = after - before``.

    Raises
    ------
    AnalysisInputError
        Unequal lengths, a value that is not a finite number, fewer than 2 complete pairs, a
        difference too large to represent, or every difference zero.

    Examples
    --------
    >>> res = analyse([10, 12, 9, 14], [13, 12.5, 11, 19])
    >>> res.wilcoxon.method, res.wilcoxon.estimate, res.wilcoxon.ci_low, res.wilcoxon.ci_high
    ('exact', 2.625, 0.5, 5.0)
    >>> res.sign_test.p_value, res.effect_size.rank_biserial
    (0.125, 1.0)
    >>> swapped = analyse([13, 12.5, 11, 19], [10, 12, 9, 14])
    >>> swapped.wilcoxon.estimate, swapped.wilcoxon.p_value == res.wilcoxon.p_value
    (-2.625, True)
    """
    n_people, b, a = complete_pairs(before, after)
    d = a - b
    reasons: dict[str, str] = {}
    mean = _mean(d)
    sd = _sd(d, mean)
    n_pos, n_neg = int(np.count_nonzero(d > 0)), int(np.count_nonzero(d < 0))
    wilcoxon, pos_ranks, neg_ranks = _wilcoxon(d, reasons)
    # binom.test is symmetric at 0.5; asking about the smaller count keeps swapped inputs bit-identical.
    sign_p = float(stats.binomtest(min(n_pos, n_neg), n_pos + n_neg, 0.5).pvalue)
    return PairedAnalysis(
        n_pairs=int(d.size),
        n_positive=n_pos,
        n_negative=n_neg,
        t_test=_t_test(d, mean, sd, reasons),
        wilcoxon=wilcoxon,
        sign_test=SignTest(sign_p),
        effect_size=EffectSize(
            (pos_ranks - neg_ranks) / (pos_ranks + neg_ranks), _cohens_dz(mean, sd, reasons)
        ),
        n_people=n_people,
        median_before=_median(b),
        median_after=_median(a),
        reasons=reasons,
    )


def analyse_dict(data: Any, *, details: bool = False) -> dict[str, Any]:
    """The JSON contract in Python: ``{"before": [...], "after": [...]}`` in, the result's JSON form out.

    Other keys are ignored, so a reference case can be passed as it is.

    Examples
    --------
    >>> out = analyse_dict({"before": [1, 2, 3], "after": [2, 2, 5]})
    >>> out["n_pairs"], out["wilcoxon"]["method"], out["t_test"]["mean_difference"]
    (3, 'normal', 1)
    """
    before, after = request_fields(data)
    return analyse(before, after).to_dict(details=details)

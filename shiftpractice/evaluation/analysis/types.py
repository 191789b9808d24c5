"""Result types of the paired analysis: frozen dataclasses and their JSON form."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["EffectSize", "PairedAnalysis", "SignTest", "TTest", "Wilcoxon", "json_number"]


@dataclass(frozen=True)
class TTest:
    """Paired t-test on ``d = after - before``: two-sided, 95% interval.

    Every field is ``None`` when the differences have no spread (all the same, or so nearly the
    same that R calls the data "essentially constant").
    """

    mean_difference: float | None
    ci_low: float | None
    ci_high: float | None
    t: float | None
    df: int | None
    p_value: float | None


@dataclass(frozen=True)
class Wilcoxon:
    """Wilcoxon signed-rank test on the non-zero differences.

    ``method`` is ``"exact"`` (fewer than 50 non-zero differences, no ties among ``|d|``, no zero
    ``d``) or ``"normal"``. ``estimate``, ``ci_low`` and ``ci_high`` (the Hodges-Lehmann estimate and
    its exact 95% interval) are given for the exact method only. ``walsh_median`` is not in the
    spec's output: it is the median of the Walsh averages of every ``d``, zeros included, the estimate
    to show (labelled as such) when the method is ``normal``; ``None`` above ``WALSH_LIMIT`` pairs.
    """

    n_nonzero: int
    v: float
    method: str
    p_value: float | None
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    walsh_median: float | None


@dataclass(frozen=True)
class SignTest:
    """Exact two-sided binomial test of ``n_positive`` out of ``n_positive + n_negative`` at 0.5."""

    p_value: float | None


@dataclass(frozen=True)
class EffectSize:
    """Matched-pairs rank-biserial correlation, and Cohen's d_z (mean of ``d`` over its SD)."""

    rank_biserial: float | None
    cohens_dz: float | None


@dataclass(frozen=True)
class PairedAnalysis:
    """The result of :func:`~shiftpractice.evaluation.analysis.analyse`.

    Attributes
    ----------
    n_pairs, n_positive, n_negative : int
        Complete pairs, and those with ``d > 0`` and ``d < 0``.
    t_test, wilcoxon, sign_test, effect_size
        The tests and effect sizes, as ``shared/docs/evaluation-spec.md`` defines them.
    n_people : int
        The input length (one position per person).
    median_before, median_after : float
        Medians over the complete pairs.
    reasons : mapping
        For each field that is ``None``, its dotted JSON name (``"t_test.p_value"``) and why it
        could not be given. Read-only.
    """

    n_pairs: int
    n_positive: int
    n_negative: int
    t_test: TTest
    wilcoxon: Wilcoxon
    sign_test: SignTest
    effect_size: EffectSize
    n_people: int
    median_before: float
    median_after: float
    reasons: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Sorted and read-only, so that the result is immutable and its JSON is byte-stable.
        object.__setattr__(self, "reasons", MappingProxyType(dict(sorted(self.reasons.items()))))

    @property
    def n_missing(self) -> int:
        """People lost to a missing answer at either time."""
        return self.n_people - self.n_pairs

    @property
    def n_unchanged(self) -> int:
        """Complete pairs with ``d == 0``."""
        return self.n_pairs - self.n_positive - self.n_negative

    def to_dict(self, *, details: bool = False) -> dict[str, Any]:
        """The JSON form: exactly the spec's fields; ``details=True`` adds ``details`` and ``reasons``."""
        tt, wx, es = self.t_test, self.wilcoxon, self.effect_size
        out: dict[str, Any] = {
            "n_pairs": self.n_pairs,
            "n_positive": self.n_positive,
            "n_negative": self.n_negative,
            "t_test": {
                "mean_difference": json_number(tt.mean_difference),
                "ci_low": json_number(tt.ci_low),
                "ci_high": json_number(tt.ci_high),
                "t": json_number(tt.t),
                "df": tt.df,
                "p_value": json_number(tt.p_value),
            },
            "wilcoxon": {
                "n_nonzero": wx.n_nonzero,
                "v": json_number(wx.v),
                "p_value": json_number(wx.p_value),
                "method": wx.method,
                "estimate": json_number(wx.estimate),
                "ci_low": json_number(wx.ci_low),
                "ci_high": json_number(wx.ci_high),
            },
            "sign_test": {"p_value": json_number(self.sign_test.p_value)},
            "effect_size": {
                "rank_biserial": json_number(es.rank_biserial),
                "cohens_dz": json_number(es.cohens_dz),
            },
        }
        if details:
            out["details"] = {
                "n_people": self.n_people,
                "n_missing": self.n_missing,
                "n_unchanged": self.n_unchanged,
                "median_before": json_number(self.median_before),
                "median_after": json_number(self.median_after),
                "walsh_median": json_number(wx.walsh_median),
            }
            out["reasons"] = dict(self.reasons)
        return out


def json_number(v: float | None) -> int | float | None:
    """One number in its JSON form: ``None`` when missing or not finite, an int when whole.

    Whole numbers are written as the reference output writes them (``1``, not ``1.0``); this never
    changes the value.

    Examples
    --------
    >>> json_number(2.0), json_number(0.25), json_number(None), json_number(float("inf"))
    (2, 0.25, None, None)
    """
    if v is None or not math.isfinite(v):
        return None
    if v.is_integer() and abs(v) < 2.0**53:
        return int(v)
    return v

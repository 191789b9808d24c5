"""Edge cases of the spec's definitions, with expected values computed with R 4.2.2 for these tests."""

from __future__ import annotations

import math

import numpy as np
import pytest

from shiftpractice.evaluation.analysis import WALSH_LIMIT, AnalysisInputError, analyse


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# 50 pairs with distinct |d| and no zero d: the first 49 are exact, all 50 are normal.
BEFORE = [40 + ((i * 37) % 101) / 4 for i in range(50)]
AFTER = [BEFORE[i] + ((i * 53) % 89) / 8 - 3.1 for i in range(50)]


def test_two_pairs_exact() -> None:
    res = analyse([10, 20], [11, 25])
    t = res.t_test
    assert (t.mean_difference, t.t, t.df) == (3.0, 1.5, 1)
    assert close(t.ci_low, -22.412409472349388) and close(t.ci_high, 28.412409472349388)
    assert close(t.p_value, 0.3743340836219976)
    w = res.wilcoxon
    assert (w.method, w.v, w.p_value, w.estimate, w.ci_low, w.ci_high) == ("exact", 3.0, 0.5, 3.0, 1.0, 5.0)
    assert res.sign_test.p_value == 0.5


def test_every_difference_the_same_leaves_the_t_test_and_d_z_null_with_reasons() -> None:
    res = analyse([1, 2, 3], [2, 3, 4])
    assert res.t_test.mean_difference is None and res.t_test.p_value is None and res.t_test.df is None
    assert "no spread" in res.reasons["t_test.p_value"]
    assert res.effect_size.cohens_dz is None and "standard deviation" in res.reasons["effect_size.cohens_dz"]
    w = res.wilcoxon  # all |d| tied: the normal approximation
    assert (w.method, w.v) == ("normal", 6.0) and close(w.p_value, 0.14891467317876567)
    assert (
        w.estimate is None and "normal approximation (tied differences)" in res.reasons["wilcoxon.estimate"]
    )
    assert close(res.sign_test.p_value, 0.25000000000000006)
    assert res.effect_size.rank_biserial == 1.0


def test_essentially_constant_differences_are_refused_by_the_t_test_as_r_does() -> None:
    # d is 0.1 to within rounding; R: "data are essentially constant". The |d| differ in the last bits,
    # so R's Wilcoxon test sees no ties and is exact.
    res = analyse([1.1, 2.2, 3.3], [1.2, 2.3, 3.4])
    assert res.t_test.t is None
    w = res.wilcoxon
    assert (w.method, w.v) == ("exact", 6.0) and close(w.p_value, 0.25000000000000006)
    assert close(w.estimate, 0.099999999999999867)
    assert close(w.ci_low, 0.099999999999999645) and close(w.ci_high, 0.10000000000000009)


def test_one_change_among_zeros() -> None:
    res = analyse([1, 2, 3, 4], [1, 2, 3, 6])
    assert (res.n_positive, res.n_negative, res.n_unchanged) == (1, 0, 3)
    t = res.t_test
    assert (t.mean_difference, t.t, t.df) == (0.5, 1.0, 3) and close(t.p_value, 0.39100221895577053)
    assert close(t.ci_low, -1.0912231526418539) and close(t.ci_high, 2.0912231526418541)
    w = res.wilcoxon
    assert (w.method, w.n_nonzero, w.v, w.p_value) == ("normal", 1, 1.0, 1.0)
    assert "zero differences" in res.reasons["wilcoxon.ci_low"]
    assert res.sign_test.p_value == 1.0 and res.effect_size.rank_biserial == 1.0
    assert w.walsh_median == 0.0  # the Walsh averages of every d, zeros included


def test_49_nonzero_differences_are_exact() -> None:
    res = analyse(BEFORE[:49], AFTER[:49])
    w = res.wilcoxon
    assert (w.method, w.n_nonzero, w.v) == ("exact", 49, 1029.0)
    assert close(w.p_value, 1.2854966168873721e-05)
    assert close(w.estimate, 2.4000000000000021)
    assert close(w.ci_low, 1.4624999999999986) and close(w.ci_high, 3.4624999999999986)
    assert close(res.t_test.p_value, 4.6478605232541091e-06)
    assert close(res.sign_test.p_value, 0.0038016544097487972)


def test_50_nonzero_differences_use_the_normal_approximation() -> None:
    res = analyse(BEFORE, AFTER)
    w = res.wilcoxon
    assert (w.method, w.n_nonzero, w.v) == ("normal", 50, 1060.0)
    assert close(w.p_value, 4.6275339130818303e-05)
    assert (w.estimate, w.ci_low, w.ci_high) == (None, None, None)
    assert "50 or more non-zero differences" in res.reasons["wilcoxon.estimate"]
    assert w.walsh_median is not None and 2.3 < w.walsh_median < 2.5
    assert close(res.t_test.ci_low, 1.4158242747146144) and close(res.t_test.ci_high, 3.2841757252853849)


def test_ten_pairs_exact_interval() -> None:
    res = analyse(BEFORE[:10], AFTER[:10])
    w = res.wilcoxon
    assert (w.method, w.v, w.p_value) == ("exact", 44.0, 0.10546875)
    assert close(w.estimate, 2.2124999999999986)
    assert close(w.ci_low, -0.16250000000000142) and close(w.ci_high, 4.5874999999999986)
    assert close(res.sign_test.p_value, 0.34375000000000011)


def test_an_even_split_gives_a_sign_test_p_of_one() -> None:
    res = analyse([1, 2, 3, 4], [2, 1, 3, 4])
    assert (res.n_positive, res.n_negative) == (1, 1) and res.sign_test.p_value == 1.0


def test_missing_answers_are_dropped_per_pair() -> None:
    res = analyse([None, 1, 2, 3, float("nan"), 7], [5, 2, None, 5, 1, 9])
    assert (res.n_people, res.n_pairs, res.n_missing) == (6, 3, 3)
    assert (res.median_before, res.median_after) == (3.0, 5.0)


def test_numpy_arrays_are_accepted() -> None:
    res = analyse(np.array([1.0, 2.0, np.nan, 4.0]), np.array([2, 4, 5, 8]))
    assert res.n_pairs == 3 and res.t_test.mean_difference == 7 / 3


def test_huge_values_give_nulls_with_reasons_not_exceptions() -> None:
    res = analyse([0.0, 0.0, 0.0], [8e307, -7e307, 1e307])
    assert res.t_test.t is None and "too large" in res.reasons["t_test.t"]
    assert res.effect_size.cohens_dz is None and "too large" in res.reasons["effect_size.cohens_dz"]
    assert res.median_after == 1e307
    assert res.wilcoxon.method == "exact" and res.wilcoxon.ci_low == -7e307


def test_an_estimate_that_overflows_is_null_with_a_reason() -> None:
    res = analyse([0, None, 0], [1e308, None, 7.976931348623158e307])
    assert res.wilcoxon.method == "exact" and res.wilcoxon.estimate is None
    assert res.wilcoxon.walsh_median is None and "too large" in res.reasons["details.walsh_median"]
    assert res.wilcoxon.ci_low == 7.976931348623158e307


def test_a_thousand_people() -> None:
    rng = np.random.default_rng(3)
    before = rng.integers(10, 41, size=1000)
    after = np.clip(before + rng.integers(-4, 7, size=1000), 10, 40)
    res = analyse(before.tolist(), after.tolist())
    assert res.n_pairs == 1000 and res.wilcoxon.method == "normal" and res.wilcoxon.walsh_median is not None


def test_no_walsh_median_above_the_limit() -> None:
    before = list(range(WALSH_LIMIT + 1))
    after = [v + (1 if v % 3 else -2) for v in before]
    res = analyse(before, after)
    assert res.wilcoxon.walsh_median is None
    assert str(WALSH_LIMIT) in res.reasons["details.walsh_median"]
    assert res.to_dict(details=True)["details"]["walsh_median"] is None


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ([1, 2, 3], [1, 2], "before, after: different lengths (3 and 2)"),
        ([1, "2", 3], [1, 2, 4], "before[1]: text is not a number ('2')"),
        ([1, 2, 3], [1, True, 4], "after[1]: not a number ('True')"),
        ([1, 2, 3], [1, [2], 4], "after[1]: not a number ('[2]')"),
        ([1, 2, 3], [1, {"a": 1}, 4], "after[1]: not a number"),
        ([1, 2, float("inf")], [1, 2, 4], "before[2]: not a finite number"),
        ([1, 2, 10**400], [1, 2, 4], "before[2]: number too large"),
        ("123", [1, 2, 3], "before: must be a list"),
        ([1, 2], None, "after: must be a list"),
        ([], [], "pairs: fewer than 2 complete pairs (0)"),
        ([1], [2], "pairs: fewer than 2 complete pairs (1)"),
        ([1, None, 3], [2, 5, None], "pairs: fewer than 2 complete pairs (1)"),
        ([None, None], [None, None], "pairs: fewer than 2 complete pairs (0)"),
        ([1, 2, None], [1, 2, 7], "pairs: every difference is zero"),
        ([-1e308, 0], [1e308, 1], "after[0]: after - before is too large to represent"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(before: object, after: object, message: str) -> None:
    with pytest.raises(AnalysisInputError) as caught:
        analyse(before, after)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)

"""Hypothesis properties of the paired analysis."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from shiftpractice.evaluation.analysis import AnalysisInputError, PairedAnalysis, analyse, analyse_dict

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

answer = st.one_of(st.none(), st.integers(min_value=-20, max_value=60))
decimal = st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))


@st.composite
def paired(draw: Any, element: Any = answer, max_size: int = 70) -> tuple[list[Any], list[Any]]:
    before = draw(st.lists(element, min_size=0, max_size=max_size))
    after = draw(st.lists(element, min_size=len(before), max_size=len(before)))
    return before, after


@st.composite
def analysable(draw: Any, value: Any = None, max_size: int = 70) -> tuple[list[Any], list[Any]]:
    """Pairs the analysis accepts (at least two complete pairs, not every difference zero), with any pairs after
    them: drawn so, rather than drawn anyhow and filtered (which threw away most examples, and Hypothesis
    then failed its health check at random)."""
    value = value if value is not None else st.integers(min_value=-20, max_value=60)
    element = st.one_of(st.none(), value)
    before, after = draw(paired(element, max_size=max_size - 2))
    first = draw(value)
    differs = draw(value.filter(lambda v: v != first))
    second, third = draw(value), draw(value)
    return [first, second, *before], [differs, third, *after]


def attempt(before: list[Any], after: list[Any]) -> PairedAnalysis | None:
    try:
        return analyse(before, after)
    except AnalysisInputError:
        return None


def _neg(v: float | None) -> float | None:
    return None if v is None else -v


def assert_mirror(res: PairedAnalysis, swp: PairedAnalysis) -> None:
    """``swp`` analysed (after, before): estimates negated, p-values unchanged, to the bit."""
    assert (swp.n_pairs, swp.n_positive, swp.n_negative) == (res.n_pairs, res.n_negative, res.n_positive)
    tt, ts = res.t_test, swp.t_test
    assert ts.mean_difference == _neg(tt.mean_difference) and ts.t == _neg(tt.t)
    assert (ts.ci_low, ts.ci_high) == (_neg(tt.ci_high), _neg(tt.ci_low))
    assert ts.p_value == tt.p_value and ts.df == tt.df
    wr, ws = res.wilcoxon, swp.wilcoxon
    assert ws.method == wr.method and ws.n_nonzero == wr.n_nonzero
    assert ws.v == wr.n_nonzero * (wr.n_nonzero + 1) / 2 - wr.v
    assert ws.p_value == wr.p_value
    assert ws.estimate == _neg(wr.estimate) and ws.walsh_median == _neg(wr.walsh_median)
    assert (ws.ci_low, ws.ci_high) == (_neg(wr.ci_high), _neg(wr.ci_low))
    assert swp.sign_test.p_value == res.sign_test.p_value
    assert swp.effect_size.rank_biserial == -res.effect_size.rank_biserial  # type: ignore[operator]
    assert swp.effect_size.cohens_dz == _neg(res.effect_size.cohens_dz)


@SETTINGS
@given(st.one_of(paired(), analysable()))
def test_swapping_before_and_after_negates_the_estimates_and_keeps_the_p_values(data: Any) -> None:
    before, after = data
    res = attempt(before, after)
    swp = attempt(after, before)
    assert (res is None) == (swp is None)
    assume(res is not None)
    assert res is not None and swp is not None
    assert_mirror(res, swp)


@SETTINGS
@given(analysable(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), max_size=30))
def test_swapping_holds_for_decimals_too(data: Any) -> None:
    before, after = data
    res, swp = attempt(before, after), attempt(after, before)
    assume(res is not None and swp is not None)
    assert res is not None and swp is not None
    assert_mirror(res, swp)


@SETTINGS
@given(st.one_of(paired(), analysable()), st.integers(min_value=-1000, max_value=1000))
def test_adding_a_constant_to_both_changes_nothing(data: Any, c: int) -> None:
    before, after = data
    shifted_before = [None if v is None else v + c for v in before]
    shifted_after = [None if v is None else v + c for v in after]
    res, moved = attempt(before, after), attempt(shifted_before, shifted_after)
    assert (res is None) == (moved is None)
    assume(res is not None)
    assert res is not None and moved is not None
    assert moved.to_dict() == res.to_dict()
    assert moved.reasons == res.reasons
    assert moved.median_before == res.median_before + c and moved.median_after == res.median_after + c


anything_numeric = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e-300, max_value=1e-300),
    st.sampled_from([1e308, -1e308, 5e-324, 1.7976931348623157e308]),
)


def _nulls_have_reasons(out: dict[str, Any]) -> None:
    for block in ("t_test", "wilcoxon", "sign_test", "effect_size"):
        for key, value in out[block].items():
            if value is None:
                assert f"{block}.{key}" in out["reasons"], f"{block}.{key} is null without a reason"
    if out["details"]["walsh_median"] is None:
        assert "details.walsh_median" in out["reasons"]


@pytest.mark.filterwarnings("error")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(anything_numeric, max_size=60),
    st.lists(anything_numeric, max_size=60),
    st.booleans(),
)
def test_any_list_of_numbers_and_nulls_gives_a_result_or_the_documented_error(
    before: list[Any], after: list[Any], same_length: bool
) -> None:
    if same_length:
        after = (after + before)[: len(before)]
    try:
        out = analyse(before, after).to_dict(details=True)
    except AnalysisInputError as err:
        assert err.field in ("before", "after", "before, after", "pairs")
        return
    text = json.dumps(out, allow_nan=False)  # strict JSON: no NaN or Infinity ever leaks out
    assert json.loads(text) == out
    _nulls_have_reasons(out)
    assert out["n_pairs"] >= 2 and out["n_positive"] + out["n_negative"] >= 1
    assert out["wilcoxon"]["method"] in ("exact", "normal")
    for p in (out["t_test"]["p_value"], out["wilcoxon"]["p_value"], out["sign_test"]["p_value"]):
        assert p is None or 0 <= p <= 1


extreme = st.one_of(
    st.none(),
    st.sampled_from([0, 1, -1, 1e308, -1e308, 8e307, -7e307, 1.7976931348623157e308, 5e-324, -1e-300]),
    st.floats(allow_nan=False, allow_infinity=False),
)


@pytest.mark.filterwarnings("error")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paired(extreme, max_size=8))
def test_extreme_magnitudes_give_nulls_with_reasons_never_an_exception(data: Any) -> None:
    before, after = data
    try:
        out = analyse(before, after).to_dict(details=True)
    except AnalysisInputError:
        return
    json.dumps(out, allow_nan=False)
    _nulls_have_reasons(out)


@SETTINGS
@given(paired(max_size=40))
def test_json_round_trip_is_deterministic(data: Any) -> None:
    before, after = data
    try:
        first = json.dumps(analyse_dict({"before": before, "after": after}, details=True))
    except AnalysisInputError:
        return
    second = json.dumps(
        analyse_dict(json.loads(json.dumps({"before": before, "after": after})), details=True)
    )
    assert first == second


@SETTINGS
@given(st.one_of(paired(max_size=40), analysable(max_size=40)))
def test_counts_and_effect_sizes_are_consistent(data: Any) -> None:
    res = attempt(*data)
    assume(res is not None)
    assert res is not None
    assert res.n_positive + res.n_negative + res.n_unchanged == res.n_pairs
    assert res.wilcoxon.n_nonzero == res.n_positive + res.n_negative
    assert res.effect_size.rank_biserial is not None and -1 <= res.effect_size.rank_biserial <= 1
    if res.wilcoxon.method == "exact":
        w = res.wilcoxon
        assert w.ci_low is not None and w.estimate is not None and w.ci_high is not None
        assert w.ci_low <= w.estimate <= w.ci_high
    if res.t_test.p_value is not None:
        t = res.t_test
        assert t.ci_low <= t.mean_difference <= t.ci_high  # type: ignore[operator]

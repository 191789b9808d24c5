"""Category order as R gives it, aggregation that never depends on row order, and the documented choices."""

from __future__ import annotations

import locale
import math
import random
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiftpractice.spc import ChartRequest, compute, compute_dict
from shiftpractice.spc.collation import collation_key, sort_labels

# --------------------------------------------------------------------- collation


def test_punctuation_sorts_as_r_does_not_by_character_code() -> None:
    # The example: "_" (U+005F) sorts before "-" (U+002D) in R's English locale.
    out = compute_dict({"chart": "run", "x": ["a_", "a-"], "y": [1, 2]})
    assert out["x"] == ["a_", "a-"] and out["y"] == [1, 2]


def test_labels_mixing_punctuation_digits_and_case_sort_as_in_r() -> None:
    # R's sort() in an English UTF-8 locale (the Unicode Collation Algorithm, punctuation not
    # ignored): punctuation and symbols before digits before letters, "(" before "#" and
    # " " before "_" before "-"; digits one by one ("10" before "9"); case decides only
    # between labels otherwise equal, lower case first ("ward b" before "Ward B").
    labels = ["Ward B", "ward b", "ward a", "Ward-A", "Ward_A", "ward 2", "Ward 10", "10", "9", "#1", "(x)"]
    expected = ["(x)", "#1", "10", "9", "Ward 10", "ward 2", "ward a", "ward b", "Ward B", "Ward_A", "Ward-A"]
    assert sort_labels(set(labels)) == expected
    shuffled = labels[:]
    random.Random(3).shuffle(shuffled)
    out = compute_dict({"chart": "run", "x": shuffled, "y": list(range(len(shuffled)))})
    assert out["x"] == expected


def test_accents_come_after_case_as_in_r() -> None:
    assert sorted(["é", "E", "e", "f", "F"], key=collation_key) == ["e", "E", "é", "f", "F"]


def test_the_order_does_not_depend_on_the_machine_locale() -> None:
    before = sort_labels({"b", "A", "a_", "a-", "B"})
    old = locale.setlocale(locale.LC_COLLATE)
    try:
        for name in ("C", "C.UTF-8", "POSIX"):
            try:
                locale.setlocale(locale.LC_COLLATE, name)
            except locale.Error:
                continue
            assert sort_labels({"b", "A", "a_", "a-", "B"}) == before
    finally:
        locale.setlocale(locale.LC_COLLATE, old)
    assert before == ["A", "a_", "a-", "b", "B"]


# --------------------------------------------------------------------- agg_fun


def test_agg_fun_is_applied_even_when_x_is_sorted_and_unique() -> None:
    # The example: the SD of one value is undefined, so nothing is plotted ...
    out = compute_dict({"chart": "run", "x": [1, 2, 3, 4], "y": [1, 3, 5, 6], "options": {"agg_fun": "sd"}})
    assert out["y"] == [None, None, None, None]
    # ... exactly as the same data in another row order already gave.
    shuffled = compute_dict(
        {"chart": "run", "x": [3, 1, 4, 2], "y": [5, 1, 6, 3], "options": {"agg_fun": "sd"}}
    )
    assert shuffled == out


AGG_FUNS = ("mean", "median", "sum", "sd")


@st.composite
def aggregated_requests(draw: st.DrawFn) -> tuple[dict[str, Any], list[int]]:
    rows = draw(st.integers(1, 25))
    kind = draw(st.sampled_from(["int", "date", "category"]))
    pool = {
        "int": [1, 2, 3, 5, 8, 13],
        "date": ["2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01"],
        "category": ["a-", "a_", "B", "b", "10", "9"],
    }[kind]
    x = draw(st.lists(st.sampled_from(pool), min_size=rows, max_size=rows))
    # Integers and halves: every sum is exact, so the order of the rows cannot change a result.
    y = draw(
        st.lists(
            st.one_of(st.none(), st.integers(-50, 50), st.integers(-100, 100).map(lambda v: v / 2)),
            min_size=rows,
            max_size=rows,
        )
    )
    request = {
        "chart": draw(st.sampled_from(["run", "i", "xbar"])),
        "x": x,
        "y": y,
        "options": {"agg_fun": draw(st.sampled_from(AGG_FUNS))},
    }
    order = draw(st.permutations(list(range(rows))))
    return request, order


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(aggregated_requests())
def test_agg_fun_gives_the_same_chart_for_any_row_order(case: tuple[dict[str, Any], list[int]]) -> None:
    request, order = case
    permuted = {
        **request,
        "x": [request["x"][i] for i in order],
        "y": [request["y"][i] for i in order],
    }
    try:
        expected = compute_dict(request)
    except ValueError as err:
        # Refused input is refused whatever the order (e.g. no value at all).
        try:
            compute_dict(permuted)
        except ValueError as again:
            assert str(again).split(":")[0] == str(err).split(":")[0]
            return
        raise AssertionError(f"only one order was refused: {err}") from None
    assert compute_dict(permuted) == expected


# --------------------------------------------------------- the documented choices


def test_a_lone_missing_value_stays_missing_under_sum() -> None:
    out = compute_dict(
        {"chart": "run", "x": [1, 1, 2, 3], "y": [4, 5, None, 6], "options": {"agg_fun": "sum"}}
    )
    assert out["y"] == [9, None, 6]  # qicharts2: [9, 0, 6]


def test_a_row_with_a_missing_x_is_dropped_before_the_phases_are_placed() -> None:
    out = compute_dict(
        {"chart": "run", "x": [1, 2, None, 3, 4], "y": [1, 2, 3, 4, 5], "options": {"part": [2]}}
    )
    assert out["x"] == [1, 2, 3, 4] and out["part"] == [1, 1, 2, 2]


def test_an_s_chart_with_a_centre_line_that_is_not_finite_has_no_runs_analysis() -> None:
    out = compute_dict({"chart": "s", "x": [1, 1, 2, 2, 3, 3, 4, 4], "y": [1e308, -1e308, 1, 2, 3, 4, 5, 6]})
    assert out["cl"] == [None] * 4
    assert out["n_useful"] == 0 and out["longest_run"] is None and out["runs_signal"] is False


def test_a_missing_value_breaks_an_nhs_trend_instead_of_stopping_the_chart() -> None:
    months = [f"2021-{m:02d}-01" for m in range(1, 13)]
    res = compute(ChartRequest("xmr", months, [1, 2, 3, 4, None, 5, 6, 7, 8, 9, 10, 11]))
    assert res.signals["trend"].tolist() == [False] * 5 + [True] * 7
    assert math.isnan(res.y[4]) and np.isfinite(res.cl).all()

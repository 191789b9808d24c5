"""Spec section 4 (and the edge cases the held-back reference cases exercise).

Every expected value here is worked out by hand from the rules in
``shared/docs/spc-spec.md`` (the working is in the comments); none is copied
from the engine's own output. Floats are compared to a relative 1e-9, as the
reference cases are. The JSON contract (``compute_dict``) is used throughout,
because that is what the acceptance run checks.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest

from shiftpractice.spc import SPCInputError, compute_dict

T = 3.6  # t chart power


def qic(
    chart: str, y: list[Any], n: list[Any] | None = None, x: list[Any] | None = None, **opts: Any
) -> dict:
    req: dict[str, Any] = {"chart": chart, "y": y, "n": n, "options": opts}
    if x is not None:
        req["x"] = x
    return compute_dict(req)


def days(k: int, start: int = 1) -> list[str]:
    return [f"2021-01-{d:02d}" for d in range(start, start + k)]


def xmr(y: list[Any], x: list[Any] | None = None, **opts: Any) -> dict:
    return compute_dict({"chart": "xmr", "x": x or days(len(y)), "y": y, "options": opts})


def close(a: Any, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def all_close(values: list[Any], expected: list[float | None]) -> bool:
    assert len(values) == len(expected)
    return all(
        (e is None and v is None) or (e is not None and close(v, e))
        for v, e in zip(values, expected, strict=True)
    )


def c4(n: int) -> float:
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


# ------------------------------------------------------------------ item 1


class TestItem1PointsOnTheCentreLine:
    # y sums to 0, so the mean is exactly 0 and point 7 lies on it.
    Y = [1, 2, 1, 2, 1, 2, 0, 1, 2, 1, 2, 1, 2, -3, -3, -3, -3, -3, -3]

    def test_anhoej_skips_the_point_on_the_mean(self) -> None:
        out = qic("i", self.Y)
        assert out["cl"] == [0] * 19
        # 18 useful points: 12 above in a row (the 0 is skipped), then 6 below.
        assert (out["n_obs"], out["n_useful"], out["longest_run"], out["n_crossings"]) == (19, 18, 12, 1)
        # n_useful 18: round(log2 18) + 3 = 7; qbinom(0.05, 17, 0.5) = 5.
        assert (out["longest_run_max"], out["n_crossings_min"], out["runs_signal"]) == (7, 5, True)

    def test_nhs_run_is_broken_by_the_point_on_the_mean(self) -> None:
        out = xmr(self.Y)
        assert out["cl"][0] == 0 and out["relative_to_mean"][6] == 0
        assert out["signals"]["shift"] == [False] * 19  # 6 above, 0, 6 above, 6 below

    def test_without_the_point_on_the_mean_the_run_signals(self) -> None:
        y = list(self.Y)
        y[6] = 1  # mean 1/19: now 13 points in a row lie above it
        out = xmr(y)
        assert out["relative_to_mean"][6] == 1
        assert out["signals"]["shift"] == [True] * 13 + [False] * 6

    def test_run_chart_median_ties(self) -> None:
        # sorted: 1 1 2 3 3 3 3 4 5 5 -> median 3; useful 1 2 4 5 1 5 -> - - + + - +
        out = qic("run", [1, 2, 3, 3, 3, 4, 5, 3, 1, 5])
        assert out["cl"][0] == 3
        assert (out["n_useful"], out["longest_run"], out["n_crossings"]) == (6, 2, 3)
        # round(log2 6) + 3 = 6; qbinom(0.05, 5, 0.5) = 1 (P(X <= 0) = 1/32 < 0.05 <= 6/32)
        assert (out["longest_run_max"], out["n_crossings_min"], out["runs_signal"]) == (6, 1, False)


# ------------------------------------------------------------------ item 2


class TestItem2TiesAndLengths:
    def test_six_rising_points_do_not_signal_seven_do(self) -> None:
        six = xmr([5, 5, 5, 1, 2, 3, 4, 5, 6, 4, 4, 4, 4])
        assert six["signals"]["trend"] == [False] * 13
        seven = xmr([5, 5, 5, 1, 2, 3, 4, 5, 6, 7, 4, 4, 4])
        assert seven["signals"]["trend"] == [False] * 3 + [True] * 7 + [False] * 3

    def test_a_tie_breaks_a_trend(self) -> None:
        # 1..4, 4, 5..7: two rises of 4 points, never 7 strictly rising points
        out = xmr([1, 2, 3, 4, 4, 5, 6, 7, 3, 3, 3, 3, 3])
        assert out["signals"]["trend"] == [False] * 13

    def test_six_on_one_side_do_not_signal_seven_do(self) -> None:
        # mean 0 in both: 6 x 1 and 6 x -1; 7 x 6 and 6 x -7
        assert xmr([1] * 6 + [-1] * 6)["signals"]["shift"] == [False] * 12
        seven = xmr([6] * 7 + [-7] * 6)
        assert seven["signals"]["shift"] == [True] * 7 + [False] * 6
        assert seven["special_cause_type"][0] in ("Above UCL", "7 Points Above CL")

    def test_trend_label_quirk_after_a_tie(self) -> None:
        # Two rising trends of 7 separated by a tie (7, 7): point 7 (index 6) takes
        # the step to its right, which is 0, so the reference labels it Decreasing.
        y = [1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13]
        out = xmr(y)
        assert out["special_cause_type"][6] == "7 Point Trend (Decreasing)"
        assert out["point_type"][6] == "special_cause_concern"
        assert out["special_cause_type"][5] == "7 Point Trend (Increasing)"

    def test_shared_peak_is_labelled_decreasing(self) -> None:
        # Six alternating points widen the limits (mean 82/19, AMR 57/18, UPL ~12.7),
        # then up 7 and down 7 share the peak (index 12): its right step is down.
        y = [10, 1, 10, 1, 10, 1, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]
        out = xmr(y)
        assert not any(out["signals"]["outside_limits"])
        assert out["signals"]["trend"] == [False] * 6 + [True] * 13
        assert out["special_cause_type"][11] == "7 Point Trend (Increasing)"
        assert out["special_cause_type"][12] == "7 Point Trend (Decreasing)"
        assert out["special_cause_type"][18] == "7 Point Trend (Decreasing)"


# ------------------------------------------------------------------ item 3


class TestItem3StrictComparisons:
    def test_point_exactly_on_the_ucl_does_not_signal(self) -> None:
        # c chart: mean 4, sigma 2, UCL 10, LCL -2 -> 0
        on = qic("c", [10, 2, 2, 2])
        assert on["cl"] == [4] * 4 and on["ucl"] == [10] * 4 and on["lcl"] == [0] * 4
        assert on["signals"]["outside_limits"] == [False] * 4
        above = qic("c", [11, 1, 2, 2])
        assert above["signals"]["outside_limits"] == [True, False, False, False]

    def test_run_equal_to_the_maximum_is_no_signal(self) -> None:
        # 10 useful points: longest_run_max 6, n_crossings_min 2
        eq = qic("run", [9] * 6 + [1, 9, 1, 9], cl=5)
        assert (eq["longest_run"], eq["longest_run_max"], eq["n_crossings"], eq["runs_signal"]) == (
            6,
            6,
            4,
            False,
        )
        over = qic("run", [9] * 7 + [1, 9, 1], cl=5)
        assert (over["longest_run"], over["n_crossings"], over["runs_signal"]) == (7, 3, True)

    def test_crossings_equal_to_the_minimum_is_no_signal(self) -> None:
        eq = qic("run", [9] * 4 + [1] * 3 + [9] * 3, cl=5)
        assert (eq["longest_run"], eq["n_crossings"], eq["n_crossings_min"], eq["runs_signal"]) == (
            4,
            2,
            2,
            False,
        )
        under = qic("run", [9] * 5 + [1] * 5, cl=5)
        assert (under["longest_run"], under["n_crossings"], under["runs_signal"]) == (5, 1, True)


# ------------------------------------------------------------------ item 4


class TestItem4MovingRanges:
    def test_mr_bridges_an_excluded_point(self) -> None:
        # base 1 2 5 6: CL 3.5, MRs 1 3 1, AMR 5/3 (all < 3.267 * 5/3)
        out = qic("i", [1, 2, 100, 5, 6], exclude=[3])
        assert close(out["cl"][0], 3.5)
        assert close(out["ucl"][0], 3.5 + 3 * (5 / 3) / 1.128)
        assert out["include"] == [True, True, False, True, True]
        assert out["signals"]["outside_limits"] == [False, False, True, False, False]

    def test_mr_does_not_bridge_a_missing_value(self) -> None:
        # MRs 1, NA, NA, 1 -> AMR 1
        out = qic("i", [1, 2, None, 5, 6])
        assert close(out["ucl"][0], 3.5 + 3 / 1.128) and close(out["lcl"][0], 3.5 - 3 / 1.128)
        assert out["y"][2] is None and out["y_length"] == [1, 1, 0, 1, 1]

    Y = [0, 1, 0, 1, 0, 1, 0, 1, 0, 20, 15]  # MRs: eight 1s, 20, 5

    def test_screening_is_one_pass(self) -> None:
        # AMR 33/10 = 3.3, limit 10.78: drop 20; AMR 13/9. A second pass would drop 5 too.
        out = qic("i", self.Y)
        assert close(out["cl"][0], 39 / 11)
        assert close(out["ucl"][0], 39 / 11 + 3 * (13 / 9) / 1.128)
        unscreened = qic("i", self.Y, screened_mr=False)
        assert close(unscreened["ucl"][0], 39 / 11 + 3 * 3.3 / 1.128)
        nhs = xmr(self.Y)
        assert close(nhs["ucl"][0], 39 / 11 + 2.66 * 13 / 9)
        assert close(xmr(self.Y, screen_outliers=False)["ucl"][0], 39 / 11 + 2.66 * 3.3)


# ------------------------------------------------------------------ item 5


class TestItem5ConstantSeries:
    def test_screened_i_chart_has_no_limits(self) -> None:
        out = qic("i", [5] * 12)
        assert out["lcl"] == [None] * 12 and out["ucl"] == [None] * 12 and out["ucl_95"] == [None] * 12
        assert out["n_useful"] == 0 and out["longest_run"] is None and out["runs_signal"] is False

    def test_unscreened_limits_have_zero_width(self) -> None:
        out = qic("i", [5] * 12, screened_mr=False)
        assert out["lcl"] == [5] * 12 and out["ucl"] == [5] * 12
        assert out["signals"]["outside_limits"] == [False] * 12

    def test_xmr_constant(self) -> None:
        out = xmr([3.0] * 15, target=1.0)
        assert out["cl"] == [3] * 15 and out["ucl"] == [None] * 15 and out["lcl"] == [None] * 15
        assert out["relative_to_mean"] == [0] * 15 and out["close_to_limits"] == [False] * 15
        assert not any(out["signals"]["special_cause"]) and out["point_type"] == ["common_cause"] * 15
        assert out["assurance_type"] == "inconsistent"  # NaN limits fall through

    def test_run_chart_constant(self) -> None:
        out = qic("run", [3] * 5)
        assert out["cl"] == [3] * 5 and out["n_useful"] == 0
        assert out["parts"][0]["longest_run"] is None and out["parts"][0]["n_crossings_min"] is None

    def test_mr_chart_constant(self) -> None:
        out = qic("mr", [3] * 5)
        assert out["y"] == [None, 0, 0, 0, 0] and out["cl"] == [0] * 5 and out["ucl"] == [0] * 5
        assert out["signals"]["outside_limits"] == [False] * 5

    def test_t_chart_constant(self) -> None:
        # every transformed MR is 0 and screened away: no UCL, and the LCL is 0
        out = qic("t", [5] * 8)
        assert all(close(v, 5) for v in out["cl"]) and out["ucl"] == [None] * 8 and out["lcl"] == [0] * 8

    @pytest.mark.parametrize("chart", ["pp", "up"])
    def test_prime_charts_with_sigma_z_zero(self, chart: str) -> None:
        # all proportions 0.1 -> every z is 0 -> sigma_z 0 (unscreened) or NaN (screened)
        n = [100, 200, 300, 400]
        off = qic(chart, [10, 20, 30, 40], n=n, screened_mr=False)
        assert all(close(v, 0.1) for v in off["ucl"]) and all(close(v, 0.1) for v in off["lcl"])
        on = qic(chart, [10, 20, 30, 40], n=n)
        assert on["ucl"] == [None] * 4 and on["lcl"] == [None] * 4
        assert not any(on["signals"]["outside_limits"])


# ------------------------------------------------------------------ item 6


class TestItem6FreezeAndPart:
    Y = [1, 3, 1, 3, 9, 9, 9, 9]

    def test_freeze_baseline_limits_runs_over_everything(self) -> None:
        # baseline 1 3 1 3: CL 2, AMR 2, UCL 2 + 6/1.128
        out = qic("i", self.Y, freeze=4)
        assert out["cl"] == [2] * 8 and all(close(v, 2 + 6 / 1.128) for v in out["ucl"])
        assert out["baseline"] == [True] * 4 + [False] * 4
        assert out["signals"]["outside_limits"] == [False] * 4 + [True] * 4
        # all 8 points: - + - + + + + + -> longest 5 (max 6), 3 crossings (min 1)
        assert (out["n_obs"], out["longest_run"], out["n_crossings"], out["runs_signal"]) == (8, 5, 3, False)

    def test_part_overrides_freeze(self) -> None:
        out = qic("i", self.Y, part=[4], freeze=2)
        assert out["cl"] == [2] * 4 + [9] * 4 and out["baseline"] == [True] * 8
        assert out["part"] == [1] * 4 + [2] * 4
        assert out["ucl"][4:] == [None] * 4  # phase 2 is constant: every MR is 0, none is kept
        assert [p["n_useful"] for p in out["parts"]] == [4, 0]

    def test_freeze_longer_than_the_data(self) -> None:
        out = qic("i", self.Y, freeze=100)
        assert out["baseline"] == [True] * 8 and close(out["cl"][0], 44 / 8)

    def test_phases_of_one_point(self) -> None:
        out = qic("i", [1, 2, 3, 4, 5, 6], part=[1, 5])
        assert out["part"] == [1, 2, 2, 2, 2, 3]
        assert out["cl"] == [1, 3.5, 3.5, 3.5, 3.5, 6]
        assert out["ucl"][0] is None and out["ucl"][5] is None  # no moving range
        assert close(out["ucl"][1], 3.5 + 3 / 1.128)
        one = out["parts"][0]
        assert (one["n_obs"], one["n_useful"], one["longest_run"], one["runs_signal"]) == (1, 0, None, False)
        assert out["n_obs"] == 1 and out["n_useful"] == 0 and out["longest_run"] is None

    def test_part_given_as_labels(self) -> None:
        out = qic("run", [1, 2, 3, 4, 5, 6], part=["pre", "pre", "pre", "post", "post", "post"])
        assert out["part"] == [1, 1, 1, 2, 2, 2] and out["cl"] == [2, 2, 2, 5, 5, 5]

    def test_part_breaks_out_of_range_are_ignored(self) -> None:
        out = qic("run", [1, 2, 3, 4], part=[0, 4, 9, -1])
        assert out["part"] == [1, 1, 1, 1]


# ------------------------------------------------------------------ item 7


class TestItem7Clipping:
    def test_p_limits_clipped_and_a_point_at_ucl_1_does_not_signal(self) -> None:
        # CL 6/12 = 0.5, s = sqrt(0.25/4) = 0.25: UCL 1.25 -> 1, LCL -0.25 -> 0
        out = qic("p", [0, 2, 4], n=[4, 4, 4])
        assert out["y"] == [0, 0.5, 1] and out["cl"] == [0.5] * 3
        assert out["ucl"] == [1] * 3 and out["lcl"] == [0] * 3
        # 2-sigma: 0.5 +- 0.5 -> exactly 1 and 0
        assert out["ucl_95"] == [1] * 3 and out["lcl_95"] == [0] * 3
        assert out["signals"]["outside_limits"] == [False] * 3

    def test_u_ucl_not_clipped_lcl_clipped(self) -> None:
        # CL 6/4 = 1.5, s = sqrt(1.5): UCL 1.5 + 3 sqrt(1.5), LCL < 0 -> 0
        out = qic("u", [3, 0, 2, 1], n=[1, 1, 1, 1])
        assert all(close(v, 1.5 + 3 * math.sqrt(1.5)) for v in out["ucl"]) and out["lcl"] == [0] * 4

    def test_c_lcl_clipped(self) -> None:
        out = qic("c", [1, 0, 2, 1])  # CL 1: UCL 4, LCL -2 -> 0
        assert out["ucl"] == [4] * 4 and out["lcl"] == [0] * 4

    def test_multiply_scales_y_centre_and_limits(self) -> None:
        out = qic("p", [0, 2, 4], n=[4, 4, 4], multiply=100)
        assert out["y"] == [0, 50, 100] and out["cl"] == [50] * 3 and out["ucl"] == [100] * 3


# ------------------------------------------------------------------ item 8


class TestItem8GAndT:
    def test_g_plots_the_median_limits_from_the_mean(self) -> None:
        y = [1, 2, 3, 10, 50]  # median 3, mean 13.2
        out = qic("g", y)
        assert out["cl"] == [3] * 5
        assert all(close(v, 13.2 + 3 * math.sqrt(13.2 * 14.2)) for v in out["ucl"])
        assert out["lcl"] == [0] * 5
        # runs against the median: - - 0 + +
        assert (out["n_useful"], out["longest_run"], out["n_crossings"]) == (4, 2, 1)

    def test_g_with_a_given_centre_line(self) -> None:
        out = qic("g", [1, 2, 3, 10, 50], cl=10)
        assert all(close(v, 6.93) for v in out["cl"])
        assert all(close(v, 10 + 3 * math.sqrt(110)) for v in out["ucl"])

    def test_t_transform_and_lcl_zero(self) -> None:
        y = [1, 50, 2, 80, 1, 60, 3, 90]
        z = [v ** (1 / T) for v in y]
        cl = math.fsum(z) / len(z)
        mr = [abs(b - a) for a, b in itertools.pairwise(z)]
        amr = sum(mr) / len(mr)
        kept = [m for m in mr if m < 3.267 * amr]
        s = (sum(kept) / len(kept)) / 1.128
        out = qic("t", y)
        assert all(close(v, cl**T) for v in out["cl"])
        assert all(close(v, (cl + 3 * s) ** T) for v in out["ucl"])
        assert cl - 3 * s < 0 and out["lcl"] == [0] * 8  # negative transformed LCL
        assert cl - 2 * s < 0 and out["lcl_95"] == [None] * 8  # negative 2-sigma line: missing
        assert all(close(a, b) for a, b in zip(out["y"], y, strict=True))

    @pytest.mark.parametrize("bad", [0, -2])
    def test_t_refuses_values_of_zero_or_less(self, bad: float) -> None:
        with pytest.raises(SPCInputError, match=r"^y\[1\]: time between events must be greater than 0"):
            qic("t", [3, bad, 2])


# ------------------------------------------------------------------ item 9


class TestItem9XbarAndS:
    # subgroups: [1,2,3] [2,3,4,5] [9] [4,5,6] [NA,NA]
    X = [1, 1, 1, 2, 2, 2, 2, 3, 4, 4, 4, 5, 5]
    Y = [1, 2, 3, 2, 3, 4, 5, 9, 4, 5, 6, None, None]
    # CL = (3*2 + 4*3.5 + 1*9 + 3*5) / 11 = 44/11 = 4
    # pooled: (2*1 + 3*5/3 + 2*1) / (2 + 3 + 0 + 2 - 1) = 9/6 (the empty group subtracts 1)
    S = math.sqrt(1.5)

    def test_xbar_pooled_sd_and_per_point_limits(self) -> None:
        out = qic("xbar", self.Y, x=self.X)
        assert out["y_length"] == [3, 4, 1, 3, 0] and out["y"] == [2, 3.5, 9, 5, None]
        assert out["cl"] == [4] * 5
        a3 = [3 / (c4(k) * math.sqrt(k)) for k in (3, 4)]
        assert close(out["ucl"][0], 4 + a3[0] * self.S) and close(out["ucl"][1], 4 + a3[1] * self.S)
        assert close(out["lcl"][3], 4 - a3[0] * self.S)
        assert out["ucl"][2] is None and out["ucl"][4] is None  # 1 value, no value: no limits

    def test_s_chart(self) -> None:
        out = qic("s", self.Y, x=self.X)
        assert all_close(out["y"], [1, math.sqrt(5 / 3), None, 1, None])
        assert all(close(v, self.S) for v in out["cl"])
        b4 = 1 + 3 * math.sqrt(1 - c4(3) ** 2) / c4(3)
        assert close(out["ucl"][0], b4 * self.S) and out["lcl"][0] == 0  # B3(3) = max(0, ...) = 0
        assert out["ucl"][2] is None

    def test_constant_subgroup_size_uses_the_mean_sd(self) -> None:
        # two subgroups of 3: SDs 1 and 2 -> s-bar 1.5 (not pooled)
        out = qic("s", [1, 2, 3, 2, 4, 6], x=[1, 1, 1, 2, 2, 2])
        assert out["y"] == [1, 2] and out["cl"] == [1.5, 1.5]


# ------------------------------------------------------------------ item 10


class TestItem10CategoricalX:
    def test_up_funnel_uses_sd_of_z(self) -> None:
        # sorted a b c d: y 5/10 5/10 8/10 2/10; CL 0.5; s_i = sqrt(0.05)
        # z = 0, 0, 0.3/s, -0.3/s; SD(z) = sqrt(2 * 0.09/0.05 / 3) = sqrt(1.2)
        out = qic("up", [2, 8, 5, 5], n=[10] * 4, x=["d", "c", "b", "a"])
        assert out["x"] == ["a", "b", "c", "d"] and out["y"] == [0.5, 0.5, 0.8, 0.2]
        ucl = 0.5 + 3 * math.sqrt(0.05) * math.sqrt(1.2)
        assert all(close(v, ucl) for v in out["ucl"]) and out["lcl"] == [0] * 4

    def test_same_data_as_a_time_series_uses_moving_ranges(self) -> None:
        out = qic("up", [5, 5, 8, 2], n=[10] * 4)
        zstep = 0.3 / math.sqrt(0.05)
        sigma_z = (0 + zstep + 2 * zstep) / 3 / 1.128  # |dz| = 0, 1.34, 2.68; none screened
        assert close(out["ucl"][0], 0.5 + 3 * math.sqrt(0.05) * sigma_z)

    def test_no_runs_signal_but_statistics_are_given(self) -> None:
        # 12 categories, median 5: one crossing (< 3) would signal on a time series
        x = list("abcdefghijkl")
        out = qic("run", [1] * 6 + [9] * 6, x=x)
        assert out["runs_signal"] is False and out["signals"]["runs"] == [False] * 12
        assert out["runs_signal_any"] is False and out["parts"][0]["runs_signal"] is False
        assert (out["n_crossings"], out["n_crossings_min"], out["longest_run"]) == (1, 3, 6)
        assert qic("run", [1] * 6 + [9] * 6)["runs_signal"] is True

    def test_categories_sort_in_collation_order(self) -> None:
        out = qic("run", [1, 2, 3, 4, 5, 6], x=["b", "a", "C", "B", "A", "c"])
        assert out["x"] == ["a", "A", "b", "B", "c", "C"] and out["y"] == [2, 5, 1, 4, 6, 3]


# ------------------------------------------------------------------ item 11


class TestItem11TwoInThree:
    BASE = [1, -1] * 7  # fixed on these 14 points: mean 0, AMR 2, UPL 5.32, 2 sigma 3.5467

    def test_same_side_qualifies_the_third_point_is_not_flagged(self) -> None:
        out = xmr([*self.BASE, 4.0, 4.2, 1.0], fix_after_n_points=14)
        assert out["close_to_limits"][-3:] == [True, True, False]
        assert out["signals"]["two_in_three"][-3:] == [True, True, False]
        assert out["special_cause_type"][-3:] == ["2 in 3 Above CL", "2 in 3 Above CL", "Common Cause"]

    def test_opposite_sides_never_qualify(self) -> None:
        out = xmr([*self.BASE, 4.0, -4.0, 1.0], fix_after_n_points=14)
        assert out["close_to_limits"][-3:] == [True, True, False]
        assert not any(out["signals"]["two_in_three"])

    def test_a_point_outside_plus_a_close_one_does_not_qualify(self) -> None:
        out = xmr([*self.BASE, 50.0, 4.0, 1.0], fix_after_n_points=14)
        assert out["signals"]["outside_limits"][14] is True and out["close_to_limits"][14] is False
        assert out["close_to_limits"][15] is True and not any(out["signals"]["two_in_three"])


# ------------------------------------------------------------------ item 12


class TestItem12Icons:
    def test_variation_icon_reads_the_last_point(self) -> None:
        y = [1.0, -1.0] * 8 + [-40.0, 1.0, -1.0]
        out = xmr(y)
        assert (
            out["signals"]["outside_limits"][16] is True and out["point_type"][16] == "special_cause_concern"
        )
        assert out["variation_type"] == "common_cause" and out["variation_icon"] == "common_cause"
        last = xmr([1.0, -1.0] * 8 + [40.0])
        assert last["variation_icon"] == "improvement_high"
        assert (
            xmr([1.0, -1.0] * 8 + [40.0], improvement_direction="decrease")["variation_icon"]
            == "concern_high"
        )

    def test_assurance_reads_the_last_rebase_group(self) -> None:
        y = [1.0, -1.0] * 8 + [101.0, 99.0] * 8
        d = [f"2021-{m:02d}-01" for m in range(1, 13)] + [f"2022-{m:02d}-01" for m in range(1, 13)]
        d += [f"2023-{m:02d}-01" for m in range(1, 9)]
        # group 1: mean 100, AMR 2 -> LPL 94.68, UPL 105.32
        out = xmr(y, x=d, rebase=[d[16]], target=50.0)
        assert out["rebase_group"] == [0] * 16 + [1] * 16
        assert close(out["lcl"][20], 100 - 5.32) and out["assurance_type"] == "consistent_pass"
        assert out["assurance_icon"] == "pass"
        assert (
            xmr(y, x=d, rebase=[d[16]], target=50.0, improvement_direction="decrease")["assurance_icon"]
            == "fail"
        )
        inside = xmr(y, x=d, rebase=[d[16]], target=105.32)  # exactly on the UPL: inconsistent
        assert inside["assurance_type"] == "inconsistent"


# ------------------------------------------------------------------ item 13


class TestItem13Constants:
    def test_266_against_3_over_1128(self) -> None:
        y = [1, 3] * 6  # mean 2, every MR 2
        assert all(close(v, 2 + 3 * 2 / 1.128) for v in qic("i", y)["ucl"])
        assert all(close(v, 2 + 2.66 * 2) for v in xmr(y)["ucl"])
        assert all(close(v, 2 - 2.66 * 2) for v in xmr(y)["lcl"])  # no clipping at 0


# ------------------------------------------------------------------ item 14


class TestItem14Numerics:
    def test_mean_is_correctly_rounded(self) -> None:
        # naive left-to-right sum: 1.0000000000000002 / 5 != 0.2
        out = qic("i", [0.1, 0.2, 0.3, 0.1, 0.3])
        assert out["cl"][0] == 0.2 and out["n_useful"] == 4
        assert xmr([0.1, 0.2, 0.3, 0.1, 0.3])["relative_to_mean"][1] == 0

    def test_subgroup_means_match_r(self) -> None:
        # (0.1 + 0.2 + 0.3) / 3 in doubles is 0.20000000000000004; R's mean gives 0.2
        out = qic("run", [0.1, 0.2, 0.3, 0.2, 0.4, 0.0], x=[1, 1, 1, 2, 3, 3])
        assert out["y"] == [0.2, 0.2, 0.2] and out["cl"][0] == 0.2 and out["n_useful"] == 0

    def test_median_of_an_even_count(self) -> None:
        assert qic("run", [1, 2, 3, 10])["cl"][0] == 2.5


# --------------------------------------------------------- missing values


class TestMissingValues:
    def test_row_with_missing_x_is_dropped(self) -> None:
        out = qic("i", [1, 2, 99, 3], x=[1, 2, None, 4])
        assert out["x"] == [1, 2, 4] and out["y"] == [1, 2, 3] and out["cl"] == [2] * 3

    def test_missing_n_makes_y_missing(self) -> None:
        # row 2 loses y and n: plotted 0/0 -> missing, n 0; CL 4/20
        out = qic("p", [1, 2, 3], n=[10, None, 10])
        assert out["y"] == [0.1, None, 0.3] and out["n"] == [10, 0, 10] and out["y_length"] == [1, 0, 1]
        assert out["cl"] == [0.2] * 3 and out["ucl"][1] is None

    def test_all_values_missing(self) -> None:
        out = qic("i", [None, None, None])
        assert out["y"] == [None] * 3 and out["cl"] == [None] * 3 and out["ucl"] == [None] * 3
        assert out["n_useful"] == 0 and out["runs_signal"] is False

    def test_several_rows_all_missing_sum_to_zero_on_a_c_chart(self) -> None:
        # spec 2.1: one missing row stays missing; several missing rows sum to 0
        out = qic("c", [None, None, None, 4, 2], x=[1, 2, 2, 3, 4])
        assert out["y"] == [None, 0, 4, 2]

    def test_nhs_missing_value_is_common_cause_and_breaks_runs(self) -> None:
        y: list[float | None] = [2.0] * 6 + [None] + [2.0] * 3 + [-3.0] * 10  # 9 x 2, 10 x -3
        out = xmr(y)
        # mean (18 - 30)/19 -> the 2s are above: 6 and 3 either side of the gap, no run of 7
        assert out["relative_to_mean"][6] is None and out["point_type"][6] == "common_cause"
        assert out["signals"]["shift"] == [False] * 10 + [True] * 10
        assert out["special_cause_type"][6] == "Common Cause"


# ------------------------------------------------------------- short series


class TestShortSeries:
    @pytest.mark.parametrize("chart", ["run", "i", "c", "g", "xmr"])
    def test_one_point(self, chart: str) -> None:
        out = xmr([5]) if chart == "xmr" else qic(chart, [5])
        assert out["y"] == [5] and out["cl"] == [5]
        assert out["signals"]["outside_limits"] == [False]
        assert out["longest_run"] is None and out["runs_signal"] in (False, None)

    def test_two_points(self) -> None:
        out = qic("i", [5, 6])
        assert out["cl"] == [5.5, 5.5]
        assert all(close(v, 5.5 + 3 / 1.128) for v in out["ucl"])
        # 2 useful: max round(1) + 3 = 4; qbinom(0.05, 1, 0.5) = 0
        assert (out["longest_run"], out["longest_run_max"], out["n_crossings"], out["n_crossings_min"]) == (
            1,
            4,
            1,
            0,
        )

    def test_three_points_xmr_has_trial_limits(self) -> None:
        out = xmr([5, 6, 7])
        assert (
            out["cl"] == [6] * 3
            and all(close(v, 8.66) for v in out["ucl"])
            and all(close(v, 3.34) for v in out["lcl"])
        )
        assert out["short_group_warning"] == [True] * 3 and out["warnings"]
        assert out["signals"]["trend"] == [False] * 3

    def test_twelve_points_warn_thirteen_do_not(self) -> None:
        assert xmr([float(i % 3) for i in range(12)])["short_group_warning"] == [True] * 12
        out = xmr([float(i % 3) for i in range(13)])
        assert out["short_group_warning"] == [False] * 13 and out["warnings"] == []


# -------------------------------------------------------------- exclusions


class TestExcludedPointsAtTheEnds:
    def test_first_and_last_points_excluded(self) -> None:
        # base 2 3 4 5: CL 3.5, AMR 1; excluded points are still judged against the limits
        out = qic("i", [10, 2, 3, 4, 5, 60], exclude=[1, 6])
        assert out["cl"] == [3.5] * 6 and all(close(v, 3.5 + 3 / 1.128) for v in out["ucl"])
        assert out["include"] == [False, True, True, True, True, False]
        assert out["signals"]["outside_limits"] == [True, False, False, False, False, True]
        assert (out["n_obs"], out["n_useful"]) == (4, 4)

    def test_exclude_beyond_the_last_point_is_ignored(self) -> None:
        out = qic("i", [1, 2, 3], exclude=[3, 7])
        assert out["include"] == [True, True, False] and out["cl"] == [1.5] * 3


# -------------------------------------------------------- zero denominators


class TestZeroDenominators:
    def test_zero_n_with_zero_y_is_a_missing_point(self) -> None:
        out = qic("p", [0, 2, 3], n=[0, 10, 10])  # CL 5/20
        assert out["y"][0] is None and out["n"] == [0, 10, 10] and out["y_length"] == [1, 1, 1]
        assert out["cl"] == [0.25] * 3 and out["ucl"][0] is None and out["lcl"][0] is None
        assert close(out["ucl"][1], 0.25 + 3 * math.sqrt(0.25 * 0.75 / 10))

    def test_zero_n_with_a_count_is_refused(self) -> None:
        with pytest.raises(SPCInputError, match=r"^n\[1\]"):
            qic("u", [1, 2], n=[1, 0])


# ------------------------------------------------- dates and aggregation


class TestDatesAndAggregation:
    def test_dates_sorted_and_duplicates_aggregated(self) -> None:
        x = ["2021-03-01", "2021-01-01", "2021-03-01", "2021-02-01"]
        out = qic("run", [1, 2, 3, 4], x=x)
        assert out["x"] == ["2021-01-01", "2021-02-01", "2021-03-01"]
        assert out["y"] == [2, 4, 2] and out["y_length"] == [1, 1, 2] and out["cl"] == [2] * 3
        assert out["messages"]  # several values in a subgroup on a run chart

    def test_duplicate_x_with_denominators_sums_both(self) -> None:
        out = qic("p", [1, 2, 3], n=[10, 10, 20], x=[1, 1, 2])
        assert out["y"] == [0.15, 0.15] and out["n"] == [20, 20] and out["messages"] == []

    def test_xmr_sorted_by_date(self) -> None:
        d = days(13)
        out = compute_dict({"chart": "xmr", "x": d[::-1], "y": list(range(13))})
        assert out["x"] == d and out["y"] == list(range(12, -1, -1))

    def test_xmr_refuses_a_repeated_date(self) -> None:
        with pytest.raises(SPCInputError, match=r"^x\[2\]"):
            xmr([1, 2, 3], x=["2021-01-01", "2021-01-02", "2021-01-01"])


# ----------------------------------------------------------- Laney prime


class TestLaneySmallSigmaZ:
    def test_pp_with_sigma_z_below_one(self) -> None:
        y, n = [10, 11, 10, 11, 10], [100] * 5
        cl = 52 / 500
        s = math.sqrt(cl * (1 - cl) / 100)
        z = [(v / 100 - cl) / s for v in y]
        amr = sum(abs(b - a) for a, b in itertools.pairwise(z)) / 4  # all kept
        sigma_z = amr / 1.128
        assert sigma_z < 1
        out = qic("pp", y, n=n)
        assert all(close(v, cl + 3 * s * sigma_z) for v in out["ucl"])
        assert all(close(v, cl - 3 * s * sigma_z) for v in out["lcl"])
        p = qic("p", y, n=n)
        assert out["ucl"][0] < p["ucl"][0]  # narrower than the plain p chart


# ---------------------------------------------------------------- rebase


class TestRebase:
    Y = [1.0, 3.0] * 7 + [11.0, 13.0] * 7

    def test_rebase_at_the_first_point_numbers_groups_from_one(self) -> None:
        d = days(28)
        out = xmr(self.Y, x=d, rebase=[d[0]])
        assert out["rebase_group"] == [1] * 28
        assert out["cl"] == [7] * 28  # one group: mean 7
        both = xmr(self.Y, x=d, rebase=[d[0], d[14]])
        assert both["rebase_group"] == [1] * 14 + [2] * 14
        assert both["cl"] == [2] * 14 + [12] * 14

    def test_rebase_at_a_date_not_present_is_ignored(self) -> None:
        d = days(28)
        out = xmr(self.Y, x=d, rebase=["2020-06-30", "2021-02-28"])
        assert out["rebase_group"] == [0] * 28 and out["cl"] == [7] * 28

    def test_rebase_in_the_middle(self) -> None:
        d = days(28)
        out = xmr(self.Y, x=d, rebase=[d[14]])
        assert out["rebase_group"] == [0] * 14 + [1] * 14
        # each group: mean 2 or 12, AMR 2 -> limits mean +- 5.32; no rule spans the rebase
        assert out["cl"] == [2] * 14 + [12] * 14
        assert close(out["ucl"][0], 7.32) and close(out["lcl"][27], 6.68)
        assert not any(out["signals"]["special_cause"])

    def test_fix_after_n_points_per_group(self) -> None:
        y = [1.0, 2.0] * 6 + [50.0] * 6
        out = xmr(y, fix_after_n_points=12)  # mean 1.5, AMR 1
        assert out["cl"] == [1.5] * 18 and all(close(v, 1.5 + 2.66) for v in out["ucl"])
        assert out["signals"]["outside_limits"] == [False] * 12 + [True] * 6

"""Our own tests for every edge case of spec section 4 (one class per item)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from shiftpractice.spc import ChartRequest, SPCInputError, compute
from shiftpractice.spc.runs import anhoej
from shiftpractice.spc.stats import exact_mean, screened_mean


def days(k: int) -> list[str]:
    base = np.datetime64("2021-01-01")
    return [str(base + np.timedelta64(i, "D")) for i in range(k)]


def xmr(y: list[float | None], **options: object) -> dict:
    return compute(ChartRequest("xmr", days(len(y)), y, None, options)).to_dict()


def qic(chart: str, y: list, n: list | None = None, x: list | None = None, **options: object) -> dict:
    return compute(ChartRequest(chart, x, y, n, options)).to_dict()


class TestPointsOnCentreLine:  # item 1
    def test_anhoej_skips_points_on_the_median(self) -> None:
        out = qic("run", [1, 2, 3, 3, 3, 4, 5, 3, 1, 5])
        assert out["cl"][0] == 3
        assert out["n_obs"] == 10 and out["n_useful"] == 6

    def test_nhs_shift_is_broken_by_a_point_on_the_mean(self) -> None:
        y = [2.0] * 6 + [0.0] + [2.0] * 6 + [-4.0] * 6
        out = xmr(y)
        assert out["cl"][0] == 0.0
        assert not any(out["signals"]["shift"])
        # Without the point on the mean the 13 points above make a shift.
        y2 = [2.0] * 13 + [-13 / 3] * 6
        assert sum(xmr(y2)["signals"]["shift"]) == 13

    def test_anhoej_counts_through_the_point_on_the_mean(self) -> None:
        y = [2.0] * 6 + [0.0] + [2.0] * 6 + [-4.0] * 6
        out = qic("i", y)
        assert out["longest_run"] == 12 and out["n_useful"] == 18


class TestTiesAndLengths:  # item 2
    def test_tie_breaks_a_trend(self) -> None:
        y = [1, 2, 3, 4, 4, 5, 6, 7, 1, 1, 1, 1, 1]
        assert not any(xmr(y)["signals"]["trend"])

    def test_six_rising_do_not_signal_seven_do(self) -> None:
        six = [3, 3, 3, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0]
        seven = [3, 3, 3, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0]
        assert not any(xmr(six)["signals"]["trend"])
        assert xmr(seven)["signals"]["trend"] == [False] * 3 + [True] * 7 + [False] * 3

    def test_six_on_one_side_do_not_signal_seven_do(self) -> None:
        six = [1.0] * 6 + [-1.0] * 6
        assert not any(xmr(six)["signals"]["shift"])
        seven = [1.0] * 7 + [-7 / 6] * 6
        assert sum(xmr(seven)["signals"]["shift"]) == 7


class TestStrictComparisons:  # item 3
    def test_run_equal_to_max_is_no_signal(self) -> None:
        st = anhoej(np.array([1.0] * 6 + [-1, 1, -1, 1]), 0.0, None)
        assert (st.longest_run, st.longest_run_max, st.signal) == (6, 6, False)
        st = anhoej(np.array([1.0] * 7 + [-1, 1, -1]), 0.0, None)
        assert st.signal and st.longest_run == 7

    def test_crossings_equal_to_min_is_no_signal(self) -> None:
        st = anhoej(np.array([1.0] * 4 + [-1.0] * 3 + [1.0] * 3), 0.0, None)
        assert (st.n_crossings, st.n_crossings_min, st.signal) == (2, 2, False)
        st = anhoej(np.array([1.0] * 5 + [-1.0] * 5), 0.0, None)
        assert (st.n_crossings, st.signal) == (1, True)

    def test_point_on_a_limit_does_not_signal(self) -> None:
        out = qic("p", [2, 0, 1, 0, 1], n=[2, 2, 2, 2, 2])
        assert out["ucl"][0] == 1.0 and out["y"][0] == 1.0
        assert out["signals"]["outside_limits"][0] is False


class TestMovingRanges:  # item 4
    def test_mr_bridges_an_excluded_point(self) -> None:
        out = qic("i", [1, 2, 100, 5, 6], exclude=[3])
        amr = (1 + 3 + 1) / 3
        assert math.isclose(out["ucl"][0], 3.5 + 3 * amr / 1.128)
        assert out["include"][2] is False and out["signals"]["outside_limits"][2] is True

    def test_mr_does_not_bridge_a_missing_value(self) -> None:
        out = qic("i", [1, 2, None, 5, 6])
        assert math.isclose(out["ucl"][0], 3.5 + 3 * 1 / 1.128)

    def test_screening_is_one_pass_and_strict(self) -> None:
        assert screened_mean(np.array([1.0, 1.0, 2.0]), True, 1.5) == 1.0  # 2 == 1.5 * 4/3
        assert screened_mean(np.array([1.0, 1.0, 1.0, 1.0, 9.0, 3.0]), True, 2.0) == 1.4

    def test_screening_switch(self) -> None:
        y = [1, 2, 1, 2, 1, 20, 1, 2, 1, 2]
        on = qic("i", y, screened_mr=True)["ucl"][0]
        off = qic("i", y, screened_mr=False)["ucl"][0]
        assert on < off


class TestConstantSeries:  # item 5
    def test_screened_i_chart_has_no_limits(self) -> None:
        out = qic("i", [5] * 12)
        assert out["lcl"] == [None] * 12 and out["ucl"] == [None] * 12
        assert out["runs_signal"] is False and out["longest_run"] is None

    def test_unscreened_limits_equal_the_centre(self) -> None:
        out = qic("i", [5] * 12, screened_mr=False)
        assert out["lcl"] == [5.0] * 12 and out["ucl"] == [5.0] * 12

    def test_xmr_constant_has_nan_limits_and_no_signals(self) -> None:
        out = xmr([3.0] * 15, target=1.0)
        assert out["ucl"][0] is None and not any(out["signals"]["special_cause"])
        assert out["assurance_type"] == "inconsistent"

    @pytest.mark.parametrize("chart", ["pp", "up"])
    def test_prime_chart_with_zero_sigma_z(self, chart: str) -> None:
        out = qic(chart, [10, 20, 30, 40], n=[100, 200, 300, 400], screened_mr=False)
        assert out["lcl"] == out["cl"] == out["ucl"]
        screened = qic(chart, [10, 20, 30, 40], n=[100, 200, 300, 400])
        assert screened["ucl"] == [None] * 4 and not any(screened["signals"]["outside_limits"])


class TestFreezeAndPart:  # item 6
    def test_freeze_limits_from_baseline_runs_over_all(self) -> None:
        y = [5, 6, 5, 6, 5, 6, 5, 6, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]
        out = qic("i", y, freeze=8)
        assert out["cl"][0] == 5.5 and out["baseline"][8] is False
        assert out["n_obs"] == 18 and out["runs_signal"] is True

    def test_part_overrides_freeze(self) -> None:
        y = [5, 6, 5, 6, 5, 6, 9, 10, 9, 10, 9, 10]
        out = qic("i", y, part=[6], freeze=3)
        assert out["cl"][0] == 5.5 and out["cl"][-1] == 9.5
        assert all(out["baseline"]) and [p["part"] for p in out["parts"]] == [1, 2]

    def test_part_as_labels(self) -> None:
        out = qic("run", [1, 2, 3, 4, 5, 6], part=["a", "a", "a", "b", "b", "b"])
        assert out["part"] == [1, 1, 1, 2, 2, 2] and out["cl"] == [2, 2, 2, 5, 5, 5]


class TestClipping:  # item 7
    def test_p_limits_clipped_to_unit_interval(self) -> None:
        out = qic("p", [1, 9, 1, 9], n=[10, 10, 10, 10])
        assert min(out["lcl"]) >= 0 and max(out["ucl"]) <= 1

    def test_u_ucl_is_not_clipped_and_lcl_is(self) -> None:
        out = qic("u", [3, 0, 2, 1], n=[1, 1, 1, 1])
        assert out["lcl"][0] == 0 and out["ucl"][0] > 1

    def test_c_lcl_clipped(self) -> None:
        assert qic("c", [1, 0, 2, 1])["lcl"][0] == 0


class TestGAndT:  # item 8
    def test_g_plots_the_median_but_limits_use_the_mean(self) -> None:
        y = [1, 2, 3, 10, 50]
        out = qic("g", y)
        m = sum(y) / 5
        assert out["cl"][0] == 3 and math.isclose(out["ucl"][0], m + 3 * math.sqrt(m * (m + 1)))
        assert out["lcl"][0] == 0

    def test_t_lcl_is_zero_when_transformed_lcl_is_negative(self) -> None:
        out = qic("t", [1, 50, 2, 80, 1, 60, 3, 90])
        assert out["lcl"][0] == 0 and out["lcl_95"][0] is None

    def test_t_rejects_non_positive_values(self) -> None:
        with pytest.raises(SPCInputError, match=r"y\[1\]"):
            qic("t", [3, 0, 2])


class TestXbarS:  # item 9
    def test_variable_sizes_and_short_subgroups(self) -> None:
        x = [1, 1, 1, 2, 2, 2, 2, 3, 4, 4, 4, 5, 5, 5]
        y = [1, 2, 3, 2, 3, 4, 5, 9, 1, 2, 2, None, None, None]
        out = qic("xbar", y, x=x)
        assert out["y_length"] == [3, 4, 1, 3, 0]
        assert out["ucl"][2] is None and out["ucl"][4] is None
        assert out["ucl"][0] != out["ucl"][1]
        s_out = qic("s", y, x=x)
        assert s_out["y"][2] is None and s_out["ucl"][0] is not None


class TestCategorical:  # item 10
    def test_no_runs_signal_and_sd_of_z(self) -> None:
        x = list("ABCDEFGHIJ")
        out = qic("up", [5, 5, 5, 5, 5, 5, 5, 5, 5, 5], n=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], x=x)
        assert out["runs_signal"] is False and not any(out["signals"]["runs"])
        assert out["x"] == x


class TestTwoInThree:  # item 11
    def test_needs_same_side_and_ignores_outside_points(self) -> None:
        base = [1, -1] * 7
        opposite = xmr([*base, 5.5, -5.5])
        assert not any(opposite["signals"]["two_in_three"])
        same = xmr([*base, 5.5, 5.4, 2.0])
        assert same["signals"]["two_in_three"][-3:] == [True, True, False]
        # Limits fixed on the alternating points: mean 0, UPL 5.32, 2 sigma 3.55.
        outside_plus_close = xmr([*base, 50.0, 4.0, 1.0], fix_after_n_points=14)
        assert outside_plus_close["signals"]["outside_limits"][14] is True
        assert outside_plus_close["close_to_limits"][15] is True
        assert not any(outside_plus_close["signals"]["two_in_three"])
        two_close = xmr([*base, 4.0, 4.2, 1.0], fix_after_n_points=14)
        assert two_close["signals"]["two_in_three"][-3:] == [True, True, False]


class TestIcons:  # item 12
    def test_variation_icon_uses_last_point_only(self) -> None:
        y = [1.0, -1.0] * 8 + [-40.0] + [1.0, -1.0]
        out = xmr(y)
        assert out["signals"]["outside_limits"][16] is True
        assert out["variation_icon"] == "common_cause"

    def test_assurance_uses_last_rebase_group(self) -> None:
        y = [1.0, -1.0] * 8 + [101.0, 99.0] * 8
        d = days(len(y))
        out = xmr(y, rebase=[d[16]], target=50.0)
        assert out["rebase_group"][16] == 1
        assert out["assurance_icon"] == "pass"  # target below the second group's LPL


class TestConstants:  # item 13
    def test_nhs_uses_2_66_and_qicharts2_3_over_1_128(self) -> None:
        y = [1, 3, 2, 4, 3, 5, 2, 4, 3, 3, 2, 4, 3]
        nhs_ucl = xmr(y)["ucl"][0]
        qic_ucl = qic("i", y)["ucl"][0]
        amr = (nhs_ucl - exact_mean(np.array(y, dtype=float))) / 2.66
        assert math.isclose(qic_ucl, exact_mean(np.array(y, dtype=float)) + 3 * amr / 1.128)
        assert nhs_ucl != qic_ucl

    def test_screen_outliers_switch(self) -> None:
        y = [1.0, 2, 1, 2, 1, 2, 1, 10, 1, 2, 1, 2, 1]
        assert xmr(y)["ucl"][0] < xmr(y, screen_outliers=False)["ucl"][0]


class TestNumerics:  # item 14
    def test_mean_is_correctly_rounded(self) -> None:
        assert exact_mean(np.array([0.1, 0.2, 0.3])) == 0.2
        out = qic("i", [0.1, 0.2, 0.3, 0.1, 0.3])
        assert out["cl"][0] == 0.2 and out["n_useful"] == 4

    def test_median_is_the_average_of_the_middle_two(self) -> None:
        assert qic("run", [1, 2, 3, 10])["cl"][0] == 2.5


class TestNhsExtras:
    def test_sorted_by_date_and_short_group_warning(self) -> None:
        d = days(12)
        out = compute(ChartRequest("xmr", d[::-1], list(range(12)), None, {})).to_dict()
        assert out["x"] == d and out["y"] == list(range(12))[::-1]
        assert all(out["short_group_warning"]) and out["warnings"]

    def test_thirteen_points_do_not_warn(self) -> None:
        out = xmr([float(i % 3) for i in range(13)])
        assert not any(out["short_group_warning"]) and out["warnings"] == []

    def test_fix_after_n_points(self) -> None:
        y = [1.0, 2.0] * 6 + [50.0] * 6
        out = xmr(y, fix_after_n_points=12)
        assert out["cl"][0] == 1.5 and all(out["signals"]["outside_limits"][12:])

    def test_missing_value_is_common_cause_and_breaks_runs(self) -> None:
        y: list[float | None] = [1.0] * 6 + [None] + [1.0] * 3 + [-1.0] * 10
        out = xmr(y)
        assert out["point_type"][6] == "common_cause" and out["relative_to_mean"][6] is None
        assert not any(out["signals"]["shift"][:10])

    def test_trend_label_quirk_is_emulated_by_default(self) -> None:
        y = [1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13]
        quirky = xmr(y)
        assert quirky["special_cause_type"][6] == "7 Point Trend (Decreasing)"
        fixed = compute(
            ChartRequest("xmr", days(14), y, None, {"rules": {"name": "nhs", "emulate_quirks": False}})
        )
        assert fixed.special_cause_type[6] == "7 Point Trend (Increasing)"

    def test_neutral_direction(self) -> None:
        out = xmr([1.0, -1.0] * 8 + [40.0], improvement_direction="neutral", target=3.0)
        assert out["point_type"][-1] == "special_cause_neutral_high"
        assert out["variation_icon"] == "neutral_high" and out["assurance_icon"] is None

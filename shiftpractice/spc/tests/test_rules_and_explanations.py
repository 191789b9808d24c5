"""Rule sets, explanations and the package's dependency contract."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pytest

from shiftpractice.spc import RULE_SETS, ChartRequest, SPCInputError, compute
from shiftpractice.spc.explain import XLabeler
from shiftpractice.spc.stats import runs_count_limits

PACKAGE = Path(__file__).resolve().parents[1]
MONTHS = [f"2021-{m:02d}-01" for m in range(1, 13)] + [f"2022-{m:02d}-01" for m in range(1, 13)]


def test_default_rule_sets() -> None:
    assert compute(ChartRequest("i", None, [1, 2, 3])).rule_set["name"] == "anhoej"
    assert compute(ChartRequest("xmr", None, [1, 2, 3])).rule_set["name"] == "nhs"


def test_ihi_rules_on_a_run_chart() -> None:
    y = [5, 5, 6, 4, 5, 6, 4, 9, 10, 11, 12, 13, 14, 9, 9, 9, 9, 9, 9, 9]
    res = compute(ChartRequest("run", MONTHS[:20], y, None, {"rules": "ihi"}))
    assert set(res.signals) >= {"outside_limits", "runs", "shift", "trend", "astronomical"}
    assert res.signals["trend"][6:13].all()  # 4 -> 14 rises for 7 points
    assert any(d.rule == "trend" for d in res.signal_details)


def test_ihi_shift_skips_points_on_the_median() -> None:
    y = [1, 1, 1, 5, 5, 5, 3, 5, 5, 5, 1, 1, 1, 3, 3]
    res = compute(ChartRequest("run", None, y, None, {"rules": "ihi"}))
    assert res.cl[0] == 3
    assert res.signals["shift"][[3, 4, 5, 7, 8, 9]].all() and not res.signals["shift"][6]


def test_custom_rules_parameters() -> None:
    y = [1.0] * 8 + [-1.0] * 8
    base = compute(ChartRequest("xmr", None, y))
    assert base.signals["shift"].all()
    custom = compute(
        ChartRequest("xmr", None, y, None, {"rules": {"name": "custom", "shift": 9, "two_in_three": False}})
    )
    assert not custom.signals["shift"].any()
    assert custom.rule_set == {**RULE_SETS["custom"].to_dict(), "shift": 9, "two_in_three": False}
    with pytest.raises(SPCInputError, match=r"options\.rules\.shift"):
        compute(ChartRequest("xmr", None, y, None, {"rules": {"name": "custom", "shift": 1}}))


def test_nhs_rules_on_an_i_chart() -> None:
    y = [1.0, -1.0] * 6 + [2.0] * 8
    res = compute(ChartRequest("i", None, y, None, {"rules": "nhs"}))
    assert {"trend", "two_in_three", "shift", "special_cause"} <= set(res.signals)
    assert res.signals["shift"][-8:].all()


def test_runs_count_limits_sample() -> None:
    low, high = runs_count_limits(30)
    assert low < 16 < high


def test_explanation_names_rule_points_and_meaning() -> None:
    y = [10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 11, 10, 15, 15, 16, 15, 15, 16, 15, 15]
    res = compute(ChartRequest("xmr", MONTHS[:20], y, None, {"improvement_direction": "increase"}))
    shift = [d for d in res.signal_details if d.rule == "shift" and d.direction == 1]
    assert shift and shift[0].direction == 1
    text = shift[0].text
    assert text.startswith("Shift (7 or more points in a row on one side of the mean): ")
    assert "8 points in a row are above the mean" in text
    assert "January 2022" in text and "August 2022" in text
    assert "does not" in text and "improvement" in text
    assert text in res.explanations


def test_explanation_when_nothing_signals() -> None:
    res = compute(ChartRequest("i", None, [1, 2, 1, 2, 1, 2, 1, 2, 1, 2]))
    assert len(res.explanations) == 1 and res.explanations[0].startswith("No signals")


def test_x_labels() -> None:
    daily = XLabeler(np.array(["2021-03-03", "2021-05-09"], dtype="datetime64[D]"), "date")
    assert daily.label(0) == "3 Mar 2021"
    monthly = XLabeler(np.array(["2021-11-01", "2022-01-01"], dtype="datetime64[D]"), "date")
    assert monthly.span(0, 1) == "from November 2021 to January 2022"
    assert XLabeler(["AHH", "BFH"], "category").label(1) == "BFH"


def test_result_arrays_do_not_alias_the_request() -> None:
    y = np.array([1.0, 2.0, 3.0, 4.0])
    res = compute(ChartRequest("i", None, y, None, {"multiply": 2}))
    assert y.tolist() == [1.0, 2.0, 3.0, 4.0] and res.y.tolist() == [2.0, 4.0, 6.0, 8.0]


def test_package_imports_only_numpy_the_standard_library_and_its_pinned_libraries() -> None:
    """The import contract: NumPy, the standard library, orjson (JSON output) and pyuca (collation).

    Mirrors the import-linter contract in pyproject.toml, which forbids Django and our apps.
    """
    allowed = set(sys.stdlib_module_names) | {"numpy", "orjson", "pyuca", "shiftpractice"}
    test_only = {"pytest", "hypothesis"}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_tests = "tests" in path.relative_to(PACKAGE).parts
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                ok = top in allowed or (in_tests and top in test_only)
                assert ok, f"{path.name} imports {name}"
                if top == "shiftpractice":
                    assert name.startswith("shiftpractice.spc"), f"{path.name} imports {name}"

"""Every public reference case (R 4.2's stats package) must agree, through the API and the command line.

The case file lives outside the repository; set SHIFTPRACTICE_EVALUATION_CASES to point at it,
otherwise ``<repo root>/../shared/reference/evaluation/public-cases.json`` is used. A missing file
is a failure, not a skip.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shiftpractice.evaluation.analysis import analyse, analyse_dict

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_CASES = REPO_ROOT.parent / "shared" / "reference" / "evaluation" / "public-cases.json"
REL_TOL = 1e-9
ABS_TOL = 1e-12


def cases_path() -> Path:
    return Path(os.environ.get("SHIFTPRACTICE_EVALUATION_CASES") or DEFAULT_CASES)


def load_cases() -> list[dict[str, Any]]:
    path = cases_path()
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as fh:
        data: list[dict[str, Any]] = json.load(fh)
    return data


CASES = load_cases()


def test_case_file_is_present() -> None:
    path = cases_path()
    assert path.is_file(), (
        f"Evaluation reference cases not found at {path}. Set SHIFTPRACTICE_EVALUATION_CASES to the "
        "path of public-cases.json (shared/reference/evaluation/public-cases.json)."
    )
    assert len(CASES) >= 40


def assert_same(actual: Any, expected: Any, where: str) -> None:
    """Exactly the expected fields; floats to a relative 1e-9 (absolute 1e-12 near zero), the rest exactly."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        assert list(actual) == list(expected), f"{where}: fields {list(actual)} != {list(expected)}"
        for key, value in expected.items():
            assert_same(actual[key], value, f"{where}.{key}")
        return
    if expected is None:
        assert actual is None, f"{where}: expected null, got {actual!r}"
        return
    if isinstance(expected, (bool, str)):
        assert type(actual) is type(expected) and actual == expected, (
            f"{where}: expected {expected!r}, got {actual!r}"
        )
        return
    assert isinstance(expected, (int, float)), f"{where}: unexpected type {type(expected)}"
    assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{where}: got {actual!r}"
    if where.rsplit(".", 1)[-1] in ("n_pairs", "n_positive", "n_negative", "n_nonzero", "df"):
        assert type(actual) is int and actual == expected, f"{where}: expected {expected!r}, got {actual!r}"
        return
    if isinstance(expected, int) and float(actual).is_integer():
        # A whole number is written as the case file writes it: 1, not 1.0.
        assert isinstance(actual, int), f"{where}: expected the integer {expected!r}, got {actual!r}"
    assert math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL), (
        f"{where}: expected {expected!r}, got {actual!r}"
    )


def test_the_cases_cover_both_methods_missing_answers_and_zeros() -> None:
    methods = {c["expected"]["wilcoxon"]["method"] for c in CASES}
    assert methods == {"exact", "normal"}
    assert any(None in c["before"] + c["after"] for c in CASES)
    assert any(c["expected"]["wilcoxon"]["n_nonzero"] < c["expected"]["n_pairs"] for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reference_case_through_the_api(case: dict[str, Any]) -> None:
    result = analyse(case["before"], case["after"])
    assert_same(result.to_dict(), case["expected"], case["id"])
    # The typed result says the same as its JSON form.
    assert result.n_pairs == case["expected"]["n_pairs"]
    assert result.wilcoxon.method == case["expected"]["wilcoxon"]["method"]
    assert analyse_dict(case) == result.to_dict()


def _refuse(name: str) -> Any:
    raise AssertionError(f"non-strict JSON token {name}")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reference_case_through_the_command_line(case: dict[str, Any]) -> None:
    """The acceptance path: a separate process, JSON text in, strict JSON out, status 0."""
    request = json.dumps({"before": case["before"], "after": case["after"]}, allow_nan=False)
    proc = subprocess.run(
        [sys.executable, "-m", "shiftpractice.evaluation.analysis"],
        input=request,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == ""
    assert_same(json.loads(proc.stdout, parse_constant=_refuse), case["expected"], case["id"])

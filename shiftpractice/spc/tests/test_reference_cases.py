"""Every public reference case (qicharts2 0.8.1, NHSRplotthedots 0.2.2) must pass.

The case file lives outside the repository; set SHIFTPRACTICE_SPC_CASES to
point at it, otherwise ``<repo root>/../shared/reference/spc/public-cases.json``
is used. A missing file is a failure, not a skip.
"""

from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from shiftpractice.spc import ChartRequest, compute
from shiftpractice.spc.cli import main

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_CASES = REPO_ROOT.parent / "shared" / "reference" / "spc" / "public-cases.json"
REL_TOL = 1e-9


def cases_path() -> Path:
    return Path(os.environ.get("SHIFTPRACTICE_SPC_CASES") or DEFAULT_CASES)


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
        f"SPC reference cases not found at {path}. Set SHIFTPRACTICE_SPC_CASES to the path "
        "of public-cases.json (shared/reference/spc/public-cases.json)."
    )
    assert len(CASES) >= 45


def assert_same(actual: Any, expected: Any, where: str) -> None:
    """Floats to a relative 1e-9; booleans, integers and strings exactly."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}: missing field {key!r}"
            assert_same(actual[key], value, f"{where}.{key}")
        return
    if isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected a list, got {type(actual)}"
        assert len(actual) == len(expected), f"{where}: length {len(actual)} != {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=False)):
            assert_same(a, e, f"{where}[{i}]")
        return
    if expected is None:
        assert actual is None, f"{where}: expected null, got {actual!r}"
        return
    if isinstance(expected, (bool, str)):
        assert actual == expected and type(actual) is type(expected), (
            f"{where}: expected {expected!r}, got {actual!r}"
        )
        return
    if isinstance(expected, (int, float)):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), (
            f"{where}: expected {expected!r}, got {actual!r}"
        )
        if isinstance(expected, int) and float(actual).is_integer():
            # A whole number is written as the case file writes it: 17, not 17.0.
            assert isinstance(actual, int), f"{where}: expected the integer {expected!r}, got {actual!r}"
        assert math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=1e-12), (
            f"{where}: expected {expected!r}, got {actual!r}"
        )
        return
    raise AssertionError(f"{where}: unexpected type {type(expected)}")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reference_case(case: dict[str, Any]) -> None:
    request = ChartRequest(case["chart"], case["x"], case["y"], case["n"], case["options"])
    result = compute(request).to_dict()
    assert_same(result, case["expected"], case["id"])
    assert isinstance(result["explanations"], list) and result["explanations"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reference_case_through_the_json_cli(case: dict[str, Any]) -> None:
    """The acceptance path: the request as JSON text in, strict JSON out."""
    request = {k: case[k] for k in ("chart", "x", "y", "n", "options")}
    stdout = io.StringIO()
    code = main([], io.StringIO(json.dumps(request, allow_nan=False)), stdout)
    assert code == 0, stdout.getvalue()
    result = json.loads(stdout.getvalue(), parse_constant=_refuse)
    assert_same(result, case["expected"], case["id"])


def _refuse(name: str) -> Any:
    raise AssertionError(f"non-strict JSON token {name}")

"""The JSON command line contract."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from shiftpractice.spc.cli import main

REPO_ROOT = Path(__file__).resolve().parents[3]


def run(text: str, *args: str) -> tuple[int, dict]:
    out = io.StringIO()
    code = main(list(args), io.StringIO(text), out)
    return code, json.loads(out.getvalue())


def test_valid_request() -> None:
    req = {"chart": "i", "x": [1, 2, 3, 4], "y": [1, 2, 3, 10], "n": None, "options": {}}
    code, out = run(json.dumps(req))
    assert code == 0 and out["cl"] == [4.0] * 4 and "explanations" not in out
    assert out["rule_set"]["name"] == "anhoej"


def test_details_flag() -> None:
    req = {"chart": "xmr", "x": ["2021-01-01", "2021-02-01", "2021-03-01"], "y": [1, 2, 30]}
    code, out = run(json.dumps(req), "--details")
    assert code == 0 and "signal_details" in out


@pytest.mark.parametrize(
    ("request_text", "needle"),
    [
        ('{"chart": "i", "y": [1, 2], "x": [1]}', "x:"),
        ('{"chart": "i", "y": [1, "a"]}', "y[1]"),
        ('{"chart": "i", "y": [1, true]}', "y[1]"),
        ('{"chart": "i", "y": [1, Infinity]}', "Infinity"),
        ('{"chart": "i", "y": [1, NaN]}', "NaN"),
        ('{"chart": "i", "y": [1e308, 1], "options": {"multiply": 1e400}}', "multiply"),
        ('{"chart": "u", "y": [1, 2], "n": [1, -1]}', "n[1]"),
        ('{"chart": "u", "y": [1, 2], "n": [1, 0]}', "n[1]"),
        ('{"chart": "p", "y": [3, 5], "n": [10, 4]}', "y[1]"),
        ('{"chart": "t", "y": [3, 0]}', "y[1]"),
        ('{"chart": "bogus", "y": [1]}', "chart"),
        ('{"chart": "i", "y": [1], "options": {"nope": 1}}', "options.nope"),
        ('{"chart": "xmr", "y": [1], "options": {"freeze": 1}}', "options.freeze"),
        ('{"chart": "i", "y": [1], "extra": 1}', "extra"),
        ('{"chart": "i", "y": [1], "options": {"rules": "nope"}}', "options.rules"),
        ('{"chart": "i", "y": [1, 2], "options": {"exclude": [0]}}', "options.exclude[0]"),
        ('{"chart": "xmr", "x": ["2021-01-01", "2021-01-01"], "y": [1, 2]}', "x[1]"),
        ('{"chart": "xmr", "x": ["2021-01-01", "2021-13-01"], "y": [1, 2]}', "x[1]"),
        ('{"chart": "xmr", "y": [1, 2], "options": {"fix_after_n_points": 3}}', "fix_after"),
        ('{"chart": "i", "y": []}', "y"),
        ("[1, 2]", "request"),
        ("{not json", "malformed"),
        ("", "malformed"),
    ],
)
def test_bad_input_exits_2_with_error(request_text: str, needle: str) -> None:
    code, out = run(request_text)
    assert code == 2
    assert set(out) == {"error"} and needle in out["error"]


def test_module_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "shiftpractice.spc"],
        input='{"chart": "c", "y": [1, 2, 3]}',
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["cl"] == [2.0, 2.0, 2.0]
    bad = subprocess.run(
        [sys.executable, "-m", "shiftpractice.spc"],
        input="{",
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "error" in json.loads(bad.stdout)


def _strict(name: str) -> None:
    raise AssertionError(f"non-strict JSON token {name}")


def run_strict(text: str) -> tuple[int, dict]:
    out = io.StringIO()
    code = main([], io.StringIO(text), out)
    return code, json.loads(out.getvalue(), parse_constant=_strict)


@pytest.mark.parametrize(
    ("request_text", "prefix"),
    [
        # mismatched lengths
        ('{"chart": "i", "x": [1, 2, 3], "y": [1, 2]}', "x: has 3 values but y has 2"),
        ('{"chart": "p", "y": [1, 2], "n": [5]}', "n: has 1 values but y has 2"),
        ('{"chart": "i", "y": [1, 2], "options": {"cl": [1, 2, 3]}}', "options.cl: has 3 values"),
        ('{"chart": "run", "y": [1, 2, 3], "options": {"part": ["a", "b"]}}', "options.part: has 2 labels"),
        # non-numeric or infinite values
        ('{"chart": "i", "y": [1, "2"]}', "y[1]: not a number"),
        ('{"chart": "i", "y": [1, [2]]}', "y[1]: not a number"),
        ('{"chart": "i", "y": [1, 2, false]}', "y[2]: not a number"),
        ('{"chart": "i", "y": [1, 1e999]}', "y[1]: is infinite"),
        ('{"chart": "i", "y": [1, -Infinity]}', "request: -Infinity is not valid JSON"),
        ('{"chart": "i", "y": [1, NaN]}', "request: NaN is not valid JSON"),
        ('{"chart": "u", "y": [1, 2], "n": [3, {}]}', "n[1]: not a number"),
        ('{"chart": "i", "x": [1, 2.5, 1e999], "y": [1, 2, 3]}', "x[2]: is not finite"),
        ('{"chart": "i", "x": [1, true], "y": [1, 2]}', "x[1]: not a number, date or label"),
        ('{"chart": "i", "y": [1, 1' + "0" * 400 + "]}", "y[1]: is too large"),
        ('{"chart": "i", "x": [1, 1' + "0" * 30 + '], "y": [1, 2]}', "x[1]: is too large"),
        # denominators
        ('{"chart": "p", "y": [1, 2, 3], "n": [4, 5, -1]}', "n[2]: denominators cannot be negative"),
        ('{"chart": "u", "y": [1, 2, 3], "n": [4, 0, 1]}', "n[1]: a zero denominator"),
        ('{"chart": "pp", "y": [1, 2, 3], "n": [4, 5, 0]}', "n[2]: a zero denominator"),
        ('{"chart": "p", "y": [1, 2, 3]}', "n: a p chart needs denominators"),
        ('{"chart": "p", "y": [1, 6, 3], "n": [4, 5, 6]}', "y[1]: a proportion's numerator exceeds"),
        ('{"chart": "c", "y": [1, -1, 3]}', "y[1]: a c chart needs values of 0 or more"),
        # t chart
        ('{"chart": "t", "y": [3, 2, 0]}', "y[2]: time between events must be greater than 0"),
        ('{"chart": "t", "y": [-1, 2]}', "y[0]: time between events must be greater than 0"),
        # unknown chart, field or option
        ('{"chart": "xbarr", "y": [1]}', "chart: unknown chart 'xbarr'"),
        ('{"chart": null, "y": [1]}', "chart: unknown chart None"),
        ('{"chart": "i", "y": [1], "options": {"frezee": 3}}', "options.frezee: unknown option"),
        ('{"chart": "xmr", "y": [1], "options": {"exclude": [1]}}', "options.exclude: unknown option"),
        ('{"chart": "i", "y": [1], "options": {"freeze": "3"}}', "options.freeze: must be an integer"),
        (
            '{"chart": "i", "y": [1], "options": {"screened_mr": 1}}',
            "options.screened_mr: must be true or false",
        ),
        (
            '{"chart": "xmr", "y": [1], "options": {"improvement_direction": "up"}}',
            "options.improvement_direction",
        ),
        ('{"y": [1]}', "chart: is required"),
        ('{"chart": "i"}', "y: is required"),
        ('{"chart": "i", "y": [1], "z": 1}', "request: unknown field 'z'"),
        # malformed JSON
        ('{"chart": "i", "y": [1, 2,]}', "request: malformed JSON"),
        ("", "request: malformed JSON"),
        ('{"chart": "i", "y": [1]} trailing', "request: malformed JSON"),
        # wrong JSON types
        ('{"chart": "i", "y": "abc"}', "y: must be a list of numbers"),
        ('{"chart": "i", "y": {"a": 1}}', "y: must be a list of numbers"),
        ('{"chart": "i", "y": 5}', "y: must be a list of numbers"),
        ('{"chart": "i", "y": [1], "options": []}', "options: must be an object"),
        ('{"chart": "i", "y": [1], "options": "freeze"}', "options: must be an object"),
        ('{"chart": "i", "x": null, "y": [1]}', "x: must be a list"),
        ('{"chart": "i", "x": "2021-01-01", "y": [1]}', "x: must be a list"),
        ('{"chart": "p", "y": [1], "n": "abc"}', "n: must be a list of numbers"),
        ('{"chart": 3, "y": [1]}', "chart: unknown chart 3"),
        ('"just a string"', "request: must be a JSON object"),
        ("null", "request: must be a JSON object"),
        # empty arrays
        ('{"chart": "i", "y": []}', "y: has no values"),
        ('{"chart": "i", "x": [], "y": []}', "y: has no values"),
        ('{"chart": "p", "y": [1], "n": []}', "n: has 0 values but y has 1"),
        ('{"chart": "i", "x": [null, null], "y": [1, 2]}', "x: has no values"),
    ],
)
def test_every_bad_input_exits_2_naming_field_and_index(request_text: str, prefix: str) -> None:
    code, out = run_strict(request_text)
    assert code == 2, out
    assert set(out) == {"error"} and out["error"].startswith(prefix), out["error"]


def test_non_utf8_input_is_malformed_json() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b'{"chart": "i", "y": [1, \xff]}'), encoding="utf-8")
    out = io.StringIO()
    assert main([], stream, out) == 2
    assert json.loads(out.getvalue())["error"].startswith("request: malformed JSON")


def test_result_is_strict_json_with_nulls_booleans_and_integers() -> None:
    # Constant screened I chart: NaN limits must come out as null, never NaN.
    code, out = run_strict('{"chart": "i", "x": [1, 2, 3, 4], "y": [5, 5, 5, null], "options": {}}')
    assert code == 0
    assert out["ucl"] == [None] * 4 and out["lcl_95"] == [None] * 4 and out["y"][3] is None
    assert out["cl"] == [5, 5, 5, 5] and all(type(v) is int for v in out["cl"])
    assert all(type(v) is bool for v in out["signals"]["outside_limits"] + out["baseline"] + out["include"])
    assert type(out["runs_signal"]) is bool and type(out["n_obs"]) is int and out["longest_run"] is None
    assert all(type(v) is int for v in out["y_length"] + out["part"])
    code, nhs = run_strict(
        '{"chart": "xmr", "x": ["2021-01-01", "2021-01-02", "2021-01-03"], "y": [1, null, 3]}'
    )
    assert code == 0
    assert nhs["relative_to_mean"] == [-1, None, 1] and type(nhs["rebase_group"][0]) is int
    assert all(type(v) is bool for v in nhs["close_to_limits"] + nhs["short_group_warning"])
    assert nhs["runs_signal"] is None and nhs["assurance_type"] is None


def test_huge_values_never_leak_infinity() -> None:
    code, out = run_strict('{"chart": "c", "y": [1e308, 1e308, 1e308], "options": {"multiply": 10}}')
    assert code == 0 and out["y"] == [None] * 3 and out["cl"] == [None] * 3

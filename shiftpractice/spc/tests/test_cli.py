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
    assert code == 0 and out["cl"] == [4.0] * 4 and isinstance(out["explanations"], list)
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
        ('{"chart": "i", "y": [1, 2], "options": {"exclude": [5]}}', "options.exclude"),
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

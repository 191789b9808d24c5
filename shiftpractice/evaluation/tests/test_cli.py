"""The JSON command line contract: status 0 with the result, 2 with {"error": ...} for bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shiftpractice.evaluation.analysis import main

REPO_ROOT = Path(__file__).resolve().parents[3]
SPEC_FIELDS = ["n_pairs", "n_positive", "n_negative", "t_test", "wilcoxon", "sign_test", "effect_size"]


def run(text: str, *args: str) -> tuple[int, Any]:
    out = io.StringIO()
    code = main(list(args), io.StringIO(text), out)
    return code, json.loads(out.getvalue())


def run_process(text: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shiftpractice.evaluation.analysis", *args],
        input=text,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )


def test_valid_input_gives_exactly_the_spec_fields() -> None:
    code, out = run('{"before": [3, 4, 2, 5, null], "after": [4, 6, 2, 7, 6]}')
    assert code == 0 and list(out) == SPEC_FIELDS
    assert list(out["t_test"]) == ["mean_difference", "ci_low", "ci_high", "t", "df", "p_value"]
    assert list(out["wilcoxon"]) == ["n_nonzero", "v", "p_value", "method", "estimate", "ci_low", "ci_high"]
    assert out["n_pairs"] == 4 and out["wilcoxon"]["estimate"] is None


def test_details_adds_the_people_lost_and_the_reasons() -> None:
    code, out = run('{"before": [3, 4, 2, 5, null], "after": [4, 6, 2, 7, 6]}', "--details")
    assert code == 0 and list(out) == [*SPEC_FIELDS, "details", "reasons"]
    assert out["details"] == {
        "n_people": 5,
        "n_missing": 1,
        "n_unchanged": 1,
        "median_before": 3.5,
        "median_after": 5,
        "walsh_median": 1.25,  # d = 1, 2, 0, 2: the 10 Walsh averages 0 .. 2, middle two 1 and 1.5
    }
    assert set(out["reasons"]) == {"wilcoxon.estimate", "wilcoxon.ci_low", "wilcoxon.ci_high"}


def test_help() -> None:
    out = io.StringIO()
    assert main(["--help"], io.StringIO(""), out) == 0 and "usage:" in out.getvalue()


def test_other_keys_are_ignored() -> None:
    code, out = run('{"id": "x", "kind": "ons", "before": [1, 2, 3], "after": [2, 4, 3], "expected": {}}')
    assert code == 0 and out["n_pairs"] == 3


@pytest.mark.parametrize(
    ("request_text", "needle"),
    [
        ('{"before": [1, 2, 3], "after": [1, 2]}', "different lengths (3 and 2)"),
        ('{"before": [1, "two", 3], "after": [1, 2, 4]}', "before[1]: text is not a number"),
        ('{"before": [1, 2, 3], "after": [1, true, 4]}', "after[1]: not a number"),
        ('{"before": [1, 2, 3], "after": [1, [2], 4]}', "after[1]: not a number"),
        ('{"before": [1, 2, 3], "after": [1, {}, 4]}', "after[1]: not a number"),
        ('{"before": "1, 2", "after": [1, 2]}', "before: must be a list"),
        ('{"before": {"a": 1}, "after": [1, 2]}', "before: must be a list"),
        ('{"before": null, "after": [1, 2]}', "before: must be a list"),
        ('{"before": [], "after": []}', "fewer than 2 complete pairs (0)"),
        ('{"before": [1], "after": [2]}', "fewer than 2 complete pairs (1)"),
        ('{"before": [1, null, 3], "after": [2, 4, null]}', "fewer than 2 complete pairs (1)"),
        ('{"before": [1, 2, 3], "after": [1, 2, 3]}', "every difference is zero"),
        ('{"before": [1, 2, null], "after": [1, 2, 9]}', "every difference is zero"),
        ('{"before": [1, 2], "after": [1, NaN]}', "NaN is not valid JSON"),
        ('{"before": [1, 2], "after": [1, Infinity]}', "Infinity is not valid JSON"),
        ('{"before": [1, 1e400], "after": [1, 2]}', "before[1]: not a finite number"),
        ('{"before": [1, ' + "9" * 400 + '], "after": [1, 2]}', "before[1]: number too large"),
        ('{"before": [1, ' + "9" * 5000 + '], "after": [1, 2]}', "malformed JSON"),
        ('{"before": [-1e308, 0], "after": [1e308, 1]}', "after[0]: after - before is too large"),
        ('{"before": [1, 2]}', "after: missing"),
        ('{"after": [1, 2]}', "before: missing"),
        ("[[1, 2], [3, 4]]", "request: must be a JSON object"),
        ("null", "request: must be a JSON object"),
        ('{"before": [1, 2], ', "request: malformed JSON"),
        ("", "request: malformed JSON"),
        ("[" * 100000, "request: "),
    ],
)
def test_bad_input_exits_2_with_an_error(request_text: str, needle: str) -> None:
    code, out = run(request_text)
    assert code == 2 and list(out) == ["error"] and needle in out["error"], out


def test_unknown_argument_exits_2() -> None:
    code, out = run('{"before": [1, 2], "after": [2, 3]}', "--verbose")
    assert code == 2 and "--verbose" in out["error"]


def test_bad_input_through_a_separate_process_exits_2_without_a_traceback() -> None:
    proc = run_process('{"before": [1, 2, 3], "after": [1, 2]}')
    assert proc.returncode == 2 and proc.stderr == ""
    assert json.loads(proc.stdout) == {
        "error": "before, after: different lengths (3 and 2); give one position per person"
    }
    proc = run_process('{"before": [4, 4], "after": [4, 4]}')
    assert proc.returncode == 2 and "every difference is zero" in json.loads(proc.stdout)["error"]


def test_bytes_that_are_not_utf8_exit_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "shiftpractice.evaluation.analysis"],
        input=b'{"before": [1, 2], "after": [\xff]}',
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2 and proc.stderr == b""
    assert json.loads(proc.stdout)["error"].startswith("request: malformed JSON")


def test_the_same_input_gives_the_same_bytes() -> None:
    text = json.dumps({"before": [5, 7, None, 3, 8, 6, 2], "after": [6, 7, 4, 5, 9, 4, 2.5]})
    first, second = run_process(text, "--details"), run_process(text, "--details")
    assert first.returncode == 0 and first.stdout == second.stdout
    assert first.stdout.endswith("\n") and "NaN" not in first.stdout

"""The fast command line: explanations on request, array parsing and writing equal to the plain path."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiftpractice.spc import ChartRequest, SPCInputError, compute, compute_dict, jsonout
from shiftpractice.spc.cli import main
from shiftpractice.spc.validate import request_from_mapping

MONTHS = [f"20{20 + i // 12}-{i % 12 + 1:02d}-01" for i in range(36)]
STEP = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 15, 16, 14, 15, 16, 17, 15, 16, 14, 15, 30, 15]


def cli(request: Any, *args: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    text = request if isinstance(request, str) else json.dumps(request)
    code = main(list(args), io.StringIO(text), out)
    return code, json.loads(out.getvalue())


def cli_bytes(request: dict[str, Any], *args: str) -> tuple[int, dict[str, Any]]:
    """Through binary streams, as a real process gets them."""
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(request).encode()), encoding="utf-8")
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8")
    code = main(list(args), stdin, stdout)
    stdout.flush()
    return code, json.loads(raw.getvalue())


def plain(request: dict[str, Any], details: bool = False, explain: bool = True) -> dict[str, Any]:
    """The reference path: Python lists, the standard library's JSON."""
    res = compute(request_from_mapping(request, explain_default=explain))
    return json.loads(json.dumps(res.to_dict(details=details), allow_nan=False))


# --------------------------------------------------------------------- explain


def test_explanations_are_off_by_default_on_the_command_line_and_on_in_python() -> None:
    req = {"chart": "xmr", "x": MONTHS[:24], "y": STEP}
    code, out = cli(req)
    assert code == 0 and "explanations" not in out and out["rule_set"]["name"] == "nhs"
    assert compute_dict(req)["explanations"]  # the web app's default
    assert compute(ChartRequest("xmr", MONTHS[:24], STEP)).to_dict()["explanations"]


def test_explanations_on_request() -> None:
    req = {"chart": "xmr", "x": MONTHS[:24], "y": STEP}
    expected = compute_dict(req)["explanations"]
    assert cli(req, "--explain")[1]["explanations"] == expected
    assert cli({**req, "explain": True})[1]["explanations"] == expected
    assert "explanations" not in cli({**req, "explain": False}, "--explain")[1]  # the request decides
    _code, out = cli(req, "--details")
    assert out["explanations"] == expected and out["signal_details"]
    assert "explanations" not in compute(ChartRequest("i", None, STEP, explain=False)).to_dict()


def test_explain_must_be_a_boolean() -> None:
    code, out = cli({"chart": "i", "y": [1, 2], "explain": "yes"})
    assert code == 2 and out["error"] == "explain: must be true or false"
    with pytest.raises(SPCInputError, match="explain"):
        compute_dict({"chart": "i", "y": [1, 2], "explain": 1})


# -------------------------------------------------- fast paths equal the plain ones


@pytest.mark.parametrize(
    "request_",
    [
        {"chart": "xmr", "x": MONTHS[:24], "y": STEP, "options": {"rebase": [MONTHS[12]], "target": 12}},
        {"chart": "i", "x": MONTHS[:24], "y": [*STEP[:5], None, *STEP[6:]]},
        {"chart": "p", "y": [3, 4, 5, 2, 6, 4, 3, 9], "n": [20, 21, 19, 20, 22, 20, 20, 21]},
        {"chart": "run", "x": ["b", "a_", "a-", "B", "10", "9"] * 3, "y": list(range(18))},
        {"chart": "xbar", "x": [1, 1, 2, 2, 3, 3, 4, 4], "y": [1.5, 2, 3, 4.25, 5, 6, 7, 8.5]},
        {"chart": "t", "x": [0.5, 1.5, 2.5, 3.5], "y": [1, 2, 3, 40]},
        {"chart": "xmr", "x": ["2021-01-01", "2021-01-02", "2021-01-03"], "y": [1, None, 3]},
        {"chart": "c", "y": [1e308, 1e308, 1e308], "options": {"multiply": 10}},
        {"chart": "u", "y": [1, 2, 3, 2], "n": [10, 10, 10, 10], "options": {"rules": "ihi"}},
    ],
)
def test_the_command_line_writes_what_to_dict_gives(request_: dict[str, Any]) -> None:
    assert cli(request_, "--details")[1] == plain(request_, details=True)
    assert cli_bytes(request_)[1] == plain(request_, explain=False)


def test_long_arrays_are_written_in_blocks_that_join_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonout, "BLOCK", 5)
    for req in (
        {"chart": "xmr", "x": MONTHS[:24], "y": STEP},
        {"chart": "i", "x": MONTHS[:24], "y": STEP, "options": {"rules": "nhs"}},
        {"chart": "run", "x": [f"w{i % 7}" for i in range(23)], "y": list(range(23))},
        {"chart": "c", "y": [2] * 11},
    ):
        assert cli(req, "--details")[1] == plain(req, details=True)


def test_iso_dates_parsed_as_an_array_equal_dates_given_one_by_one() -> None:
    as_text = compute(ChartRequest("xmr", MONTHS[:24], STEP)).to_dict()
    as_dates = compute(ChartRequest("xmr", np.array(MONTHS[:24], dtype="datetime64[D]"), STEP)).to_dict()
    assert as_text == as_dates


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (["2021-01-01", "2021-02-30"], "x[1]: '2021-02-30' is not a valid date"),
        (["2021-01-01", "2021-1-02"], "x[1]: '2021-1-02' is not an ISO date"),
        (["2021-01-01", None], None),
        (["0000-01-01", "2021-01-01"], "x[0]: '0000-01-01' is not a valid date"),
        (["2021-01-01", "2021-01-02\\u0000"], "x[1]"),
    ],
)
def test_dates_the_array_parser_refuses_get_the_exact_message(x: list[Any], message: str | None) -> None:
    text = '{"chart": "run", "x": ' + json.dumps(x).replace("\\\\u", "\\u") + ', "y": [1, 2]}'
    code, out = cli(text)
    if message is None:
        assert code == 0 and out["x"] == ["2021-01-01"]
    else:
        assert code == 2 and out["error"].startswith(message), out


def test_a_label_with_a_lone_surrogate_is_still_written_as_strict_json() -> None:
    code, out = cli('{"chart": "run", "x": ["a", "\\ud800"], "y": [1, 2]}')
    assert code == 0 and len(out["x"]) == 2


valid_requests = st.fixed_dictionaries(
    {
        "chart": st.sampled_from(["run", "i", "xmr", "c", "mr", "g"]),
        "y": st.lists(
            st.one_of(st.integers(0, 40), st.floats(0, 50, allow_nan=False), st.just(0.5)),
            min_size=1,
            max_size=40,
        ),
    },
    optional={
        "options": st.fixed_dictionaries({}, optional={"rules": st.sampled_from(["anhoej", "nhs", "ihi"])})
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_requests, st.booleans())
def test_the_command_line_agrees_with_compute_dict(request_: dict[str, Any], dated: bool) -> None:
    if dated:
        request_ = {**request_, "x": MONTHS[: len(request_["y"])] if len(request_["y"]) <= 36 else None}
        if request_["x"] is None:
            del request_["x"]
    try:
        expected = plain(request_, details=True)
    except SPCInputError as err:
        code, out = cli(request_, "--details")
        assert code == 2 and out["error"] == str(err)
        return
    assert cli(request_, "--details")[1] == expected

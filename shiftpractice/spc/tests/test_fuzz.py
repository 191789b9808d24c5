"""Hypothesis fuzzing of the JSON contract.

Whatever JSON-ish request comes in, the in-process entry points either return
a result that is strict JSON (no NaN or Infinity tokens, per-point lists of the
right length, booleans as booleans) or raise the one named exception,
:class:`SPCInputError`. The command line turns that into exit status 2 and an
``{"error": ...}`` object; it never exits 1 (an internal error) on any input.
"""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shiftpractice.spc import CHART_TYPES, SPCInputError, compute_dict
from shiftpractice.spc.cli import main

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _strict(name: str) -> Any:
    raise AssertionError(f"non-strict JSON token {name}")


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.integers(min_value=-5, max_value=40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-100, max_value=100),
    st.text(max_size=5),
    st.sampled_from(["2021-01-01", "2021-02-30", "2021-03-01", "A", "a", "B", "abc", ""]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
numbers = st.one_of(
    st.none(),
    st.integers(min_value=-3, max_value=30),
    st.floats(min_value=-50, max_value=50, allow_nan=False),
    st.sampled_from([0, 0.5, 1, 1e308, -1e-300]),
)
number_lists = st.lists(numbers, min_size=0, max_size=30)
dates = st.dates().map(lambda d: d.isoformat())
x_lists = st.one_of(
    st.lists(st.one_of(st.none(), st.integers(min_value=-3, max_value=30)), max_size=30),
    st.lists(
        st.one_of(st.none(), st.sampled_from(["2021-01-01", "2021-01-02", "2021-02-01", "2022-07-15"])),
        max_size=30,
    ),
    st.lists(st.one_of(st.none(), dates), max_size=30),
    st.lists(st.sampled_from(["A", "b", "B", "c", "Ward 10", "ward 2"]), max_size=30),
)
option_values = {
    "screened_mr": st.one_of(st.booleans(), json_values),
    "freeze": st.one_of(st.integers(min_value=-2, max_value=40), json_values),
    "part": st.one_of(st.lists(st.integers(min_value=-2, max_value=40), max_size=4), json_values),
    "exclude": st.one_of(st.lists(st.integers(min_value=-1, max_value=40), max_size=4), json_values),
    "multiply": st.one_of(st.sampled_from([1, 100, 0.5, 1e300]), json_values),
    "cl": st.one_of(st.floats(min_value=-10, max_value=10), json_values),
    "agg_fun": st.one_of(st.sampled_from(["mean", "median", "sum", "sd"]), json_values),
    "rules": st.one_of(st.sampled_from(["anhoej", "nhs", "ihi", "custom"]), json_values),
    "improvement_direction": st.one_of(st.sampled_from(["increase", "decrease", "neutral"]), json_values),
    "rebase": st.one_of(
        st.lists(st.sampled_from(["2021-01-01", "2021-01-02", "1999-01-01"]), max_size=2), json_values
    ),
    "fix_after_n_points": st.one_of(st.sampled_from([None, 12, 13, 100]), json_values),
    "target": st.one_of(st.floats(min_value=-10, max_value=10), json_values),
    "screen_outliers": st.one_of(st.booleans(), json_values),
    "bogus": json_values,
}
options = st.fixed_dictionaries({}, optional={k: v for k, v in option_values.items()})


@st.composite
def requests(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 19)) == 0:
        return draw(json_values)  # not even an object
    y = draw(st.one_of(number_lists, json_values)) if draw(st.booleans()) else draw(number_lists)
    size = len(y) if isinstance(y, list) else draw(st.integers(0, 5))
    req: dict[str, Any] = {
        "chart": draw(st.one_of(st.sampled_from(CHART_TYPES), json_values)),
        "y": y,
    }
    if draw(st.booleans()):
        xs = draw(x_lists)
        req["x"] = (xs * (size // max(len(xs), 1) + 1))[:size] if xs and draw(st.booleans()) else xs
    if draw(st.booleans()):
        req["n"] = draw(st.one_of(st.none(), st.lists(numbers, min_size=size, max_size=size), json_values))
    if draw(st.booleans()):
        req["options"] = draw(st.one_of(options, json_values))
    if draw(st.integers(0, 9)) == 0:
        req[draw(st.text(max_size=3))] = draw(json_values)
    return req


def _check_result(out: dict[str, Any]) -> None:
    text = json.dumps(out, allow_nan=False)
    back = json.loads(text, parse_constant=_strict)
    size = len(back["x"])
    for key in ("y", "cl", "lcl", "ucl"):
        assert len(back[key]) == size
        assert all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in back[key])
    for flags in back["signals"].values():
        assert len(flags) == size and all(isinstance(v, bool) for v in flags)
    assert all(isinstance(t, str) and t for t in back.get("explanations", ["on request only"]))


@FUZZ
@given(requests())
def test_compute_dict_returns_strict_json_or_raises_spc_input_error(req: Any) -> None:
    try:
        out = compute_dict(req)
    except SPCInputError as err:
        assert str(err) and err.field
        return
    _check_result(out)


@FUZZ
@given(requests())
def test_cli_exits_0_or_2_with_strict_json(req: Any) -> None:
    text = json.dumps(req)  # may contain NaN/Infinity tokens: the CLI must refuse them
    stdout = io.StringIO()
    code = main([], io.StringIO(text), stdout)
    out = json.loads(stdout.getvalue(), parse_constant=_strict)
    assert code in (0, 2), out
    if code == 2:
        assert set(out) == {"error"} and isinstance(out["error"], str)
    else:
        _check_result(out)

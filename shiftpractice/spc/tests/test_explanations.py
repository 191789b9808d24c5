"""Plain-language explanations: wording, plurals, numbers, labels, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from shiftpractice.spc import ChartRequest, compute
from shiftpractice.spc.explain import XLabeler, format_number, plural

MONTHS = [f"{2021 + i // 12}-{i % 12 + 1:02d}-01" for i in range(36)]


def texts(chart: str, x: object, y: list, n: list | None = None, **opts: object) -> list[str]:
    return list(compute(ChartRequest(chart, x, y, n, opts)).explanations)


def test_one_crossing_is_singular() -> None:
    out = texts("run", MONTHS[:16], [1] * 8 + [5] * 8)
    assert out[0] == (
        "Too few crossings (Anhøj's rule): the data cross the median only 1 time from January "
        "2021 to April 2022. With 16 points off the median, random variation would usually give "
        "at least 4 crossings, so this is a sign of a shift or trend in the process. It does not "
        "say when the change happened or what caused it."
    )
    assert not any("1 times" in t for t in out)


def test_two_crossings_are_plural() -> None:
    out = texts("run", None, [1] * 7 + [5] * 7 + [1] * 4 + [5] * 4)  # median 3; 22 useful points, min 7
    assert any("cross the median only 3 times" in t for t in out)


def test_consecutive_points_outside_are_plural() -> None:
    out = texts("c", None, [2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 30, 31, 32, 2, 3], freeze=10)
    # baseline mean 2.5: UCL 2.5 + 3 sqrt(2.5) = 7.243
    assert out == [
        "Points outside the limits: 3 points in a row from point 11 to point 13 are above the "
        "upper control limit (7.243). Values this far from the mean are very unlikely to be "
        "common-cause variation, so look for a specific cause at those times; several in a row "
        "suggest the process itself may have changed. The chart does not tell you what the "
        "cause was."
    ]


def test_single_point_outside_with_exclusion_note() -> None:
    out = texts("i", None, [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 40], exclude=[11])
    assert out == [
        "Point outside the limits: point 11 (40) is above the upper control limit (8.16). A value "
        "this far from the mean is very unlikely to be common-cause variation, so look for a "
        "specific cause at that time. On its own, one point outside the limits does not show that "
        "the whole process has changed, and the chart does not tell you what the cause was. This "
        "point was excluded from the calculation of the centre line and limits."
    ]


def test_nhs_texts_name_rule_points_meaning_and_verdict() -> None:
    y = [10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 11, 10, 15, 15, 16, 15, 15, 16, 15, 15]
    res = compute(ChartRequest("xmr", MONTHS[:20], y, None, {"improvement_direction": "decrease"}))
    shift = [d for d in res.signal_details if d.rule == "shift" and d.direction == 1]
    assert [d.text for d in shift] == [
        "Shift (7 or more points in a row on one side of the mean): 8 points in a row are above "
        "the mean from January to August 2022. A run this long is unlikely to be chance, so "
        "something has probably changed the process since January 2022. It does not by itself "
        "prove that your change idea caused it. Because lower is better, this is a concern."
    ]
    assert shift[0].indices == tuple(range(12, 20)) and shift[0].direction == 1


def test_every_text_names_a_rule_and_says_what_it_does_not_mean() -> None:
    y = [1.0, -1.0] * 7 + [4.0, 4.2, 1.0] + [1, 2, 3, 4, 5, 6, 7] + [40.0]
    res = compute(ChartRequest("xmr", MONTHS[: len(y)], y, None, {"rules": {"name": "nhs"}}))
    heads = {
        "outside_limits": "Point outside the limits: ",
        "trend": "Trend (7 or more points in a row, each higher than the one before): ",
        "two_in_three": "Two of three points close to a limit: ",
        "shift": "Shift (7 or more points in a row on one side of the mean): ",
    }
    assert {d.rule for d in res.signal_details} >= {"outside_limits", "trend"}
    for d in res.signal_details:
        assert d.text.startswith(heads[d.rule]), d.text
        assert " not " in d.text
        assert "2021" in d.text or "2022" in d.text or "2023" in d.text


def test_two_in_three_lists_months_sharing_the_year() -> None:
    base = [1.0, -1.0] * 7
    res = compute(ChartRequest("xmr", MONTHS[:17], [*base, 4.0, 4.2, 1.0], None, {"fix_after_n_points": 14}))
    (d,) = [d for d in res.signal_details if d.rule == "two_in_three"]
    assert d.text.startswith(
        "Two of three points close to a limit: March and April 2022 are more than two sigma above "
        "the mean, close to the upper limit"
    )


def test_rebase_groups_are_named_as_reported() -> None:
    y = [1.0, 3.0] * 7 + [11.0, 13.0] * 6 + [30.0]
    d = MONTHS[: len(y)]
    res = compute(ChartRequest("xmr", d, y, None, {"rebase": [d[0], d[14]]}))
    assert res.rebase_group.tolist() == [1] * 14 + [2] * 13
    (out,) = [s for s in res.signal_details if s.rule == "outside_limits"]
    assert out.group == 2 and "(rebase group 2)" in out.text


def test_texts_are_deterministic() -> None:
    y = [*list(np.random.default_rng(7).normal(size=60).round(3)), 9.0]
    a = compute(ChartRequest("xmr", None, y)).explanations
    b = compute(ChartRequest("xmr", None, y)).explanations
    assert a == b and len(a) >= 1


def test_no_signal_text() -> None:
    assert texts("i", MONTHS[:10], [1, 2, 1, 2, 1, 2, 1, 2, 1, 2]) == [
        "No signals from January to October 2021: the variation is what you would expect from a "
        "stable process (common-cause variation). This does not mean the process is good enough, "
        "only that it is predictable."
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (128.174910231972, "128.2"),
        (0.0955102, "0.09551"),
        (17.0, "17"),
        (-3.0, "-3"),
        (12345.678, "12,346"),
        (1234567.0, "1,234,567"),
        (0.5, "0.5"),
        (-0.0, "0"),
        (2.0000000001, "2"),
        (float("nan"), "missing"),
    ],
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


def test_plural() -> None:
    assert [plural(k, "time") for k in (0, 1, 2)] == ["0 times", "1 time", "2 times"]


def test_labels_and_spans() -> None:
    daily = XLabeler(np.array(["2021-03-03", "2021-05-09"], dtype="datetime64[D]"), "date")
    assert daily.label(0) == "3 Mar 2021" and daily.at(0) == "on 3 Mar 2021"
    monthly = XLabeler(np.array(["2021-11-01", "2022-01-01"], dtype="datetime64[D]"), "date")
    assert monthly.span(0, 1) == "from November 2021 to January 2022" and monthly.at(1) == "in January 2022"
    assert monthly.listing([0, 1]) == "November 2021 and January 2022"
    ints = XLabeler(np.array([3, 4, 8]), "int")
    assert ints.listing([0, 1, 2]) == "points 3, 4 and 8" and ints.listing([1]) == "point 4"
    assert XLabeler(["AHH", "BFH"], "category").span(0, 1) == "from AHH to BFH"

"""shiftpractice SPC engine: run charts, Shewhart charts and NHS XmR charts.

A pure Python package (NumPy and the standard library only) that reproduces
qicharts2 0.8.1 and NHSRplotthedots 0.2.2; see ``docs/spc.md``.

Examples
--------
>>> from shiftpractice.spc import ChartRequest, compute
>>> y = [5, 6, 5, 7, 6, 5, 6, 5, 7, 6, 30, 6]
>>> res = compute(ChartRequest("i", x=None, y=y))
>>> round(float(res.cl[0]), 3), bool(res.signals["outside_limits"][10])
(7.833, True)
>>> [d.text[:55] for d in res.signal_details if d.rule == "outside_limits"]
['Point outside the limits: point 11 (30) is above the up']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import SPCInputError
from .registry import (
    RULE_SET_SPECS,
    RULE_SETS,
    RULES,
    Rule,
    RuleSetSpec,
    SignalKind,
    default_rule_set,
    register_rule,
    register_rule_set,
    rule_label,
    rule_set_label,
    signal_kind,
)
from .rules import RuleInput, RuleSet
from .types import (
    CHART_TYPES,
    QIC_CHARTS,
    ChartRequest,
    ChartResult,
    Labels,
    PartSummary,
    SignalDetail,
)

if TYPE_CHECKING:
    from .validate import Prepared

__all__ = [
    "CHART_TYPES",
    "QIC_CHARTS",
    "RULES",
    "RULE_SETS",
    "RULE_SET_SPECS",
    "ChartRequest",
    "ChartResult",
    "Labels",
    "PartSummary",
    "Rule",
    "RuleInput",
    "RuleSet",
    "RuleSetSpec",
    "SPCInputError",
    "SignalDetail",
    "SignalKind",
    "compute",
    "compute_dict",
    "default_rule_set",
    "register_rule",
    "register_rule_set",
    "rule_label",
    "rule_set_label",
    "signal_kind",
]


def compute(request: ChartRequest) -> ChartResult:
    """Compute one chart.

    Parameters
    ----------
    request : ChartRequest
        The chart type, data and options.

    Returns
    -------
    ChartResult
        Centre line, limits, signals and their explanations.

    Raises
    ------
    SPCInputError
        For any invalid input; the message names the field and index.

    Examples
    --------
    >>> res = compute(ChartRequest("run", x=[1, 2, 3, 4], y=[3, 1, 4, 1]))
    >>> float(res.cl[0]), res.n_useful
    (2.0, 4)
    >>> compute(ChartRequest("p", x=[1, 2], y=[3, 5], n=[10, 4]))
    Traceback (most recent call last):
    ...
    shiftpractice.spc.errors.SPCInputError: y[1]: a proportion's numerator exceeds its denominator n
    """
    from .validate import prepare

    if not isinstance(request, ChartRequest):
        raise SPCInputError("request", "must be a ChartRequest")
    import numpy as np

    # Overflow to infinity is handled explicitly (non-finite limits become
    # missing), so NumPy's floating-point warnings would only be noise.
    with np.errstate(all="ignore"):
        return compute_prepared(prepare(request))


def compute_prepared(prep: Prepared) -> ChartResult:
    """Compute a chart from a request already validated by ``validate.prepare``.

    The command line uses it to drop the request's Python lists before the
    chart is computed.
    """
    import numpy as np

    from .nhs import compute_xmr
    from .qic import compute_qic

    with np.errstate(all="ignore"):
        if prep.chart == "xmr":
            return compute_xmr(prep)
        return compute_qic(prep)


def compute_dict(data: object) -> dict[str, object]:
    """Compute a chart from the JSON contract and return the JSON result.

    Examples
    --------
    >>> out = compute_dict({"chart": "c", "y": [2, 4, 3], "options": {}})
    >>> out["cl"]
    [3, 3, 3]
    """
    from collections.abc import Mapping

    from .validate import request_from_mapping

    if not isinstance(data, Mapping):
        raise SPCInputError("request", "must be a JSON object")
    return compute(request_from_mapping(data)).to_dict()

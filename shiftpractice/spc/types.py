"""Request and result types of the SPC engine.

The result keeps per-point data as NumPy arrays so that a million-point chart
stays small; :meth:`ChartResult.to_dict` turns it into the JSON contract.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "CHART_TYPES",
    "QIC_CHARTS",
    "ChartRequest",
    "ChartResult",
    "Labels",
    "PartSummary",
    "SignalDetail",
]

#: qicharts2-style chart types.
QIC_CHARTS = ("run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g", "ip")
#: Every chart type the engine accepts (``xmr`` is NHS Making Data Count).
CHART_TYPES = (*QIC_CHARTS, "xmr")

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class ChartRequest:
    """One chart to compute.

    Parameters
    ----------
    chart : str
        One of :data:`CHART_TYPES`.
    x : sequence or ndarray, optional
        Subgroup per input row: integers, ISO dates (``"YYYY-MM-DD"`` strings,
        :class:`datetime.date` or ``datetime64``) or category labels. ``None``
        (or NaN/NaT) marks a missing x; the row is dropped. When the whole of
        ``x`` is ``None`` the rows are numbered 1, 2, ...
    y : sequence or ndarray
        Value per input row; ``None``/NaN is a missing value.
    n : sequence or ndarray, optional
        Denominator per input row (p, pp, u, up, ip, or an I chart of ratios).
    options : mapping, optional
        Chart options, named as in the reference case file (see ``docs/spc.md``).

    Examples
    --------
    >>> req = ChartRequest("i", x=[1, 2, 3], y=[1.0, 2.0, 4.0])
    >>> req.chart, dict(req.options)
    ('i', {})
    """

    chart: str
    x: Any
    y: Any
    n: Any = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.options, Mapping):
            # Freeze the options so that the request really is immutable.
            object.__setattr__(self, "options", MappingProxyType(dict(self.options)))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChartRequest:
        """Build a request from the JSON contract (keys chart, x, y, n, options).

        Examples
        --------
        >>> ChartRequest.from_dict({"chart": "run", "y": [1, 2]}).chart
        'run'
        """
        from .validate import request_from_mapping

        return request_from_mapping(data)


class Labels(Sequence[str]):
    """A compact, read-only sequence of text labels (codes into a name table).

    Examples
    --------
    >>> lab = Labels(np.array([0, 1, 0], dtype=np.int8), ("low", "high"))
    >>> list(lab), lab[1], len(lab)
    (['low', 'high', 'low'], 'high', 3)
    >>> lab == ["low", "high", "low"]
    True
    """

    __slots__ = ("codes", "names")

    def __init__(self, codes: npt.NDArray[np.integer[Any]], names: Sequence[str]) -> None:
        self.codes = codes
        self.names = tuple(names)

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self.names[c] for c in self.codes[i].tolist()]
        return self.names[int(self.codes[i])]

    def __iter__(self) -> Iterator[str]:
        names = self.names
        return (names[c] for c in self.codes.tolist())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Labels):
            return self.tolist() == other.tolist()
        if isinstance(other, (list, tuple)):
            return self.tolist() == list(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self.tolist()))

    def __repr__(self) -> str:
        return f"Labels({self.tolist()!r})"

    def tolist(self) -> list[str]:
        """Return the labels as a plain list."""
        names = self.names
        return [names[c] for c in self.codes.tolist()]


@dataclass(frozen=True)
class PartSummary:
    """Anhøj runs analysis of one phase (qicharts2 ``parts`` entry)."""

    part: int
    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    runs_signal: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "part": self.part,
            "n_obs": self.n_obs,
            "n_useful": self.n_useful,
            "longest_run": self.longest_run,
            "longest_run_max": self.longest_run_max,
            "n_crossings": self.n_crossings,
            "n_crossings_min": self.n_crossings_min,
            "runs_signal": self.runs_signal,
        }


@dataclass(frozen=True)
class SignalDetail:
    """One signal episode, for marking points in a user interface.

    Attributes
    ----------
    rule : str
        Rule id, e.g. ``"outside_limits"``, ``"shift"``, ``"trend"``,
        ``"two_in_three"``, ``"anhoej_long_run"``, ``"anhoej_few_crossings"``,
        ``"ihi_runs"``, ``"astronomical"``.
    indices : tuple of int
        0-based indices of the plotted points involved.
    direction : int
        +1 above/upwards, -1 below/downwards, 0 when it has no direction.
    group : int
        1-based phase (qicharts2 ``part``) or the ``rebase_group`` number (xmr).
    text : str
        The plain-language explanation.
    """

    rule: str
    indices: tuple[int, ...]
    direction: int
    group: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "rule": self.rule,
            "indices": list(self.indices),
            "direction": self.direction,
            "group": self.group,
            "text": self.text,
        }


_EXACT_INT = 2.0**53


def json_number(v: float) -> int | float | None:
    """One number in its JSON form: ``None`` when not finite, an int when whole.

    Whole numbers are written without a fraction (``17``, not ``17.0``), as the
    reference output writes them; this never changes the value.

    Examples
    --------
    >>> json_number(17.0), json_number(0.25), json_number(float("nan")), json_number(-0.0)
    (17, 0.25, None, 0)
    """
    if v.is_integer():
        return int(v) if -_EXACT_INT <= v <= _EXACT_INT else v
    return v if math.isfinite(v) else None


def float_list(values: Any) -> list[int | float | None]:
    """Per-point numbers as a JSON-ready list (see :func:`json_number`)."""
    out: list[float] = np.asarray(values, dtype=np.float64).tolist()
    return [json_number(v) for v in out]


def _opt_float(v: float | None) -> float | None:
    if v is None or not math.isfinite(v):
        return None
    return float(v)


@dataclass(frozen=True, eq=False)
class ChartResult:
    """The computed chart.

    Per-point fields are NumPy arrays (or :class:`Labels`), one entry per
    plotted point after aggregation and sorting by x. Fields that do not apply
    to the chart family are ``None``. ``explanations`` and ``signal_details``
    are built on first access, so computing a chart stays cheap.

    See ``docs/spc.md`` for the meaning of every field.
    """

    chart: str
    x: Any
    y: FloatArray
    cl: FloatArray
    lcl: FloatArray
    ucl: FloatArray
    signals: Mapping[str, BoolArray]
    rule_set: Mapping[str, Any]
    x_kind: str = "int"
    # qicharts2-style fields
    n: FloatArray | None = None
    y_length: npt.NDArray[np.int64] | None = None
    lcl_95: FloatArray | None = None
    ucl_95: FloatArray | None = None
    part: npt.NDArray[np.int64] | None = None
    baseline: BoolArray | None = None
    include: BoolArray | None = None
    runs_signal: bool | None = None
    longest_run: int | None = None
    longest_run_max: int | None = None
    n_crossings: int | None = None
    n_crossings_min: int | None = None
    n_obs: int | None = None
    n_useful: int | None = None
    runs_signal_any: bool | None = None
    parts: tuple[PartSummary, ...] | None = None
    messages: tuple[str, ...] | None = None
    # NHS Making Data Count fields
    rebase_group: npt.NDArray[np.int64] | None = None
    short_group_warning: BoolArray | None = None
    relative_to_mean: npt.NDArray[np.int8] | None = None
    close_to_limits: BoolArray | None = None
    special_cause_type: Labels | None = None
    point_type: Labels | None = None
    variation_type: str | None = None
    variation_icon: str | None = None
    assurance_type: str | None = None
    assurance_icon: str | None = None
    warnings: tuple[str, ...] | None = None
    target: float | None = None
    improvement_direction: str | None = None
    # Anything the explanation builder needs beyond the public fields.
    context: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_xmr(self) -> bool:
        """True for an NHS Making Data Count chart."""
        return self.chart == "xmr"

    def __len__(self) -> int:
        return int(self.y.shape[0])

    @cached_property
    def signal_details(self) -> tuple[SignalDetail, ...]:
        """Structured signal episodes (rule, points, direction, text)."""
        from .explain import build_details

        return tuple(build_details(self))

    @cached_property
    def explanations(self) -> tuple[str, ...]:
        """Plain-language explanation of every signal, fit to show a participant."""
        from .explain import summary_texts

        return tuple(summary_texts(self, self.signal_details))

    def x_labels(self) -> list[Any]:
        """The plotted x values in their JSON form (ISO strings for dates)."""
        if self.x_kind == "date":
            return np.datetime_as_string(self.x, unit="D").tolist()
        if isinstance(self.x, np.ndarray):
            if self.x_kind == "float":
                return float_list(self.x)
            return self.x.tolist()
        return list(self.x)

    def to_dict(self, details: bool = False) -> dict[str, Any]:
        """Return the JSON contract (``None`` for missing values).

        Parameters
        ----------
        details : bool
            Also include ``signal_details`` (structured signal episodes).
        """
        out: dict[str, Any] = {"x": self.x_labels(), "y": float_list(self.y)}
        if self.is_xmr:
            out.update(self._nhs_dict())
        else:
            out.update(self._qic_dict())
        out["explanations"] = list(self.explanations)
        out["rule_set"] = dict(self.rule_set)
        if details:
            out["signal_details"] = [d.to_dict() for d in self.signal_details]
        return out

    def _signals_dict(self) -> dict[str, list[bool]]:
        return {k: np.asarray(v, dtype=bool).tolist() for k, v in self.signals.items()}

    def _qic_dict(self) -> dict[str, Any]:
        assert self.y_length is not None and self.part is not None
        assert self.baseline is not None and self.include is not None
        return {
            "n": None if self.n is None else float_list(self.n),
            "y_length": self.y_length.tolist(),
            "cl": float_list(self.cl),
            "lcl": float_list(self.lcl),
            "ucl": float_list(self.ucl),
            "lcl_95": float_list(self.lcl_95),
            "ucl_95": float_list(self.ucl_95),
            "part": self.part.tolist(),
            "baseline": self.baseline.tolist(),
            "include": self.include.tolist(),
            "signals": self._signals_dict(),
            "runs_signal": self.runs_signal,
            "longest_run": self.longest_run,
            "longest_run_max": self.longest_run_max,
            "n_crossings": self.n_crossings,
            "n_crossings_min": self.n_crossings_min,
            "n_obs": self.n_obs,
            "n_useful": self.n_useful,
            "runs_signal_any": self.runs_signal_any,
            "parts": [p.to_dict() for p in (self.parts or ())],
            "messages": list(self.messages or ()),
        }

    def _nhs_dict(self) -> dict[str, Any]:
        assert self.relative_to_mean is not None and self.rebase_group is not None
        assert self.short_group_warning is not None and self.close_to_limits is not None
        assert self.special_cause_type is not None and self.point_type is not None
        missing = np.isnan(self.y)
        rel: list[int | None] = self.relative_to_mean.tolist()
        if missing.any():
            rel = [None if m else r for r, m in zip(rel, missing.tolist(), strict=False)]
        return {
            "cl": float_list(self.cl),
            "lcl": float_list(self.lcl),
            "ucl": float_list(self.ucl),
            "rebase_group": self.rebase_group.tolist(),
            "short_group_warning": self.short_group_warning.tolist(),
            "relative_to_mean": rel,
            "close_to_limits": self.close_to_limits.tolist(),
            "signals": self._signals_dict(),
            "special_cause_type": self.special_cause_type.tolist(),
            "point_type": self.point_type.tolist(),
            "variation_type": self.variation_type,
            "variation_icon": self.variation_icon,
            "assurance_type": self.assurance_type,
            "assurance_icon": self.assurance_icon,
            "warnings": list(self.warnings or ()),
            "runs_signal": None,
            "longest_run": None,
            "longest_run_max": None,
            "n_crossings": None,
            "n_crossings_min": None,
        }


def optional_float(v: float | None) -> float | None:
    """``None`` for a missing or non-finite number, else the float."""
    return _opt_float(v)

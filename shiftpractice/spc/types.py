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
    explain : bool
        Whether :meth:`ChartResult.to_dict` includes the plain-language
        explanations (default True; the command line defaults to False).
        ``ChartResult.explanations`` can always be read, and is built on first
        access either way.

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
    explain: bool = True

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


#: Whole numbers below this are written as integers; from here on a float's
#: shortest decimal form has an exponent (``1e+16``) and stays a float.
WHOLE_LIMIT = 1e16


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
        return int(v) if -WHOLE_LIMIT < v < WHOLE_LIMIT else v
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
    # Whether to_dict() includes the explanations unless told otherwise.
    explain: bool = True
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
        result: list[Any] = _to_python(*self._x_field())
        return result

    def to_dict(self, details: bool = False, explain: bool | None = None) -> dict[str, Any]:
        """Return the JSON contract (``None`` for missing values).

        Parameters
        ----------
        details : bool
            Also include ``signal_details`` (structured signal episodes).
        explain : bool, optional
            Include ``explanations``; by default as the request asked
            (``ChartRequest.explain``). ``details`` implies it.
        """
        return {name: _to_python(kind, value) for name, kind, value in self.json_fields(details, explain)}

    def json_fields(self, details: bool = False, explain: bool | None = None) -> list[tuple[str, str, Any]]:
        """The JSON contract as ``(name, kind, value)``, in order: the one list of output fields.

        ``kind`` says how ``value`` becomes JSON: ``floats`` (per-point numbers,
        non-finite as null, whole ones as integers), ``array`` (integers or
        booleans), ``labels`` (a :class:`Labels`), ``dates`` (``datetime64``),
        ``signals`` (a mapping of boolean arrays), ``value`` (plain JSON data).
        :meth:`to_dict` and the command line's writer both read it.
        """
        if explain is None:
            explain = self.explain
        fields: list[tuple[str, str, Any]] = [("x", *self._x_field()), ("y", "floats", self.y)]
        fields += self._nhs_fields() if self.is_xmr else self._qic_fields()
        if explain or details:
            fields.append(("explanations", "value", list(self.explanations)))
        fields.append(("rule_set", "value", dict(self.rule_set)))
        if details:
            fields.append(("signal_details", "value", [d.to_dict() for d in self.signal_details]))
        return fields

    def _x_field(self) -> tuple[str, Any]:
        if self.x_kind == "date":
            return "dates", self.x
        if isinstance(self.x, np.ndarray):
            return ("floats", self.x) if self.x_kind == "float" else ("array", self.x)
        return "value", list(self.x)

    def _qic_fields(self) -> list[tuple[str, str, Any]]:
        assert self.y_length is not None and self.part is not None
        assert self.baseline is not None and self.include is not None
        return [
            ("n", "value", None) if self.n is None else ("n", "floats", self.n),
            ("y_length", "array", self.y_length),
            ("cl", "floats", self.cl),
            ("lcl", "floats", self.lcl),
            ("ucl", "floats", self.ucl),
            ("lcl_95", "floats", self.lcl_95),
            ("ucl_95", "floats", self.ucl_95),
            ("part", "array", self.part),
            ("baseline", "array", self.baseline),
            ("include", "array", self.include),
            ("signals", "signals", self.signals),
            ("runs_signal", "value", self.runs_signal),
            ("longest_run", "value", self.longest_run),
            ("longest_run_max", "value", self.longest_run_max),
            ("n_crossings", "value", self.n_crossings),
            ("n_crossings_min", "value", self.n_crossings_min),
            ("n_obs", "value", self.n_obs),
            ("n_useful", "value", self.n_useful),
            ("runs_signal_any", "value", self.runs_signal_any),
            ("parts", "value", [p.to_dict() for p in (self.parts or ())]),
            ("messages", "value", list(self.messages or ())),
        ]

    def _nhs_fields(self) -> list[tuple[str, str, Any]]:
        assert self.relative_to_mean is not None and self.rebase_group is not None
        assert self.short_group_warning is not None and self.close_to_limits is not None
        assert self.special_cause_type is not None and self.point_type is not None
        missing = np.isnan(self.y)
        rel: tuple[str, Any] = ("array", self.relative_to_mean)
        if missing.any():
            # A missing value has no side: null, which an integer array cannot hold.
            values: list[int | None] = self.relative_to_mean.tolist()
            rel = ("value", [None if m else r for r, m in zip(values, missing.tolist(), strict=False)])
        return [
            ("cl", "floats", self.cl),
            ("lcl", "floats", self.lcl),
            ("ucl", "floats", self.ucl),
            ("rebase_group", "array", self.rebase_group),
            ("short_group_warning", "array", self.short_group_warning),
            ("relative_to_mean", *rel),
            ("close_to_limits", "array", self.close_to_limits),
            ("signals", "signals", self.signals),
            ("special_cause_type", "labels", self.special_cause_type),
            ("point_type", "labels", self.point_type),
            ("variation_type", "value", self.variation_type),
            ("variation_icon", "value", self.variation_icon),
            ("assurance_type", "value", self.assurance_type),
            ("assurance_icon", "value", self.assurance_icon),
            ("warnings", "value", list(self.warnings or ())),
            ("runs_signal", "value", None),
            ("longest_run", "value", None),
            ("longest_run_max", "value", None),
            ("n_crossings", "value", None),
            ("n_crossings_min", "value", None),
        ]


def _to_python(kind: str, value: Any) -> Any:
    """One field of :meth:`ChartResult.json_fields` as plain Python data."""
    if kind == "floats":
        return float_list(value)
    if kind == "array":
        return np.asarray(value).tolist()
    if kind == "labels":
        return value.tolist()
    if kind == "dates":
        return np.datetime_as_string(value, unit="D").tolist()
    if kind == "signals":
        return {k: np.asarray(v, dtype=bool).tolist() for k, v in value.items()}
    return value


def optional_float(v: float | None) -> float | None:
    """``None`` for a missing or non-finite number, else the float."""
    return _opt_float(v)

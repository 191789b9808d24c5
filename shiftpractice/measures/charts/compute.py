"""From a measure and its data to a computed chart: which chart, which rules, one engine call, and words.

The choice of chart is automatic unless the team overrides it:

* fewer than ``MIN_POINTS_FOR_LIMITS`` points: a run chart (there is not yet enough data for limits);
* then by the kind of data: count -> c, proportion -> p, rate -> u, continuous value -> the NHS XmR
  chart (or an I chart when the programme prefers qicharts2-style charts), days between events -> t,
  cases between events -> g.

An override the data cannot support (a p chart without denominators, a t chart with a zero time) is
refused with the reason by ``chart_problem``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from shiftpractice.spc import (
    ChartRequest,
    ChartResult,
    SPCInputError,
    compute,
    default_rule_set,
    rule_label,
    rule_set_label,
    signal_kind,
)
from shiftpractice.spc.nhs import SHORT_GROUP

from ..choices import Chart, DataKind, Direction
from .numbers import about, about_apart, fmt, fmt_apart

MIN_POINTS_FOR_LIMITS = 12
XMR_MIN_FREEZE = 12  # the NHS XmR chart fixes its limits after at least 12 points
# Fewer points than this in a phase and the engine calls its limits trial limits (it warns on XmR charts).
MIN_POINTS_FOR_STABLE_LIMITS = SHORT_GROUP

AUTO_BY_KIND = {
    DataKind.COUNT: Chart.C,
    DataKind.PROPORTION: Chart.P,
    DataKind.RATE: Chart.U,
    DataKind.CONTINUOUS: Chart.XMR,
    DataKind.DAYS_BETWEEN: Chart.T,
    DataKind.CASES_BETWEEN: Chart.G,
}

# Which kinds of data each chart can be drawn from (run, I and XmR charts take any series of values).
CHART_KINDS = {
    Chart.P: {DataKind.PROPORTION},
    Chart.PP: {DataKind.PROPORTION},
    Chart.U: {DataKind.PROPORTION, DataKind.RATE},
    Chart.UP: {DataKind.PROPORTION, DataKind.RATE},
    Chart.C: {DataKind.COUNT},
    Chart.G: {DataKind.CASES_BETWEEN, DataKind.COUNT},
    Chart.T: {DataKind.DAYS_BETWEEN, DataKind.CONTINUOUS},
}
CHART_NEEDS = {
    Chart.P: "proportions: a numerator and a denominator for every point, the numerator no larger",
    Chart.PP: "proportions: a numerator and a denominator for every point, the numerator no larger",
    Chart.U: "rates: a numerator and a denominator for every point",
    Chart.UP: "rates: a numerator and a denominator for every point",
    Chart.C: "counts of events in each period",
    Chart.G: "the number of cases between events",
    Chart.T: "the time between events",
}

NATURE_LABELS = {
    "improvement": "special cause: improvement",
    "concern": "special cause: concern",
    "neutral": "special cause: neither better nor worse",
}


def auto_chart(data_kind: str, n_points: int, *, prefer_xmr: bool = True) -> str:
    """The chart drawn when the team has not chosen one."""
    if n_points < MIN_POINTS_FOR_LIMITS:
        return Chart.RUN
    chart = AUTO_BY_KIND.get(data_kind, Chart.RUN)
    if chart == Chart.XMR and not prefer_xmr:
        return Chart.I
    return chart


def chart_problem(chart: str, data_kind: str, rows: list) -> str | None:
    """Why this chart cannot be drawn from this measure's data, or None when it can.

    ``rows`` are the data points (objects with value, numerator, denominator, period).
    """
    if not chart or chart in (Chart.RUN, Chart.I, Chart.XMR):
        return None
    label = Chart(chart).label
    kinds = CHART_KINDS.get(chart)
    if kinds is not None and data_kind not in kinds:
        return (
            f"A {label.split(' (')[0]} plots {CHART_NEEDS[chart]}, but this measure records "
            f"“{DataKind(data_kind).label.lower()}”. Choose another chart, or leave it to be chosen automatically."
        )
    if chart in (Chart.P, Chart.PP, Chart.U, Chart.UP):
        for p in rows:
            if p.numerator is None or p.denominator is None:
                return f"A {label.split(' (')[0]} needs a denominator for every point; {p.period:%-d %b %Y} has none."
    if chart == Chart.T:
        for p in rows:
            if p.value is not None and p.value <= 0:
                return f"A T chart needs every time between events to be more than 0; {p.period:%-d %b %Y} is {p.value:g}."
    if chart in (Chart.C, Chart.G):
        for p in rows:
            if p.value is not None and p.value < 0:
                return f"A {label.split(' (')[0]} cannot plot negative counts; {p.period:%-d %b %Y} is {p.value:g}."
    return None


def nature_of(direction: int, improvement: str) -> str:
    """Whether a signal in this direction is an improvement, a concern, or neither."""
    if direction == 0 or improvement == Direction.NEUTRAL:
        return "neutral"
    better_up = improvement == Direction.INCREASE
    return "improvement" if (direction > 0) == better_up else "concern"


@dataclass
class SignalView:
    rule: str
    rule_label: str
    indices: tuple[int, ...]
    direction: int
    nature: str
    text: str

    @property
    def last_index(self) -> int:
        return self.indices[-1] if self.indices else -1


@dataclass
class ChartView:
    """A measure's chart, computed: what the templates, the SVG geometry and the signal feeds read."""

    measure: object
    rows: list
    chart: str
    automatic: bool
    rule_set: str
    result: ChartResult | None = None
    problem: str = ""
    y: np.ndarray = field(default_factory=lambda: np.zeros(0))
    signals: list[SignalView] = field(default_factory=list)
    point_nature: list[str] = field(default_factory=list)
    point_rules: list[tuple[str, ...]] = field(default_factory=list)  # the rules that marked each point
    phase_starts: list[int] = field(default_factory=list)  # index of the first point of each later phase
    freeze_index: int | None = None  # the last baseline point
    phases: list = field(default_factory=list)

    @property
    def chart_label(self) -> str:
        return Chart(self.chart).label

    @property
    def rule_set_label(self) -> str:
        return rule_set_label(self.rule_set)

    def _per_point(self, name: str, build):
        """A per-point list or array worked out once for these rows (a long series is read several times)."""
        cached = self.__dict__.get(name)
        if cached is None or cached[0] is not self.rows:
            cached = (self.rows, build())
            self.__dict__[name] = cached
        return cached[1]

    @property
    def periods(self) -> list[date]:
        return self._per_point("_periods", lambda: [p.period for p in self.rows])

    @property
    def excluded(self) -> np.ndarray:
        """Whether each point is left out of the limits, as a boolean array."""
        return self._per_point(
            "_excluded",
            lambda: np.fromiter((p.excluded for p in self.rows), dtype=bool, count=len(self.rows)),
        )

    @property
    def is_xmr(self) -> bool:
        return self.chart == Chart.XMR

    @property
    def explanations(self) -> list[str]:
        if self.result is None:
            return []
        if not self.signals:
            return list(self.result.explanations)
        return [s.text for s in self.signals]

    @property
    def latest_signals(self) -> list[SignalView]:
        """Signals that reach the latest point: what the chart says now."""
        last = len(self.rows) - 1
        return [s for s in self.signals if s.last_index == last]

    @property
    def has_limits(self) -> bool:
        return self.result is not None and bool(np.isfinite(self.result.ucl).any())

    @property
    def centre_name(self) -> str:
        return "median" if self.chart == Chart.RUN else "mean"

    def phase_bounds(self) -> list[tuple[int, int]]:
        """Each phase as a half-open range of point indices, oldest first (one range when there are none)."""
        edges = [0, *self.phase_starts, len(self.rows)]
        return list(itertools.pairwise(edges))

    def phase_centres(self) -> list[float | None]:
        """The centre line of each phase (None when a phase has no plotted value)."""
        if self.result is None:
            return []
        cl = np.asarray(self.result.cl, dtype=float)
        return [_last_finite(cl[a:b]) for a, b in self.phase_bounds()]

    def phase_step(self) -> tuple[float, float] | None:
        """The centre line of the phase before the latest and of the latest phase, when there are phases."""
        centres = self.phase_centres()
        if len(centres) < 2 or centres[-2] is None or centres[-1] is None:
            return None
        return centres[-2], centres[-1]

    def step_nature(self) -> str:
        """Whether the step into the latest phase is an improvement, a concern, or neither ("" if none)."""
        step = self.phase_step()
        if step is None or step[0] == step[1]:
            return ""
        return nature_of(1 if step[1] > step[0] else -1, self.measure.direction)

    def step_sentences(self) -> list[str]:
        """The step between phases in words: "From 1 March 2022 (new pathway) the mean moved from about 21%
        to about 36%." One sentence for each new phase."""
        if len(self.phase_starts) == 0 or self.result is None:
            return []
        unit = _unit(self.measure)
        reasons = sorted((ph.start, ph.reason) for ph in self.phases)
        centres = self.phase_centres()
        out = []
        for k, start in enumerate(self.phase_starts, start=1):
            before, after = centres[k - 1], centres[k]
            if before is None or after is None:
                continue
            period = self.rows[start].period
            reason = next((r for s, r in reversed(reasons) if s <= period), "")
            when = f"From {period:%-d %B %Y}" + (f" ({reason})" if reason else "")
            if before == after:
                out.append(f"{when} the {self.centre_name} stayed at about {about(after)}{unit}.")
                continue
            old, new = about_apart(before, after)
            out.append(f"{when} the {self.centre_name} moved from about {old}{unit} to about {new}{unit}.")
        return out

    def short_phases(self) -> list[tuple[int, int]]:
        """(first index, number of points) of each phase whose limits rest on fewer points than the engine
        needs for limits that will not change as points arrive (``spc.nhs.SHORT_GROUP``)."""
        if not self.has_limits:
            return []
        y = np.asarray(self.y, dtype=float)
        excluded = self.excluded
        out = []
        for a, b in self.phase_bounds():
            if self.freeze_index is not None and a == 0:
                b = self.freeze_index + 1  # the limits rest on the frozen baseline
            used = int(np.count_nonzero(np.isfinite(y[a:b]) & ~excluded[a:b]))
            if used < MIN_POINTS_FOR_STABLE_LIMITS:
                out.append((a, used))
        return out

    def short_phase_sentences(self) -> list[str]:
        """A warning naming each phase whose limits are trial limits (too few points), in one sentence."""
        short = self.short_phases()
        if not short:
            return []
        need = f"fewer than the {MIN_POINTS_FOR_STABLE_LIMITS} points needed for stable limits"
        if not self.phase_starts:
            used = short[0][1]
            return [
                f"The limits rest on {used} point{'s' if used != 1 else ''}, {need}: they are trial limits and "
                "will change as more points arrive."
            ]
        named = [
            f"the phase from {self.rows[a].period:%-d %B %Y} ({used} point{'s' if used != 1 else ''})"
            for a, used in short
        ]
        listed = named[0] if len(named) == 1 else ", of ".join(named[:-1]) + " and of " + named[-1]
        return [
            f"The limits of {listed} rest on {need}: they are trial limits and will change as more points arrive."
        ]

    def summary(self) -> str:
        """One paragraph in words: what is charted, how it is read, and where the process is now."""
        m = self.measure
        n = len(self.rows)
        if not n:
            return f"No data have been entered for {m.name} yet."
        if self.result is None:
            return f"{m.name} has {n:,} data point{'s' if n != 1 else ''}, but the chart cannot be drawn: {self.problem}"
        first, last = self.rows[0].period, self.rows[-1].period
        parts = [
            f"{self.chart_label} of {m.name} ({m.get_measure_type_display().lower()} measure), "
            f"{n:,} point{'s' if n != 1 else ''} from {first:%-d %B %Y} to {last:%-d %B %Y}, read with the "
            f"{self.rule_set_label} rules."
        ]
        cl = _last_finite(self.result.cl)
        if cl is not None:
            parts.append(f"The {self.centre_name} is {fmt(cl)}{_unit(m)}.")
        parts.extend(self.step_sentences())
        if self.has_limits:
            lo, hi = _last_finite(self.result.lcl), _last_finite(self.result.ucl)
            if lo is not None and hi is not None:
                lo_text, hi_text = fmt_apart(lo, hi)
                parts.append(f"The latest limits are {lo_text}{_unit(m)} to {hi_text}{_unit(m)}.")
            parts.extend(self.short_phase_sentences())
        elif self.chart == Chart.RUN and n < MIN_POINTS_FOR_LIMITS and self.automatic:
            parts.append(
                f"Limits are calculated from {MIN_POINTS_FOR_LIMITS} points; until then this is a run chart."
            )
        counts = {k: sum(1 for s in self.signals if s.nature == k) for k in NATURE_LABELS}
        if self.signals:
            said = [f"{c:,} {NATURE_LABELS[k]}" for k, c in counts.items() if c]
            parts.append(
                f"{len(self.signals):,} signal{'s' if len(self.signals) != 1 else ''}: {', '.join(said)}."
            )
        else:
            parts.append("No signals: the variation is what a stable process gives (common-cause variation).")
        if m.target is not None:
            parts.append(f"The target is {fmt(m.target)}{_unit(m)}.")
        return " ".join(parts)


def _unit(m) -> str:
    if not m.unit:
        return ""
    return m.unit if m.unit == "%" else f" {m.unit}"


def _last_finite(arr) -> float | None:
    if arr is None:
        return None
    finite = np.flatnonzero(np.isfinite(arr))
    return float(arr[finite[-1]]) if finite.size else None


def plotted_values(measure, rows) -> np.ndarray:
    """The value of each point as the chart shows it (a percentage, a rate per N, or the value)."""
    if measure.has_denominator:
        scale = 100.0 if measure.data_kind == DataKind.PROPORTION else float(measure.rate_per)
        return np.array(
            [
                (p.numerator / p.denominator * scale) if p.numerator is not None and p.denominator else np.nan
                for p in rows
            ],
            dtype=float,
        )
    return np.array([np.nan if p.value is None else p.value for p in rows], dtype=float)


def resolve(measure, n_points: int, settings=None) -> tuple[str, bool, str]:
    """(chart, chosen automatically?, rule set) for a measure with this many points."""
    prefer_xmr = settings.prefer_xmr if settings is not None else True
    chart = measure.chart or auto_chart(measure.data_kind, n_points, prefer_xmr=prefer_xmr)
    rule_set = measure.rule_set or (settings.rule_set if settings is not None else "")
    if not rule_set:
        rule_set = default_rule_set(chart)  # the engine's registry says which rules each chart reads with
    return chart, not measure.chart, rule_set


def build_chart(measure, rows: list, phases: list, settings=None) -> ChartView:
    """Compute a measure's chart from its points (ordered by period) and phases: one engine call."""
    chart, automatic, rule_set = resolve(measure, len(rows), settings)
    view = ChartView(measure=measure, rows=rows, chart=chart, automatic=automatic, rule_set=rule_set)
    view.phases = list(phases)
    view.y = plotted_values(measure, rows)
    n = len(rows)
    view.point_nature = ["common"] * n
    view.point_rules = [()] * n  # one shared empty tuple: a long series costs no list a point
    if not n:
        return view
    problem = chart_problem(chart, measure.data_kind, rows)
    if problem and automatic:
        # The automatic choice never leaves a chart undrawn: values always go on an individuals chart.
        view.chart = chart = Chart.XMR if (settings is None or settings.prefer_xmr) else Chart.I
        if not (measure.rule_set or (settings is not None and settings.rule_set)):
            view.rule_set = rule_set = default_rule_set(chart)
        problem = None
    if problem:
        view.problem = problem
        return view
    periods = view.periods
    view.phase_starts = sorted(
        {i for i in (_first_index_on_or_after(periods, ph.start) for ph in phases) if 0 < i < n}
    )
    freezable = chart != Chart.XMR or (measure.freeze_at or 0) >= XMR_MIN_FREEZE
    if measure.freeze_at and not view.phase_starts and measure.freeze_at < n and freezable:
        view.freeze_index = measure.freeze_at - 1
    try:
        view.result = compute(_request(measure, chart, rule_set, rows, view))
    except SPCInputError as exc:
        view.problem = f"the data cannot be charted this way ({exc})."
        return view
    _read_signals(view, measure)
    return view


def _first_index_on_or_after(periods: list[date], start: date) -> int:
    for i, p in enumerate(periods):
        if p >= start:
            return i
    return len(periods)


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def days(rows) -> np.ndarray:
    """The points' periods as ``datetime64[D]``: from day numbers, several times faster than numpy reading
    100,000 ``date`` objects one by one."""
    ordinals = np.fromiter((p.period.toordinal() for p in rows), dtype=np.int64, count=len(rows))
    return (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")


def _request(measure, chart: str, rule_set: str, rows: list, view: ChartView) -> ChartRequest:
    x = days(rows)
    options: dict = {"rules": rule_set}
    excluded = np.flatnonzero(view.excluded).tolist()
    n = None
    if chart in (Chart.P, Chart.PP, Chart.U, Chart.UP):
        y = np.array([p.numerator for p in rows], dtype=float)
        n = np.array([p.denominator for p in rows], dtype=float)
        options["multiply"] = 100 if chart in (Chart.P, Chart.PP) else measure.rate_per
    else:
        y = view.y.copy()
    if chart == Chart.XMR:
        options["improvement_direction"] = measure.direction
        if measure.target is not None:
            options["target"] = measure.target
        if view.phase_starts:
            options["rebase"] = [str(rows[i].period) for i in view.phase_starts]
        elif view.freeze_index is not None:
            options["fix_after_n_points"] = view.freeze_index + 1
        # The XmR chart has no exclusion: an excluded point is left out as a missing value (which breaks
        # any run through it), and still drawn, greyed, at its recorded value.
        if excluded:
            y[excluded] = np.nan
    else:
        if view.phase_starts:
            options["part"] = [i for i in view.phase_starts]  # the last point before each new phase (1-based)
        elif view.freeze_index is not None:
            options["freeze"] = view.freeze_index + 1
        if excluded:
            options["exclude"] = [i + 1 for i in excluded]
    return ChartRequest(chart, x=x, y=y, n=n, options=options)


SEVERITY = {"common": 0, "neutral": 1, "improvement": 2, "concern": 3}


def _read_signals(view: ChartView, measure) -> None:
    res = view.result
    assert res is not None
    for d in res.signal_details:
        nature = nature_of(d.direction, measure.direction)
        text = d.text
        if not view.is_xmr and nature != "neutral" and "Because" not in text:
            better = "higher" if measure.direction == Direction.INCREASE else "lower"
            text = f"{text} Because {better} is better, this is {'an improvement' if nature == 'improvement' else 'a concern'}."
        # Labels come from the engine's rule registry: every kind of signal it can report has one.
        signal = SignalView(d.rule, rule_label(d.rule), tuple(d.indices), d.direction, nature, text)
        view.signals.append(signal)
        # Runs rules over the whole series (too few crossings) say something about the process, not these points.
        if not signal_kind(d.rule).marks_points:
            continue
        for i in d.indices:
            if i < len(view.point_nature):
                view.point_rules[i] = (*view.point_rules[i], signal.rule_label)
                if SEVERITY[nature] > SEVERITY[view.point_nature[i]]:
                    view.point_nature[i] = nature

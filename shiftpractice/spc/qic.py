"""qicharts2-style run and Shewhart charts (spec section 2).

Each chart function works on one phase and returns the plotted values, the
centre line and the 3-sigma and 2-sigma lines (arrays or scalars, which
broadcast). The driver splits the series into phases, runs the Anhøj
analysis on the unscaled values, then applies ``multiply``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .aggregate import Aggregated, aggregate
from .errors import SPCInputError
from .registry import evaluate, rule_set_spec
from .rules import RuleInput
from .runs import RunsStats, anhoej
from .stats import a3, b_factors, exact_mean, median, nan_sum, screened_mean
from .types import ChartResult, PartSummary
from .validate import Prepared, QicOptions

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Lines = tuple[Any, Any, Any, Any, Any, Any]  # y, cl, lcl, ucl, lcl_95, ucl_95

D2 = 1.128
D4 = 3.267
IP_SCREEN = 3.2665
T_POWER = 3.6


@dataclass(frozen=True)
class Phase:
    """The data of one phase handed to a chart function."""

    y: FloatArray
    y_sum: FloatArray
    y_length: npt.NDArray[np.int32]
    y_mean: FloatArray
    y_sd: FloatArray | None
    n: FloatArray | None
    base: BoolArray
    all_base: bool
    cl: Any  # None, or the user's centre line (scalar or per-point array)
    screened: bool
    categorical: bool

    def at_base(self, v: FloatArray) -> FloatArray:
        """``v`` over the estimation points (no copy when all points count)."""
        return v if self.all_base else v[self.base]


def _given_cl(ph: Phase) -> Any:
    if ph.cl is None:
        return None
    if isinstance(ph.cl, np.ndarray):
        return None if np.isnan(ph.cl).any() else ph.cl
    return ph.cl


def _sigma_lines(cl: Any, s: Any) -> tuple[Any, Any, Any, Any]:
    """(cl - 3s, cl + 3s, cl - 2s, cl + 2s); reuses ``s`` as scratch when an array."""
    if not (isinstance(s, np.ndarray) and s.ndim):
        return cl - 3 * s, cl + 3 * s, cl - 2 * s, cl + 2 * s
    # Fewer fresh full-length arrays: s itself becomes the 2-sigma upper line.
    s3 = np.multiply(s, 3.0)
    lo = np.subtract(cl, s3)
    hi = np.add(s3, cl, out=s3)
    np.multiply(s, 2.0, out=s)
    lo2 = np.subtract(cl, s)
    hi2 = np.add(s, cl, out=s)
    return lo, hi, lo2, hi2


def _clip_low(v: Any) -> Any:
    """A finite negative lower line becomes 0 (in place when it is an array)."""
    if isinstance(v, np.ndarray) and v.ndim:
        np.maximum(v, 0.0, out=v, where=v > -np.inf)
        return v
    return 0.0 if -math.inf < v < 0 else v


def _clip_high_one(v: Any) -> Any:
    """A finite upper line above 1 becomes 1 (proportions)."""
    if isinstance(v, np.ndarray) and v.ndim:
        np.minimum(v, 1.0, out=v, where=v < np.inf)
        return v
    return 1.0 if 1 < v < math.inf else v


def chart_run(ph: Phase) -> Lines:
    given = _given_cl(ph)
    cl = median(ph.at_base(ph.y)) if given is None else given
    return ph.y, cl, math.nan, math.nan, math.nan, math.nan


def _individuals(ph: Phase, y: FloatArray) -> tuple[Any, float]:
    """Centre line and sigma of an I chart on ``y``."""
    given = _given_cl(ph)
    cl = exact_mean(ph.at_base(y)) if given is None else given
    with np.errstate(invalid="ignore"):
        dev = ph.at_base(np.subtract(y, cl))
        mr = np.abs(np.diff(dev))
    del dev
    amr = screened_mean(mr, ph.screened, D4)
    return cl, amr / D2


def chart_i(ph: Phase) -> Lines:
    cl, s = _individuals(ph, ph.y)
    return (ph.y, cl, *_sigma_lines(cl, s))


def chart_mr(ph: Phase) -> Lines:
    y = np.empty_like(ph.y)
    y[:1] = np.nan
    np.abs(np.diff(ph.y), out=y[1:])
    given = _given_cl(ph)
    cl = exact_mean(ph.at_base(y)) if given is None else given
    return y, cl, 0.0, D4 * cl, 0.0, (D4 / 3) * 2 * cl


def _pooled_sd(ph: Phase) -> float:
    assert ph.y_sd is not None
    yl = ph.y_length
    if np.unique(yl).shape[0] > 1:
        sd = ph.at_base(ph.y_sd)
        w = ph.at_base(yl).astype(np.float64) - 1.0
        with np.errstate(invalid="ignore"):
            num = nan_sum(w * sd * sd)
        den = float(w.sum())
        with np.errstate(invalid="ignore", divide="ignore"):
            return math.sqrt(num / den) if den > 0 else math.nan
    return exact_mean(ph.at_base(ph.y_sd))


def chart_xbar(ph: Phase) -> Lines:
    given = _given_cl(ph)
    if given is None:
        yl = ph.at_base(ph.y_length).astype(np.float64)
        with np.errstate(invalid="ignore"):
            num = nan_sum(yl * ph.at_base(ph.y_mean))
        den = float(yl.sum())
        cl = num / den if den > 0 else math.nan
    else:
        cl = given
    s = _pooled_sd(ph)
    k3 = a3(ph.y_length, 3.0) * s
    k2 = a3(ph.y_length, 2.0) * s
    # The plotted value is the aggregated y (the subgroup mean unless agg_fun says otherwise).
    return ph.y, cl, cl - k3, cl + k3, cl - k2, cl + k2


def chart_s(ph: Phase) -> Lines:
    assert ph.y_sd is not None
    given = _given_cl(ph)
    cl = _pooled_sd(ph) if given is None else given
    b3, b4 = b_factors(ph.y_length, 3.0)
    b3_2, b4_2 = b_factors(ph.y_length, 2.0)
    return ph.y_sd, cl, b3 * cl, b4 * cl, b3_2 * cl, b4_2 * cl


def chart_t(ph: Phase) -> Lines:
    yt = np.power(ph.y, 1 / T_POWER)
    given = _given_cl(ph)
    ph_t = ph if given is None else _with_cl(ph, np.power(given, 1 / T_POWER))
    cl, s = _individuals(ph_t, yt)
    lo, hi, lo2, hi2 = _sigma_lines(cl, s)
    with np.errstate(invalid="ignore"):
        back = [np.power(v, T_POWER) for v in (yt, cl, lo, hi, lo2, hi2)]
    # A negative transformed LCL has no real power: it becomes 0 (2-sigma: missing).
    back[2] = np.where(np.isnan(back[2]), 0.0, back[2])
    return tuple(back)  # type: ignore[return-value]


def _with_cl(ph: Phase, cl: Any) -> Phase:
    return Phase(
        ph.y,
        ph.y_sum,
        ph.y_length,
        ph.y_mean,
        ph.y_sd,
        ph.n,
        ph.base,
        ph.all_base,
        cl,
        ph.screened,
        ph.categorical,
    )


def _ratio_cl(ph: Phase) -> float:
    assert ph.n is not None
    den = nan_sum(ph.at_base(ph.n))
    num = nan_sum(ph.at_base(ph.y_sum))
    with np.errstate(invalid="ignore", divide="ignore"):
        return num / den if den != 0 else (math.nan if num == 0 else math.copysign(math.inf, num))


def _sigma_z(ph: Phase, cl: Any, s: FloatArray) -> float:
    """Laney's between-subgroup factor for the prime charts."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = ph.at_base(np.subtract(ph.y, cl) / s)
        if ph.categorical:
            if z.shape[0] < 2 or np.isnan(z).any():
                return math.nan
            return float(np.std(z, ddof=1))
        mr = np.abs(np.diff(z))
    return screened_mean(mr, ph.screened, D4) / D2


def _proportion(ph: Phase, prime: bool) -> Lines:
    assert ph.n is not None
    given = _given_cl(ph)
    cl = _ratio_cl(ph) if given is None else given
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.sqrt(cl * (1 - cl) / ph.n)
        if prime:
            s = s * _sigma_z(ph, cl, s)
        lo, hi, lo2, hi2 = _sigma_lines(cl, s)
    return (ph.y, cl, _clip_low(lo), _clip_high_one(hi), _clip_low(lo2), _clip_high_one(hi2))


def chart_p(ph: Phase) -> Lines:
    return _proportion(ph, prime=False)


def chart_pp(ph: Phase) -> Lines:
    return _proportion(ph, prime=True)


def chart_c(ph: Phase) -> Lines:
    y = ph.y_sum
    given = _given_cl(ph)
    cl = exact_mean(ph.at_base(y)) if given is None else given
    with np.errstate(invalid="ignore"):
        lo, hi, lo2, hi2 = _sigma_lines(cl, np.sqrt(cl))
    return y, cl, _clip_low(lo), hi, _clip_low(lo2), hi2


def _rate(ph: Phase, prime: bool) -> Lines:
    assert ph.n is not None
    given = _given_cl(ph)
    cl = _ratio_cl(ph) if given is None else given
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.sqrt(cl / ph.n)
        if prime:
            s = s * _sigma_z(ph, cl, s)
        lo, hi, lo2, hi2 = _sigma_lines(cl, s)
    return ph.y, cl, _clip_low(lo), hi, _clip_low(lo2), hi2


def chart_u(ph: Phase) -> Lines:
    return _rate(ph, prime=False)


def chart_up(ph: Phase) -> Lines:
    return _rate(ph, prime=True)


def chart_g(ph: Phase) -> Lines:
    given = _given_cl(ph)
    m = exact_mean(ph.at_base(ph.y)) if given is None else given
    with np.errstate(invalid="ignore"):
        # m may be a per-point array when the user gives the centre line.
        s = np.sqrt(np.multiply(m, np.add(m, 1.0)))
        lo, hi, lo2, hi2 = _sigma_lines(m, s)
        # A negative lower line becomes 0; a missing one stays missing.
        lo, lo2 = (np.where(v < 0, 0.0, v) if np.ndim(v) else (0.0 if v < 0 else v) for v in (lo, lo2))
    cl = median(ph.at_base(ph.y)) if given is None else 0.693 * given
    return ph.y, cl, lo, hi, lo2, hi2


def chart_ip(ph: Phase) -> Lines:
    nn = ph.n if ph.n is not None else ph.y_length.astype(np.float64)
    given = _given_cl(ph)
    if given is None:
        with np.errstate(invalid="ignore"):
            num = nan_sum(ph.at_base(ph.y * nn))
        den = nan_sum(ph.at_base(np.where(np.isnan(ph.y), np.nan, nn)))
        cl = num / den if den != 0 else math.nan
    else:
        cl = given
    with np.errstate(invalid="ignore", divide="ignore"):
        inv = 1.0 / nn
        moving = math.sqrt(math.pi / 2) * np.abs(np.diff(ph.y)) / np.sqrt(inv[:-1] + inv[1:])
        mean_s = screened_mean(moving, ph.screened, IP_SCREEN)
        s = mean_s * np.sqrt(inv)
    return (ph.y, cl, *_sigma_lines(cl, s))


CHARTS: dict[str, Callable[[Phase], Lines]] = {
    "run": chart_run,
    "i": chart_i,
    "mr": chart_mr,
    "xbar": chart_xbar,
    "s": chart_s,
    "t": chart_t,
    "p": chart_p,
    "pp": chart_pp,
    "c": chart_c,
    "u": chart_u,
    "up": chart_up,
    "g": chart_g,
    "ip": chart_ip,
}


# ------------------------------------------------------------------------ phases


def phase_bounds(
    opts: QicOptions, agg: Aggregated, kept: BoolArray | None, rows: int
) -> list[tuple[int, int]]:
    """Half-open index ranges of the phases (spec 2.2)."""
    size = agg.size
    part = opts.part
    if not part:
        return [(0, size)]
    as_labels = any(isinstance(v, str) for v in part) or (len(part) == rows and len(set(part)) < len(part))
    if as_labels:
        if len(part) != rows:
            raise SPCInputError("options.part", f"has {len(part)} labels but y has {rows}")
        labels = np.array([str(v) for v in part], dtype=object)
        if kept is not None:
            labels = labels[kept]
        if agg.first_row is not None:
            labels = labels[np.sort(agg.first_row)]
        change = np.flatnonzero(labels[1:] != labels[:-1]) + 1
        breaks = sorted({0, *change.tolist()})
    else:
        for i, v in enumerate(part):
            if isinstance(v, str):
                raise SPCInputError("options.part", "mixes labels and numbers", i)
        breaks = sorted({0, *(int(v) for v in part if 0 <= int(v) < size)})
    ends = [*breaks[1:], size]
    return list(zip(breaks, ends, strict=False))


def _point_cl(opts: QicOptions, agg: Aggregated, kept: BoolArray | None) -> Any:
    cl = opts.cl
    if cl is None or not isinstance(cl, np.ndarray):
        return cl
    if kept is not None:
        cl = cl[kept]
    if agg.first_row is not None:
        cl = cl[agg.first_row]
    return cl


def _lines_into(out: dict[str, Any], sl: slice, lines: Lines, whole: bool, protected: list[Any]) -> None:
    """Store one phase's lines.

    With a single phase a constant line stays a scalar (expanded at the end
    without copying) and a fresh whole-series array is adopted as it is.
    """
    for name, value in zip(("y", "cl", "lcl", "ucl", "lcl_95", "ucl_95"), lines, strict=False):
        if whole:
            if not (isinstance(value, np.ndarray) and value.ndim):
                out[name] = float(value)
                continue
            if (
                value.dtype == np.float64
                and value.shape == (sl.stop,)
                and not any(np.may_share_memory(value, p) for p in protected)
            ):
                out[name] = value
                protected.append(value)
                continue
        if not isinstance(out[name], np.ndarray):
            out[name] = np.empty(out["size"])
        out[name][sl] = value


def _finite_or_missing(cl: Any) -> Any:
    """The centre line as it is drawn: a value that is not finite is missing.

    A missing centre line leaves no useful point, so the phase has no runs
    analysis (e.g. an s chart whose pooled SD overflowed); qicharts2 counts
    points against an infinite one.
    """
    if isinstance(cl, np.ndarray) and cl.ndim:
        return cl if np.isfinite(cl).all() else np.where(np.isfinite(cl), cl, np.nan)
    return cl if math.isfinite(cl) else math.nan


def compute_qic(prep: Prepared) -> ChartResult:
    """Compute a qicharts2-style chart from a validated request."""
    opts = prep.options
    assert isinstance(opts, QicOptions)
    chart = prep.chart
    agg, kept = aggregate(prep.x, prep.y, prep.n, opts.agg_fun, chart in ("xbar", "s"))
    size = agg.size
    if size == 0:
        raise SPCInputError("x", "has no values")
    bounds = phase_bounds(opts, agg, kept, prep.y.shape[0])
    baseline = np.ones(size, dtype=bool)
    if opts.freeze is not None and opts.part is None:
        # A freeze at or beyond the last point makes every point the baseline.
        baseline[min(opts.freeze, size) :] = False
    include = np.ones(size, dtype=bool)
    # As in qicharts2, a point number beyond the last plotted point excludes nothing.
    excluded = [v - 1 for v in opts.exclude if v <= size]
    if excluded:
        include[np.array(excluded, dtype=np.intp)] = False
    base = baseline & include
    categorical = prep.x.kind == "category"
    point_cl = _point_cl(opts, agg, kept)
    out: dict[str, Any] = {k: None for k in ("y", "cl", "lcl", "ucl", "lcl_95", "ucl_95")}
    out["size"] = size
    whole = len(bounds) == 1
    # Arrays that belong to the caller (or are shared inputs) are never adopted.
    protected: list[Any] = [prep.y, agg.y_sum, agg.y_mean]
    if prep.n is not None:
        protected.append(prep.n)
    stats: list[RunsStats] = []
    fn = CHARTS[chart]
    for start, end in bounds:
        sl = slice(start, end)
        ph_base = base[sl]
        ph = Phase(
            agg.y[sl],
            agg.y_sum[sl],
            agg.y_length[sl],
            agg.y_mean[sl],
            None if agg.y_sd is None else agg.y_sd[sl],
            None if agg.n is None else agg.n[sl],
            ph_base,
            bool(ph_base.all()),
            point_cl[sl] if isinstance(point_cl, np.ndarray) else point_cl,
            opts.screened_mr,
            categorical,
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            _lines_into(out, sl, fn(ph), whole, protected)
        inc = include[sl]
        y_ph, cl_ph = (out[k][sl] if isinstance(out[k], np.ndarray) else out[k] for k in ("y", "cl"))
        stats.append(anhoej(y_ph, _finite_or_missing(cl_ph), None if inc.all() else inc))
    del out["size"]
    return _finish(prep, opts, agg, kept, bounds, baseline, include, out, stats, categorical)


def _finish(
    prep: Prepared,
    opts: QicOptions,
    agg: Aggregated,
    kept: BoolArray | None,
    bounds: list[tuple[int, int]],
    baseline: BoolArray,
    include: BoolArray,
    out: dict[str, FloatArray],
    stats: list[RunsStats],
    categorical: bool,
) -> ChartResult:
    chart = prep.chart
    size = agg.size
    for name, arr in out.items():
        if isinstance(arr, np.ndarray):
            if opts.multiply != 1.0:
                arr *= opts.multiply
            # One cheap pass first: a finite sum means every value is finite.
            if name != "y" and not math.isfinite(float(arr.sum())):
                arr[~np.isfinite(arr)] = np.nan
        else:
            value = arr * opts.multiply
            if not math.isfinite(value):
                value = math.nan
            # A constant line costs no memory: a read-only broadcast view.
            out[name] = np.broadcast_to(np.float64(value), (size,))
    y, lcl, ucl = out["y"], out["lcl"], out["ucl"]
    outside = np.greater(y, ucl)
    outside |= np.less(y, lcl)
    no_runs = chart == "mr" or categorical
    part_signal = [False if no_runs else st.signal for st in stats]
    sizes = np.array([e - s for s, e in bounds], dtype=np.intp)
    part_ids = np.repeat(np.arange(1, len(bounds) + 1, dtype=np.int32), sizes)
    parts = tuple(
        PartSummary(
            i + 1,
            st.n_obs,
            st.n_useful,
            st.longest_run,
            st.longest_run_max,
            st.n_crossings,
            st.n_crossings_min,
            sig,
        )
        for i, (st, sig) in enumerate(zip(stats, part_signal, strict=False))
    )
    rules = prep.rules
    found = evaluate(
        RuleInput(
            chart,
            rules,
            y,
            out["cl"],
            lcl,
            ucl,
            outside,
            bounds,
            nhs_style=rule_set_spec(rules.name).nhs_style,
            include=None if include.all() else include,
            near_low=out["lcl_95"],
            near_high=out["ucl_95"],
            phase_signals=tuple(part_signal),
        )
    )
    # The qicharts2 contract: outside_limits and runs first, always present.
    signals: dict[str, BoolArray] = {
        "outside_limits": found.pop("outside_limits", outside),
        "runs": found.pop("runs", np.zeros(size, dtype=bool)),
        **found,
    }
    messages: tuple[str, ...] = ()
    if chart in ("run", "i") and prep.n is None and bool(np.any(agg.y_length > 1)):
        messages = (f"Some subgroups have more than one value; they were aggregated using {opts.agg_fun}().",)
    last = stats[-1]
    return ChartResult(
        chart=chart,
        x=_x_out(prep, agg),
        y=y,
        cl=out["cl"],
        lcl=lcl,
        ucl=ucl,
        signals=signals,
        rule_set=rules.to_dict(),
        explain=prep.explain,
        x_kind=prep.x.kind,
        n=agg.n,
        y_length=agg.y_length,
        lcl_95=out["lcl_95"],
        ucl_95=out["ucl_95"],
        part=part_ids,
        baseline=baseline,
        include=include,
        runs_signal=part_signal[-1],
        longest_run=last.longest_run,
        longest_run_max=last.longest_run_max,
        n_crossings=last.n_crossings,
        n_crossings_min=last.n_crossings_min,
        n_obs=last.n_obs,
        n_useful=last.n_useful,
        runs_signal_any=any(part_signal),
        parts=parts,
        messages=messages,
        context={
            "bounds": bounds,
            "labels": prep.x.labels,
            "multiply": opts.multiply,
            "categorical": categorical,
            "centre": "median" if chart in ("run", "g") else "mean",
        },
    )


def _x_out(prep: Prepared, agg: Aggregated) -> Any:
    if prep.x.kind == "category":
        labels = prep.x.labels
        return [labels[int(k)] for k in agg.keys.tolist()]
    return agg.keys

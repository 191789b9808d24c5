"""Benchmark of the SPC engine (a plain script, not a timed test).

Usage::

    python benchmarks/spc_bench.py           # 1,000, 100,000 and 1,000,000 points
    python benchmarks/spc_bench.py --quick   # 1,000 and 100,000 points

For each size it times an xmr chart with every NHS rule, an i chart with the
Anhøj runs analysis and a p chart, and a NumPy floor on the same array (one
pass of ``np.mean`` and ``np.abs(np.diff(...))``). Times are medians of a few
repeats; peak memory is measured with tracemalloc in a separate pass, so the
tracing overhead never touches the timings. Explanations are built lazily and
are therefore not part of the chart timings; their cost is printed apart.

Targets: every chart at 1,000,000 points within 15x the floor and under 300
bytes of peak memory per point; 1,000 points in under 2 ms.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shiftpractice.spc import ChartRequest, compute

TARGET_RATIO = 15.0
TARGET_BYTES = 300.0
TARGET_SMALL_MS = 2.0


def make_requests(size: int, seed: int = 1) -> dict[str, ChartRequest]:
    """The three benchmark charts on reproducible random data."""
    rng = np.random.default_rng(seed)
    y = rng.normal(size=size)
    days = np.datetime64("2000-01-01") + np.arange(size, dtype=np.int64).astype("timedelta64[D]")
    x = np.arange(1, size + 1, dtype=np.int64)
    n = rng.integers(800, 1200, size=size).astype(np.float64)
    counts = rng.binomial(n.astype(np.int64), 0.1).astype(np.float64)
    return {
        "floor": ChartRequest("i", x, y),
        "xmr (NHS rules)": ChartRequest(
            "xmr", days, y, options={"improvement_direction": "increase", "target": 0.5}
        ),
        "i (Anhoej runs)": ChartRequest("i", x, y),
        "p": ChartRequest("p", x, counts, n),
    }


def floor(req: ChartRequest) -> Any:
    y = req.y
    return np.mean(y), np.abs(np.diff(y))


def timed(fn: Callable[[], Any], repeats: int) -> float:
    """Median wall time in milliseconds."""
    fn()  # warm-up: caches, lazy imports
    times = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def peak_bytes(fn: Callable[[], Any]) -> int:
    """Peak traced memory of one call, the returned result included."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return peak


def run(sizes: list[int]) -> bool:
    print(f"{'chart':<18}{'points':>11}{'time ms':>11}{'x floor':>10}{'bytes/pt':>10}  ok")
    print("-" * 64)
    all_ok = True
    for size in sizes:
        reqs = make_requests(size)
        repeats = 21 if size <= 1000 else (7 if size <= 100_000 else 5)
        floor_ms = timed(lambda reqs=reqs: floor(reqs["floor"]), repeats)
        floor_peak = peak_bytes(lambda reqs=reqs: floor(reqs["floor"]))
        print(f"{'numpy floor':<18}{size:>11,}{floor_ms:>11.3f}{1.0:>10.1f}{floor_peak / size:>10.1f}")
        for name, req in reqs.items():
            if name == "floor":
                continue
            ms = timed(lambda req=req: compute(req), repeats)
            peak = peak_bytes(lambda req=req: compute(req))
            ratio = ms / floor_ms
            per_point = peak / size
            ok = per_point < TARGET_BYTES
            if size >= 1_000_000:
                ok = ok and ratio <= TARGET_RATIO
            if size <= 1000:
                ok = ok and ms < TARGET_SMALL_MS
            all_ok &= ok
            print(
                f"{name:<18}{size:>11,}{ms:>11.3f}{ratio:>10.1f}{per_point:>10.1f}  {'yes' if ok else 'NO'}"
            )
        res = compute(reqs["xmr (NHS rules)"])
        t0 = time.perf_counter()
        texts = res.explanations
        ms = (time.perf_counter() - t0) * 1000.0
        print(
            f"{'  explanations':<18}{size:>11,}{ms:>11.3f}{'':>10}{'':>10}"
            f"  ({len(texts)} texts, built on first access)"
        )
    print("-" * 64)
    print(
        f"targets: <= {TARGET_RATIO:g}x floor at 1,000,000 points, < {TARGET_BYTES:g} "
        f"bytes/point, < {TARGET_SMALL_MS:g} ms at 1,000 points"
    )
    print("all targets met" if all_ok else "SOME TARGETS MISSED")
    return all_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 1,000 and 100,000 only")
    args = parser.parse_args(argv)
    sizes = [1000, 100_000] if args.quick else [1000, 100_000, 1_000_000]
    return 0 if run(sizes) else 1


if __name__ == "__main__":
    sys.exit(main())

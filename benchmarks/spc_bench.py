"""Benchmark of the SPC engine (a plain script, not a timed test).

Usage::

    python benchmarks/spc_bench.py            # both sections, all sizes
    python benchmarks/spc_bench.py --quick    # in process 1,000 and 100,000; command line 1,000 and 200,000
    python benchmarks/spc_bench.py --cli-only # only the command-line section

**In process.** For each size it times an xmr chart with every NHS rule, an i
chart with the Anhøj runs analysis and a p chart, and a NumPy floor on the same
array (one pass of ``np.mean`` and ``np.abs(np.diff(...))``). Times are medians
of a few repeats; peak memory is measured with tracemalloc in a separate pass,
so the tracing overhead never touches the timings. Explanations are built
lazily and are therefore not part of the chart timings; their cost is printed
apart. Targets: every chart at 1,000,000 points within 15x the floor and under
300 bytes of peak memory per point; 1,000 points in under 2 ms.

**Command line.** ``python -m shiftpractice.spc`` on an xmr request with ISO
dates and on an i request with the same ISO dates, at 1,000, 200,000 and
1,000,000 points, against a floor process that reads the same JSON with
orjson, makes one NumPy pass over y and writes as many bytes of JSON (its
result array, serialised once by orjson and written as often as the byte count
needs), in the same run, runs alternating. Both are whole processes (interpreter start and imports
included), timed from start to exit with the output going to a file (in
/dev/shm when there is one); peak
memory is the child's maximum resident set size (``os.wait4``). Targets: within
2x the floor at 200,000 points, within 3x at 1,000,000, and under 300 bytes of
peak memory per point at 1,000,000 (where the interpreter's fixed ~30 MB is
spread thin enough for a per-point figure to mean something).
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shiftpractice.spc import ChartRequest, compute

REPO = Path(__file__).resolve().parents[1]

TARGET_RATIO = 15.0
TARGET_BYTES = 300.0
TARGET_SMALL_MS = 2.0
CLI_TARGETS = {200_000: 2.0, 1_000_000: 3.0}  # ratio to the floor process
CLI_BYTES_AT = 1_000_000


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


# ------------------------------------------------------------------ command line

FLOOR = r"""
import sys
import numpy as np
import orjson

target = int(sys.argv[1])
data = orjson.loads(sys.stdin.buffer.read())
y = np.array(data["y"], dtype=np.float64)
r = np.abs(np.diff(y))  # the one NumPy pass
out = sys.stdout.buffer
text = orjson.dumps(r, option=orjson.OPT_SERIALIZE_NUMPY)  # formatted once, written as often as needed
per_value = max(len(text) / max(r.shape[0], 1), 1.0)
out.write(b"{")
written, i = 2, 0
while written < target:
    head = (b"," if i else b"") + b'"a%d":' % i
    if written + len(head) + len(text) <= target:
        piece = head + text
    else:  # the last piece: as many values as the bytes left need
        need = int((target - written - len(head)) / per_value) + 1
        piece = head + orjson.dumps(r[:need], option=orjson.OPT_SERIALIZE_NUMPY)
    out.write(piece)
    written += len(piece)
    i += 1
out.write(b"}\n")
"""


def write_cli_request(path: Path, chart: str, size: int, seed: int = 1) -> None:
    """A request as a person would send it: ISO date strings and floats, as JSON text."""
    import orjson

    rng = np.random.default_rng(seed)
    days = np.datetime64("2000-01-01") + np.arange(size, dtype=np.int64).astype("timedelta64[D]")
    req = {
        "chart": chart,
        "x": np.datetime_as_string(days, unit="D").tolist(),
        "y": rng.normal(size=size).tolist(),
    }
    path.write_bytes(orjson.dumps(req))


# A minimal launcher (no site, no imports beyond os/sys/time) forks the measured
# command and reports its wall time, maximum RSS and CPU time. Measuring from this
# big benchmark process instead would be wrong: a child's max RSS includes the RSS
# of the process it was forked from, which here would dwarf the command's own.
LAUNCHER = r"""
import os, sys, time
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
ms = (time.perf_counter() - t0) * 1000.0
cpu = (usage.ru_utime + usage.ru_stime) * 1000.0
sys.stderr.write("%r %d %r\n" % (ms, usage.ru_maxrss * 1024, cpu))
sys.exit(os.waitstatus_to_exitcode(status))
"""


class Run:
    """Wall and CPU milliseconds, max RSS bytes and exit status of one process."""

    def __init__(self, cmd: list[str], stdin: Path, stdout: Path) -> None:
        with stdin.open("rb") as fin, stdout.open("wb") as fout:
            proc = subprocess.run(  # noqa: S603 - our own interpreter and scripts
                [sys.executable, "-S", "-c", LAUNCHER, *cmd],
                stdin=fin,
                stdout=fout,
                stderr=subprocess.PIPE,
                cwd=REPO,
                check=False,
            )
        ms, rss, cpu = proc.stderr.decode().strip().splitlines()[-1].split()
        self.ms, self.rss, self.cpu, self.code = float(ms), int(rss), float(cpu), proc.returncode


def measure(cmd: list[str], stdin: Path, stdout: Path, runs: list[Run]) -> None:
    runs.append(Run(cmd, stdin, stdout))


def run_cli(sizes: list[int]) -> bool:
    print()
    print("command line: python -m shiftpractice.spc, ISO dates, vs a floor process (same run, alternating)")
    print(
        f"{'command':<18}{'points':>11}{'wall ms':>9}{'x floor':>8}{'cpu ms':>8}{'x floor':>8}"
        f"{'out MB':>8}{'RSS MB':>8}{'bytes/pt':>9}  ok"
    )
    print("-" * 92)
    all_ok = True
    cli = [sys.executable, "-m", "shiftpractice.spc"]
    # An installed command has its bytecode compiled (pip does it); without this,
    # PYTHONDONTWRITEBYTECODE=1 would make every run compile the package anew.
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "compileall", "-q", str(REPO / "shiftpractice" / "spc")], check=True
    )
    # Requests and outputs in memory (tmpfs) where there is one, so disk flushes do not add noise.
    shm = Path("/dev/shm")  # noqa: S108 - only a parent for a private TemporaryDirectory
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None) as tmp:
        folder = Path(tmp)
        for size in sizes:
            repeats = 9 if size <= 1000 else (7 if size <= 200_000 else 5)
            for chart, name in (("xmr", "xmr (ISO dates)"), ("i", "i (ISO dates)")):
                req = folder / f"{chart}-{size}.json"
                write_cli_request(req, chart, size)
                out, floor_out = folder / "out.json", folder / "floor.json"
                warm = Run(cli, req, out)  # warm-up, and the byte count to match
                if warm.code != 0:
                    raise SystemExit(f"the command line failed on {req.name}: {out.read_text()[:200]}")
                target = out.stat().st_size
                floor_cmd = [sys.executable, "-c", FLOOR, str(target)]
                Run(floor_cmd, req, floor_out)
                floors: list[Run] = []
                clis: list[Run] = []
                for _ in range(repeats):
                    measure(floor_cmd, req, floor_out, floors)
                    measure(cli, req, out, clis)
                f_ms = statistics.median(r.ms for r in floors)
                c_ms = statistics.median(r.ms for r in clis)
                f_cpu = statistics.median(r.cpu for r in floors)
                c_cpu = statistics.median(r.cpu for r in clis)
                f_rss, c_rss = max(r.rss for r in floors), max(r.rss for r in clis)
                ratio = c_ms / f_ms
                per_point = c_rss / size
                ok = ratio <= CLI_TARGETS.get(size, math.inf)
                if size >= CLI_BYTES_AT:
                    ok = ok and per_point < TARGET_BYTES
                all_ok &= ok
                print(
                    f"{'  floor':<18}{size:>11,}{f_ms:>9.0f}{1.0:>8.2f}{f_cpu:>8.0f}{1.0:>8.2f}"
                    f"{floor_out.stat().st_size / 1e6:>8.1f}{f_rss / 1e6:>8.1f}{f_rss / size:>9.1f}"
                )
                print(
                    f"{name:<18}{size:>11,}{c_ms:>9.0f}{ratio:>8.2f}{c_cpu:>8.0f}{c_cpu / f_cpu:>8.2f}"
                    f"{target / 1e6:>8.1f}{c_rss / 1e6:>8.1f}{per_point:>9.1f}  {'yes' if ok else 'NO'}"
                )
    print("-" * 92)
    print(
        "targets (wall time): <= 2x the floor at 200,000 points, <= 3x at 1,000,000; "
        f"< {TARGET_BYTES:g} bytes/point (max RSS) at 1,000,000"
    )
    print("all command-line targets met" if all_ok else "SOME COMMAND-LINE TARGETS MISSED")
    return all_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes only")
    parser.add_argument("--cli-only", action="store_true", help="only the command-line section")
    args = parser.parse_args(argv)
    ok = True
    if not args.cli_only:
        ok &= run([1000, 100_000] if args.quick else [1000, 100_000, 1_000_000])
    ok &= run_cli([1000, 200_000] if args.quick else [1000, 200_000, 1_000_000])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

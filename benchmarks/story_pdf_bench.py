"""CPU time of drawing a project's story PDF (a plain script, not a test).

Usage::

    python benchmarks/story_pdf_bench.py [--points 1000] [--repeats 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_pdfbench python benchmarks/story_pdf_bench.py

It loads the demo programme into a database of its own (a temporary SQLite file, or the PostgreSQL database the
URL names, created and dropped), takes the demo project with the most measures, and times ``story_pdf.render``
(what the task worker runs) for the public audience in CPU seconds (``time.process_time``):

- the ordinary demo project, as loaded;
- the same project with ``--points`` daily points on every measure (bulk inserted, then marked as changed).

Each is drawn cold (the cache cleared first: the charts are computed and drawn) and warm (the charts' HTML from
the cache, as when only the day changed), and, for comparison, cold with every point drawn (the window turned
off; the tables stay brief and fixed, so this is less than a PDF cost before). Target: at most 2 s of CPU cold.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pages_bench import configure_database, setup_django  # noqa: E402 - after the path is set

TARGET_CPU_SECONDS = 2.0


def cpu_of(draw, repeats: int, *, cold: bool) -> float:
    from django.core.cache import cache

    times = []
    for _ in range(repeats):
        if cold:
            cache.clear()
        start = time.process_time()
        draw()
        times.append(time.process_time() - start)
    return statistics.median(times)


def lengthen(project, points: int) -> None:
    """Every measure of the project gets ``points`` daily points (replacing its own), as an import would."""
    import numpy as np

    from shiftpractice.measures import services
    from shiftpractice.measures.models import DataPoint, Measure

    rng = np.random.default_rng(3)
    for m in Measure.objects.filter(project=project):
        DataPoint.objects.filter(measure=m).delete()
        Measure.objects.filter(pk=m.pk).update(frequency="day")
        rows = []
        for i in range(points):
            v = float(max(0.0, rng.normal(20, 4)))
            if m.has_denominator:
                rows.append(
                    DataPoint(
                        measure=m,
                        period=date(2020, 1, 1) + timedelta(days=i),
                        numerator=round(v),
                        denominator=40.0,
                    )
                )
            else:
                rows.append(DataPoint(measure=m, period=date(2020, 1, 1) + timedelta(days=i), value=round(v)))
        DataPoint.objects.bulk_create(rows, batch_size=2000)
        services.touch(m)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=1000, help="points a measure in the long case")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    url, drop = configure_database(os.environ.get("DATABASE_URL"))
    try:
        setup_django(url)
        from django.core.management import call_command
        from django.db.models import Count

        call_command("migrate", verbosity=0)
        from shiftpractice.home.demo import load_demo

        load_demo()
        from shiftpractice.measures.charts import window
        from shiftpractice.projects import story_pdf
        from shiftpractice.projects.models import ChangeProject

        project = (
            ChangeProject.objects.annotate(n=Count("measures"))
            .order_by("-n", "pk")
            .select_related("cohort")
            .first()
        )
        engine = os.environ.get("DATABASE_URL", url).split(":")[0]
        print(f"database: {engine}; project: {project.title!r}, {project.n} measures")
        print(f"{'case':<46} {'cold CPU s':>10} {'warm CPU s':>10} {'PDF KB':>8}")
        results = []

        def draw():
            fresh = ChangeProject.objects.select_related("cohort").get(pk=project.pk)
            draw.size = len(story_pdf.render(fresh, story_pdf.PUBLIC))

        def row(label: str, *, whole: bool = False) -> None:
            real = window.choose
            if whole:  # every point drawn: what a PDF cost before the window
                window.choose = lambda view, spec=window.LATEST, **kw: window.Window(
                    0, len(view.rows), len(view.rows)
                )
            try:
                cold = cpu_of(draw, 1 if whole else args.repeats, cold=True)
                warm = cpu_of(draw, args.repeats, cold=False) if not whole else float("nan")
            finally:
                window.choose = real
            results.append((label, cold, whole))
            print(f"{label:<46} {cold:>10.2f} {warm:>10.2f} {draw.size / 1024:>8.0f}")

        row("demo project, as loaded")
        lengthen(project, args.points)
        row(f"demo project, {args.points:,} points a measure")
        row("the same, every point drawn (window off)", whole=True)
        ok = all(cold <= TARGET_CPU_SECONDS for _label, cold, whole in results if not whole)
        print(f"each PDF within {TARGET_CPU_SECONDS:g} s of CPU (cold): {'yes' if ok else 'NO'}")
        return 0 if ok else 1
    finally:
        drop()


if __name__ == "__main__":
    sys.exit(main())

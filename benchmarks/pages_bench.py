"""Benchmark of the measure pages at scale (a plain script, not a timed test).

Usage::

    python benchmarks/pages_bench.py                    # small, then 1,000 participants' worth
    python benchmarks/pages_bench.py --participants 10000   # the full size: 60,000 measures, 3,000,000 points
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python benchmarks/pages_bench.py --participants 10000

It builds a programme in a database of its own (a temporary SQLite file, or a PostgreSQL database it creates
and drops, named after the one in DATABASE_URL), one change project per participant with six measures of 50
weekly points each, written with bulk inserts, and one measured project with 5 measures of 100 points and 20
PDSA cycles. At a small size and then at the large size it times, in-process with ``django.test.Client``,
the median server time of: a trivial logged-in page (the profile page: the floor), the measured project's
page (its story with the small multiples), and one of its measure pages; and counts their SQL queries.

Targets: each page within 3x the floor, and the same number of queries at every data size.

Each page is requested three times before it is timed, so the measured project's charts are in Django's
cache (``measures.charts.cache_keys``: locmem here, Redis in production) as they are on a running server after
the first view; the timed requests are repeat views of unchanged measures. A change to a measure's data
makes its next view compute and draw the chart again (about the time of the first, uncached view).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEASURES_PER_PROJECT = 6
POINTS_PER_MEASURE = 50
REPEATS = 25


def configure_database(url: str | None) -> tuple[str, callable]:
    """Point Django at a fresh database; return its URL and a function that removes it."""
    if url and url.startswith("postgres"):
        import psycopg

        base, _, _name = url.rpartition("/")
        name = "shiftpractice_pages_bench"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

        return f"{base}/{name}", drop
    path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdef0123456789")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("STATIC_FROM_FINDERS", "1")
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _batched(items, size=5000):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_rows(table: str, columns: list[str], rows) -> None:
    """executemany in batches (COPY-like speed without the ORM's per-field work)."""
    from django.db import connection

    qn = connection.ops.quote_name
    sql = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    with connection.cursor() as cursor:
        for batch in _batched(rows):
            cursor.executemany(sql, batch)


class World:
    """The programme and the people measured; grows by ``grow`` in bulk."""

    def __init__(self):
        from shiftpractice.programmes.models import Programme

        self.programme = Programme.objects.create(
            name="National programme", slug="national", organisation="NHS"
        )
        self.participants = 0
        self.cohorts = 0

    def grow(self, participants: int) -> float:
        """Add cohorts of 10 participants, each with a project of six measures of 50 points. Returns seconds."""
        from django.db import connection, transaction
        from django.utils import timezone

        from shiftpractice.accounts.models import User
        from shiftpractice.cohorts.models import Cohort, Membership
        from shiftpractice.measures.models import Measure
        from shiftpractice.projects.models import ChangeProject

        t0 = time.perf_counter()
        now = timezone.now()
        ops = connection.ops
        start = self.participants
        with transaction.atomic():
            new_cohorts = []
            for c in range(self.cohorts, self.cohorts + (participants + 9) // 10):
                new_cohorts.append(
                    Cohort(
                        programme=self.programme,
                        name=f"Cohort {c}",
                        slug=f"cohort-{c}",
                        start_date=date(2021, 1, 1),
                        end_date=date(2021, 12, 31),
                        capacity=10,
                    )
                )
            Cohort.objects.bulk_create(new_cohorts, batch_size=2000)
            self.cohorts += len(new_cohorts)
            cohort_ids = list(
                Cohort.objects.filter(programme=self.programme).order_by("id").values_list("id", flat=True)
            )
            users = [
                User(
                    email=f"p{i}@bench.example",
                    full_name=f"Participant {i}",
                    password="!",  # noqa: S106 - unusable
                    calendar_token=f"tok{i}",
                )
                for i in range(start, start + participants)
            ]
            User.objects.bulk_create(users, batch_size=2000)
            user_ids = list(
                User.objects.filter(email__endswith="@bench.example")
                .order_by("id")
                .values_list("id", flat=True)
            )[start:]
            Membership.objects.bulk_create(
                [
                    Membership(cohort_id=cohort_ids[(start + k) // 10], user_id=uid, role="participant")
                    for k, uid in enumerate(user_ids)
                ],
                batch_size=5000,
            )
            ChangeProject.objects.bulk_create(
                [
                    ChangeProject(
                        owner_id=uid,
                        cohort_id=cohort_ids[(start + k) // 10],
                        title=f"Project {start + k}",
                        visibility="programme",
                    )
                    for k, uid in enumerate(user_ids)
                ],
                batch_size=5000,
            )
            project_ids = (
                list(ChangeProject.objects.filter(owner_id__in=user_ids).values_list("id", flat=True))
                if len(user_ids) < 900
                else list(
                    ChangeProject.objects.filter(owner__email__endswith="@bench.example")
                    .order_by("id")
                    .values_list("id", flat=True)
                )[start:]
            )
            kinds = ["count", "proportion", "continuous", "count", "continuous", "rate"]
            types = ["outcome", "process", "balancing", "sustainability", "outcome", "process"]
            Measure.objects.bulk_create(
                [
                    Measure(
                        project_id=pid,
                        name=f"Measure {j}",
                        measure_type=types[j],
                        data_kind=kinds[j],
                        position=j,
                    )
                    for pid in project_ids
                    for j in range(MEASURES_PER_PROJECT)
                ],
                batch_size=5000,
            )
            measures = (
                Measure.objects.filter(project_id__in=project_ids)
                if len(project_ids) < 900
                else Measure.objects.filter(
                    project__owner__email__endswith="@bench.example", project_id__gte=min(project_ids)
                )
            )
            stamp = ops.adapt_datetimefield_value(now)
            periods = [
                ops.adapt_datefield_value(date(2021, 1, 4) + timedelta(weeks=i))
                for i in range(POINTS_PER_MEASURE)
            ]

            def rows():
                for mid, kind in measures.values_list("id", "data_kind").iterator(chunk_size=5000):
                    for i, period in enumerate(periods):
                        v = 10 + (i * 7919 + mid) % 9 + (4 if i > 30 else 0)
                        if kind in ("proportion", "rate"):
                            yield (mid, period, None, float(v), 40.0, "", False, "", stamp, stamp)
                        else:
                            yield (mid, period, float(v), None, None, "", False, "", stamp, stamp)

            insert_rows(
                "measures_datapoint",
                [
                    "measure_id",
                    "period",
                    "value",
                    "numerator",
                    "denominator",
                    "note",
                    "excluded",
                    "exclusion_reason",
                    "created_at",
                    "updated_at",
                ],
                rows(),
            )
        self.participants += participants
        return time.perf_counter() - t0


def measured_project(world: World):
    """The project whose pages are timed: 5 measures of 100 points and 20 PDSA cycles."""
    from shiftpractice.accounts.models import User
    from shiftpractice.cohorts.models import Membership
    from shiftpractice.measures import services
    from shiftpractice.measures.models import DataPoint
    from shiftpractice.projects.models import ChangeProject, Cycle

    user = User.objects.create_user(
        email="measured@bench.test",
        password="bench-password-123",  # noqa: S106 - a throwaway database
        full_name="Measured Person",
    )
    cohort = world.programme.cohorts.order_by("id").first()
    Membership.objects.create(cohort=cohort, user=user, role="participant")
    project = ChangeProject.objects.create(
        owner=user, cohort=cohort, title="Measured project", visibility="team"
    )
    Cycle.objects.bulk_create(
        Cycle(
            project=project,
            number=k + 1,
            title=f"Test {k + 1}",
            start_date=date(2021, 1, 4) + timedelta(weeks=4 * k + 10),
        )
        for k in range(20)
    )
    measures = []
    for j, kind in enumerate(["count", "proportion", "continuous", "continuous", "rate"]):
        m = services.measure_create(
            project=project,
            name=f"Measured {j}",
            measure_type="outcome",
            data_kind=kind,
            frequency="week",
            actor=user,
        )
        measures.append(m)
        DataPoint.objects.bulk_create(
            DataPoint(
                measure=m,
                period=date(2021, 1, 4) + timedelta(weeks=i),
                value=None if m.has_denominator else float(10 + i % 5 + (6 if i > 50 else 0)),
                numerator=float(10 + i % 5 + (6 if i > 50 else 0)) if m.has_denominator else None,
                denominator=40.0 if m.has_denominator else None,
                note="Note" if i % 25 == 0 else "",
            )
            for i in range(100)
        )
    return user, project, measures[2]


def time_pages(client, urls: dict[str, str]) -> dict[str, tuple[float, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for name, url in urls.items():
        for _ in range(3):  # warm up
            assert client.get(url).status_code == 200, (name, url)
        times = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - t0)
        with CaptureQueriesContext(connection) as q:
            client.get(url)
        out[name] = (statistics.median(times) * 1000, len(q.captured_queries))
    return out


def time_import(user, project, rows: int = 100_000) -> str:
    """Upload, check and import a CSV of ``rows`` daily values; the time and the peak Python memory."""
    import tracemalloc

    from django.core.files.uploadedfile import SimpleUploadedFile

    from shiftpractice.measures import imports, services

    measure = services.measure_create(
        project=project,
        name="Imported",
        measure_type="process",
        data_kind="continuous",
        frequency="day",
        actor=user,
    )
    start = date(1800, 1, 1)
    text = "period,value,note\n" + "".join(f"{start + timedelta(days=i)},{i % 97}.5,\n" for i in range(rows))
    upload = SimpleUploadedFile("big.csv", text.encode())
    tracemalloc.start()
    t0 = time.perf_counter()
    data_import = imports.import_upload(measure=measure, uploaded=upload, actor=user)
    imports.import_check(data_import)
    checked = time.perf_counter() - t0
    imports.import_commit(data_import=data_import, actor=user)
    total = time.perf_counter() - t0
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert data_import.status == "done"
    return (
        f"import of a {rows:,}-row CSV ({len(text) / 1e6:.1f} MB): checked in {checked:.1f} s, imported in "
        f"{total:.1f} s in all (under tracemalloc), peak traced memory {peak / 1e6:.0f} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--participants", type=int, default=10_000, help="participants at the large size (10000 = full)"
    )
    parser.add_argument("--small", type=int, default=20, help="participants at the small size")
    parser.add_argument(
        "--import-rows", type=int, default=100_000, help="rows of the timed CSV import (0: skip)"
    )
    args = parser.parse_args()
    url, drop = configure_database(os.environ.get("DATABASE_URL"))
    try:
        setup_django(url)
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        print(f"database: {connection.vendor}")
        world = World()
        seconds = world.grow(args.small)
        user, project, measure = measured_project(world)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        urls = {
            "floor: profile page": reverse("accounts:profile"),
            "project page (5 measures x 100 points, 20 cycles)": project.get_absolute_url(),
            "measure page (100 points)": measure.get_absolute_url(),
        }
        results = [(args.small, seconds, time_pages(client, urls))]
        seconds = world.grow(args.participants - args.small)
        from shiftpractice.measures.models import DataPoint, Measure

        n_measures, n_points = Measure.objects.count(), DataPoint.objects.count()
        results.append((args.participants, seconds, time_pages(client, urls)))
        print(
            f"large size: {args.participants:,} participants' projects, {n_measures:,} measures, {n_points:,} data points "
            f"(generated in {seconds:.1f} s)"
        )
        print()
        print(f"{'participants':>12}  {'page':<52} {'median ms':>10} {'x floor':>8} {'queries':>8}")
        ok = True
        queries_at = {}
        for size, _s, pages in results:
            floor = pages["floor: profile page"][0]
            for name, (ms, queries) in pages.items():
                ratio = ms / floor
                print(f"{size:>12,}  {name:<52} {ms:>10.2f} {ratio:>8.2f} {queries:>8}")
                if name != "floor: profile page":
                    ok &= ratio <= 3.0
                queries_at.setdefault(name, set()).add(queries)
        same = all(len(v) == 1 for v in queries_at.values())
        print()
        if args.import_rows:
            from django.conf import settings

            settings.MEDIA_ROOT = tempfile.mkdtemp()
            print(time_import(user, project, args.import_rows))
        print(
            f"each page within 3x the floor: {'yes' if ok else 'NO'}; same queries at every size: {'yes' if same else 'NO'}"
        )
        return 0 if ok and same else 1
    finally:
        drop()


if __name__ == "__main__":
    raise SystemExit(main())

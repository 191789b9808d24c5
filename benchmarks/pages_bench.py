"""Benchmark of the pages people open every week, at a small and a large programme (a plain script, not a test).

Usage::

    python benchmarks/pages_bench.py --quick            # development: a small, then a medium programme (about a minute)
    python benchmarks/pages_bench.py                    # the full run: 20, then 10,000 participants (several minutes)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_bench python benchmarks/pages_bench.py

It builds a programme in a database of its own (a temporary SQLite file, or a PostgreSQL database named as in
DATABASE_URL, which it creates and drops), one change project per participant with six measures of 50 weekly
points each, written with bulk inserts, and one measured project (5 measures, 20 PDSA cycles) owned by the
measured participant, who is coached, gets notifications and posts in a thread of their cohort's board.

Two sizes (``--quick`` makes the large one medium):

- small: 20 participants; 30 cohorts (the 20 in the first two, the rest not started), a coach of 30 people
  (the 20 and ten more, each of whom has a project like the participants', so the programme has 31), a thread of 50 posts on a board of 30 threads, 30 notifications and 100 points a measure. Every list is at
  least a page long, so the two sizes compare page for page.
- large: 10,000 participants in 1,000 cohorts, a coach of 150, a thread of 5,000 posts on a board of 1,000
  threads, 5,000 notifications, and 100,000 points on one measure of the measured project.

At each size it times, in-process with ``django.test.Client``, every page a participant, a coach, a lead and a
critical friend open weekly: warm (each page requested three times first, so charts and fragments are in the
cache, as on a running server) and cold (the cache cleared before every request, as after a data change or a
restart). The floor, a trivial signed-in page (the person's profile), is requested in the same loop just before
each page, cold when the page is cold, so both meet the same machine state. It prints each page's HTML size,
SQL queries (warm), median milliseconds, the ratio to the median of every floor request at that size ("x floor"),
and the median of the page's paired ratios, each request over the floor request made just before it ("paired":
on a shared machine whose speed drifts from one second to the next, the pair meets the same state, so this is
the ratio the targets are checked on). Then it checks the targets:

- every page within 3x the floor warm and 6x cold;
- the same queries and the same HTML size (within 10%) at both sizes;
- the project's story PDF drawn within 2 s of CPU at both sizes (the median of three cold builds).

On PostgreSQL the tables are analysed before timing (``analyse``). It exits 1 when a target is missed. A page
that does not answer 200 is reported and left out of the checks.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEASURES_PER_PROJECT = 6
POINTS_PER_MEASURE = 50
REPEATS = 25  # warm requests of each page (and as many of the floor, interleaved)
COLD_REPEATS = 5  # cold requests of each page (the cache cleared before each)
PDF_REPEATS = 3  # cold builds of the story PDF (the median is reported)


POINT_COLUMNS = [
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
]


def configure_database(url: str | None) -> tuple[str, callable]:
    """Point Django at a fresh database; return its URL and a function that removes it.

    With a PostgreSQL URL the benchmark's database is the one the URL names (created here and dropped at the
    end; ``shiftpractice_pages_bench`` if the URL names the ``postgres`` database itself)."""
    if url and url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        name = name.split("?")[0]
        if name in ("", "postgres", "template0", "template1"):
            name = "shiftpractice_pages_bench"
        admin = f"{base}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
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
    # The cache the settings choose for the database (files beside SQLite, a table in PostgreSQL, Redis when
    # REDIS_URL is set), in a folder of its own: the cold runs clear it.
    os.environ.setdefault("CACHE_DIR", tempfile.mkdtemp(prefix="pages-bench-cache-"))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # nothing to do unless the cache is a database table


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

    def pad_cohorts(self, total: int) -> None:
        """Cohorts not started yet, up to ``total``: the next participants join them in order."""
        from shiftpractice.cohorts.models import Cohort

        Cohort.objects.bulk_create(self.new_cohort(c) for c in range(self.cohorts, total))
        self.cohorts = max(self.cohorts, total)

    def new_cohort(self, c: int):
        """The c-th generated cohort of the programme (unsaved): ten places, dated 2021."""
        from shiftpractice.cohorts.models import Cohort

        return Cohort(
            programme=self.programme,
            name=f"Cohort {c}",
            slug=f"cohort-{c}",
            start_date=date(2021, 1, 1),
            end_date=date(2021, 12, 31),
            capacity=10,
        )

    def grow(self, participants: int) -> float:
        """Add cohorts of 10 participants, each with a project of six measures of 50 points. Returns seconds."""
        from django.db import transaction

        from shiftpractice.accounts.models import User
        from shiftpractice.cohorts.models import Cohort, Membership

        t0 = time.perf_counter()
        start = self.participants
        with transaction.atomic():
            new_cohorts = [
                self.new_cohort(c)
                for c in range(self.cohorts, max(self.cohorts, (start + participants + 9) // 10))
            ]
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
            self.add_projects([(uid, cohort_ids[(start + k) // 10]) for k, uid in enumerate(user_ids)])
        self.participants += participants
        return time.perf_counter() - t0

    def add_projects(self, owners: list[tuple[int, int]]) -> None:
        """A programme-visible project for each (user id, cohort id), with six measures of 50 weekly points."""
        from django.db import connection
        from django.utils import timezone

        from shiftpractice.measures.models import Measure
        from shiftpractice.projects.models import ChangeProject

        ops = connection.ops
        now = timezone.now()
        first = ChangeProject.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ChangeProject.objects.bulk_create(
            [
                ChangeProject(owner_id=uid, cohort_id=cid, title=f"Project of {uid}", visibility="programme")
                for uid, cid in owners
            ],
            batch_size=5000,
        )
        # Ids only grow: the projects just made are those past the largest id before.
        project_ids = ChangeProject.objects.filter(id__gt=first).values_list("id", flat=True)
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
                for pid in project_ids.iterator(chunk_size=5000)
                for j in range(MEASURES_PER_PROJECT)
            ],
            batch_size=5000,
        )
        measures = Measure.objects.filter(project_id__gt=first)
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

        insert_rows("measures_datapoint", POINT_COLUMNS, rows())


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
        # The points are written around the services: their data version moves on and the chart summary is
        # stored, as an import's commit does (``services.touch``), so every size starts from the same state.
        services.touch(m)
    return user, project, measures[2]


@dataclass(frozen=True)
class Size:
    """How big each thing is at one size of the benchmark."""

    label: str
    participants: int
    cohorts: int  # at least (the participants fill cohorts of 10; the rest are not started)
    points: int  # on the measured measure
    posts: int  # in the measured thread
    threads: int  # on the measured cohort's board
    coachees: int
    notifications: int


SMALL = Size("small", 20, 30, 100, 50, 30, 30, 30)
LARGE = Size("large", 10_000, 1_000, 100_000, 5_000, 1_000, 150, 5_000)
MEDIUM = Size("medium", 500, 50, 5_000, 500, 100, 60, 300)  # the large size of --quick


class Cast:
    """The people whose weekly pages are timed, and the lists that grow around them."""

    def __init__(self, world: World):
        from shiftpractice.accounts.models import User
        from shiftpractice.coaching.services import discussions, journal
        from shiftpractice.cohorts.models import Membership

        self.world = world
        self.participant, self.project, self.measure = measured_project(world)
        self.cohort = self.project.cohort
        make = User.objects.create_user
        self.coach = make(email="coach@bench.test", password="bench-password-123", full_name="Bench Coach")  # noqa: S106
        self.lead = make(email="lead@bench.test", password="bench-password-123", full_name="Bench Lead")  # noqa: S106
        self.friend = make(email="friend@bench.test", password="bench-password-123", full_name="Bench Friend")  # noqa: S106
        world.programme.leads.add(self.lead)
        Membership.objects.create(cohort=self.cohort, user=self.friend, role="critical_friend")
        self.board = discussions.board_for_cohort(self.cohort)
        self.thread = discussions.thread_start(
            board=self.board,
            title="What worked this week",
            body="Tell us what you tried.",
            actor=self.participant,
        )
        for k in range(10):
            journal.entry_create(
                author=self.participant,
                cohort=self.cohort,
                title=f"Reflection {k}",
                body="What I learnt.",
                privacy="private",
            )
        self.coachees = 0
        self.assignment = None
        self.points = 100
        self.extra_people = 0

    def grow_to(self, size: Size) -> float:
        """Grow every list to ``size`` (after the world's participants). Returns seconds."""
        t0 = time.perf_counter()
        self.world.pad_cohorts(size.cohorts)
        self._coachees(size.coachees)
        self._posts(size.posts)
        self._threads(size.threads)
        self._notifications(size.notifications)
        self._points(size.points)
        return time.perf_counter() - t0

    def _coachees(self, n: int) -> None:
        """The coach coaches the measured participant, then the world's participants in order, then (when the
        world is smaller than a page of coachees) people added for the purpose, each with a project."""
        from shiftpractice.accounts.models import User
        from shiftpractice.coaching.models import CoachAssignment
        from shiftpractice.cohorts.models import Cohort, Membership

        today = date.today()
        if self.assignment is None:
            Membership.objects.create(cohort=self.cohort, user=self.coach, role="coach")
            self.assignment = CoachAssignment.objects.create(
                cohort=self.cohort,
                coach=self.coach,
                participant=self.participant,
                starts_on=today - timedelta(days=60),
            )
            self.coachees = 1
        wanted = n - self.coachees
        if wanted <= 0:
            return
        taken = set(CoachAssignment.objects.filter(coach=self.coach).values_list("participant_id", flat=True))
        pool = list(
            Membership.objects.filter(role="participant", user__email__endswith="@bench.example")
            .exclude(user_id__in=taken)
            .order_by("user_id")
            .values_list("user_id", "cohort_id")[:wanted]
        )
        if len(pool) < wanted:
            first = Cohort.objects.filter(programme=self.world.programme).order_by("id").first()
            extra = [
                User(email=f"x{i}@coached.example", full_name=f"Coached {i:05d}", password="!")  # noqa: S106
                for i in range(self.extra_people, self.extra_people + wanted - len(pool))
            ]
            self.extra_people += len(extra)
            User.objects.bulk_create(extra)
            ids = User.objects.filter(email__in=[u.email for u in extra]).values_list("id", flat=True)
            Membership.objects.bulk_create(
                Membership(cohort=first, user_id=i, role="participant") for i in ids
            )
            pool += [(i, first.pk) for i in ids]
            # Each with a project like the world's participants', so the coach's pages and every project
            # list are at least a page long at the small size too.
            self.world.add_projects([(i, first.pk) for i in ids])
        cohorts = {c for _u, c in pool} - set(
            Membership.objects.filter(user=self.coach, role="coach").values_list("cohort_id", flat=True)
        )
        Membership.objects.bulk_create(
            Membership(cohort_id=c, user=self.coach, role="coach") for c in cohorts
        )
        CoachAssignment.objects.bulk_create(
            CoachAssignment(
                cohort_id=c, coach=self.coach, participant_id=u, starts_on=today - timedelta(days=10 + k % 50)
            )
            for k, (u, c) in enumerate(pool)
        )
        self.coachees += len(pool)

    def _posts(self, n: int) -> None:
        from shiftpractice.coaching.models import Post

        have = self.thread.posts.count()
        Post.objects.bulk_create(
            Post(
                thread=self.thread,
                author=self.participant,
                body=f"Reply {k:05d}: we tried the leaflet again.",
                body_html=f"<p>Reply {k:05d}: we tried the leaflet again.</p>",
            )
            for k in range(have, n)
        )

    def _threads(self, n: int) -> None:
        from django.utils import timezone

        from shiftpractice.coaching.models import Thread

        have = self.board.threads.count()
        now = timezone.now()
        Thread.objects.bulk_create(
            Thread(
                board=self.board,
                author=self.participant,
                title=f"Thread {k:05d}",
                last_post_at=now - timedelta(hours=k),
            )
            for k in range(have, n)
        )

    def _notifications(self, n: int) -> None:
        from shiftpractice.notifications.models import Notification

        have = Notification.objects.filter(recipient=self.participant).count()
        Notification.objects.bulk_create(
            Notification(
                recipient=self.participant,
                kind="comment",
                title=f"A comment on your project ({k:05d})",
                url=self.project.get_absolute_url(),
            )
            for k in range(have, n)
        )

    def _points(self, n: int) -> None:
        """Earlier weeks on the measured measure, so the latest periods (and the PDSA cycles) stay where they were;
        then its data version moves on, as an import's commit does."""
        from django.db import connection
        from django.utils import timezone

        from shiftpractice.measures.models import Measure

        if n <= self.points:
            return
        ops = connection.ops
        stamp = ops.adapt_datetimefield_value(timezone.now())
        first = date(2021, 1, 4)
        insert_rows(
            "measures_datapoint",
            POINT_COLUMNS,
            (
                (
                    self.measure.pk,
                    ops.adapt_datefield_value(first - timedelta(weeks=k)),
                    float(10 + k % 5),
                    None,
                    None,
                    "",
                    False,
                    "",
                    stamp,
                    stamp,
                )
                for k in range(self.points - 99, n - 99)
            ),
        )
        self.points = n
        Measure.objects.filter(pk=self.measure.pk).update(updated_at=timezone.now())
        self.measure.refresh_from_db()
        _refresh_summaries([self.measure.pk])

    def pages(self) -> list[tuple[str, str, str]]:
        """(persona, page, url) for every page timed; the persona's profile page is the floor."""
        from django.urls import reverse

        slug = self.world.programme.slug
        project, measure = self.project.get_absolute_url(), self.measure.get_absolute_url()
        programme = self.world.programme.get_absolute_url()
        board = reverse("coaching:cohort_board", args=[self.cohort.slug])
        thread = self.thread.get_absolute_url()
        return [
            ("participant", "home", reverse("home:index")),
            ("participant", "project list", reverse("projects:list")),
            ("participant", "project page", project),
            ("participant", "measure page", measure),
            ("participant", "journal", reverse("coaching:journal")),
            ("participant", "coaching (own support)", reverse("coaching:dashboard")),
            ("participant", "discussion boards", reverse("coaching:boards")),
            ("participant", "cohort board", board),
            ("participant", "thread, first page", thread),
            ("participant", "thread, page 2", thread + "?page=2"),
            ("participant", "notifications", reverse("notifications:list")),
            ("participant", "programme page", programme),
            ("coach", "home", reverse("home:index")),
            ("coach", "coach dashboard", reverse("coaching:dashboard")),
            ("coach", "coachee page", self.assignment.get_absolute_url()),
            ("coach", "project page", project),
            ("coach", "measure page", measure),
            ("coach", "thread, page 2", thread + "?page=2"),
            ("coach", "portfolio", reverse("home:portfolio", args=[slug])),
            ("lead", "home", reverse("home:index")),
            ("lead", "project list", reverse("projects:list")),
            ("lead", "programme page", programme),
            ("lead", "portfolio", reverse("home:portfolio", args=[slug])),
            ("lead", "coaching (led cohorts)", reverse("coaching:dashboard")),
            ("lead", "discussion boards", reverse("coaching:boards")),
            ("lead", "evaluation plan", reverse("evaluation:plan", args=[slug])),
            ("lead", "evaluation results", reverse("evaluation:results", args=[slug])),
            ("critical friend", "home", reverse("home:index")),
            ("critical friend", "programme page", programme),
            ("critical friend", "portfolio", reverse("home:portfolio", args=[slug])),
            ("critical friend", "project page", project),
            ("critical friend", "evaluation plan", reverse("evaluation:plan", args=[slug])),
            ("critical friend", "evaluation results", reverse("evaluation:results", args=[slug])),
        ]

    def clients(self) -> dict:
        from django.test import Client

        out = {}
        for persona, user in [
            ("participant", self.participant),
            ("coach", self.coach),
            ("lead", self.lead),
            ("critical friend", self.friend),
        ]:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            out[persona] = client
        return out


def _refresh_summaries(measure_ids) -> None:
    """Store the chart summaries of measures written around the services, as an import's background task does
    (when this version of the code stores them: ``measures.summaries``)."""
    try:
        from shiftpractice.measures import summaries
    except ImportError:
        return
    from shiftpractice.measures.models import Measure

    summaries.refresh_all(Measure.objects.filter(pk__in=list(measure_ids)))


def analyse() -> None:
    """Give PostgreSQL's planner the statistics of the tables just filled, as its autovacuum does on a running
    server within a minute or so of a bulk load (without them it guesses a few rows a table and may plan a
    10,000-row join as a nested loop). SQLite keeps no statistics unless asked, and the app does not ask."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@dataclass
class Timing:
    html: int = 0
    queries: int = 0
    status: int = 200
    warm: list = field(default_factory=list)
    cold: list = field(default_factory=list)
    floor_warm: list = field(default_factory=list)
    floor_cold: list = field(default_factory=list)


def _timed(client, url: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    response = client.get(url)
    return time.perf_counter() - t0, response.status_code


def time_pages(cast: Cast, *, warm_repeats: int, cold_repeats: int) -> dict[tuple[str, str], Timing]:
    """Each page, warm then cold, with the persona's floor page requested just before it in the same loop."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    clients = cast.clients()
    floor = reverse("accounts:profile")
    pages = cast.pages()
    out = {(persona, name): Timing() for persona, name, _url in pages}
    for persona, name, url in pages:  # warm up, and the size and queries of a warm view
        client, timing = clients[persona], out[(persona, name)]
        for _ in range(3):
            response = client.get(url)
        timing.status = response.status_code
        with CaptureQueriesContext(connection) as q:
            response = client.get(url)
        timing.html, timing.queries = len(response.content), len(q.captured_queries)
    live = [(p, n, u) for p, n, u in pages if out[(p, n)].status == 200]
    for _ in range(warm_repeats):
        for persona, name, url in live:
            client, timing = clients[persona], out[(persona, name)]
            timing.floor_warm.append(_timed(client, floor)[0])
            timing.warm.append(_timed(client, url)[0])
    for _ in range(cold_repeats):
        for persona, name, url in live:
            client, timing = clients[persona], out[(persona, name)]
            cache.clear()
            timing.floor_cold.append(_timed(client, floor)[0])
            cache.clear()
            timing.cold.append(_timed(client, url)[0])
    return out


def pdf_cpu(project, repeats: int = PDF_REPEATS) -> float | None:
    """CPU seconds to draw the measured project's story PDF for the programme's audience from a cold cache
    (``story_pdf.render``, what the build task runs): the median of ``repeats`` builds, each after a garbage
    collection (as a task worker starts a task), or None when WeasyPrint cannot draw on this machine. The
    process's first PDF is drawn once before, untimed."""
    from django.core.cache import cache

    from shiftpractice.projects import story_pdf

    times = []
    try:
        # Once untimed: the first PDF a process draws also loads WeasyPrint's fonts and styles (0.5-1 s of CPU
        # here), which a task worker pays once, not for every PDF it builds.
        if not _pdf_warmed:
            story_pdf.render(project, story_pdf.PROGRAMME)
            _pdf_warmed.append(True)
        for _ in range(repeats):
            cache.clear()
            gc.collect()
            t0 = time.process_time()
            story_pdf.render(project, story_pdf.PROGRAMME)
            times.append(time.process_time() - t0)
    except OSError:
        return None
    return statistics.median(times)


_pdf_warmed: list = []


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


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else float("nan")


def _paired(page: list[float], floor: list[float]) -> float:
    """The median of each request's time over the floor request made just before it."""
    return statistics.median(p / f for p, f in zip(page, floor, strict=True)) if page else float("nan")


def report(results: list[tuple[Size, dict]]) -> bool:
    """Print the table of every page at every size and the checks; True when every target is met."""
    print(
        f"{'size':<7} {'persona':<16} {'page':<28} {'HTML KB':>8} {'queries':>8} "
        f"{'warm ms':>8} {'x floor':>8} {'paired':>7} {'cold ms':>8} {'x floor':>8} {'paired':>7}"
    )
    ok_warm = ok_cold = True
    misses = []
    for size, timings in results:
        floor_warm = _median_ms([t for timing in timings.values() for t in timing.floor_warm])
        floor_cold = _median_ms([t for timing in timings.values() for t in timing.floor_cold])
        print(
            f"{size.label:<7} {'(each persona)':<16} {'floor: profile page':<28} {'':>8} {'':>8} "
            f"{floor_warm:>8.2f} {1:>8.2f} {'':>7} {floor_cold:>8.2f} {1:>8.2f}"
        )
        for (persona, name), timing in timings.items():
            if timing.status != 200:
                print(f"{size.label:<7} {persona:<16} {name:<28} answered {timing.status}: not timed")
                continue
            warm, cold = _median_ms(timing.warm), _median_ms(timing.cold)
            pw, pc = _paired(timing.warm, timing.floor_warm), _paired(timing.cold, timing.floor_cold)
            flag = ("" if pw <= 3.0 else " warm>3x") + ("" if pc <= 6.0 else " cold>6x")
            print(
                f"{size.label:<7} {persona:<16} {name:<28} {timing.html / 1024:>8.1f} {timing.queries:>8} "
                f"{warm:>8.2f} {warm / floor_warm:>8.2f} {pw:>7.2f} {cold:>8.2f} {cold / floor_cold:>8.2f} {pc:>7.2f}"
                f"{flag}"
            )
            ok_warm &= pw <= 3.0
            ok_cold &= pc <= 6.0
    print()
    same_queries = same_html = True
    (small, first), (large, last) = results[0], results[-1]
    print(
        f"{'persona':<16} {'page':<28} {'KB ' + small.label:>10} {'KB ' + large.label:>10} {'ratio':>6} {'queries':>11}"
    )
    for key, a in first.items():
        b = last.get(key)
        if b is None or a.status != 200 or b.status != 200:
            continue
        ratio = b.html / a.html
        queries = f"{a.queries} -> {b.queries}"
        flag = ("" if abs(ratio - 1) <= 0.10 else " size") + ("" if a.queries == b.queries else " queries")
        print(
            f"{key[0]:<16} {key[1]:<28} {a.html / 1024:>10.1f} {b.html / 1024:>10.1f} {ratio:>6.2f} {queries:>11}{flag}"
        )
        same_html &= abs(ratio - 1) <= 0.10
        same_queries &= a.queries == b.queries
        if flag:
            misses.append(f"{key[0]}: {key[1]}{flag}")
    print()
    print(
        f"every page within 3x the floor warm: {'yes' if ok_warm else 'NO'}; within 6x cold: {'yes' if ok_cold else 'NO'}; "
        f"same queries at every size: {'yes' if same_queries else 'NO'}; "
        f"same HTML size (±10%) at every size: {'yes' if same_html else 'NO'}"
    )
    return ok_warm and ok_cold and same_queries and same_html


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="a medium large size and fewer repeats (development)"
    )
    parser.add_argument(
        "--participants",
        type=int,
        default=None,
        help="participants at the large size (default 10000; 500 quick)",
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=None,
        help="rows of the timed CSV import (0: skip; default 100000, 0 quick)",
    )
    parser.add_argument(
        "--small", type=int, default=SMALL.participants, help="participants at the small size"
    )
    args = parser.parse_args()
    large = MEDIUM if args.quick else LARGE
    if args.participants:
        large = dataclasses.replace(large, participants=args.participants)
    small = dataclasses.replace(SMALL, participants=args.small)
    import_rows = args.import_rows if args.import_rows is not None else (0 if args.quick else 100_000)
    warm_repeats, cold_repeats = (5, 2) if args.quick else (REPEATS, COLD_REPEATS)
    url, drop = configure_database(os.environ.get("DATABASE_URL"))
    try:
        setup_django(url)
        from django.db import connection

        print(f"database: {connection.vendor}")
        world = World()
        results, pdfs = [], []
        for size in (small, large):
            seconds = world.grow(size.participants - world.participants)
            if size is small:
                cast = Cast(world)
            seconds += cast.grow_to(size)
            from shiftpractice.cohorts.models import Cohort
            from shiftpractice.measures.models import DataPoint, Measure

            print(
                f"{size.label}: {world.participants:,} participants in {Cohort.objects.count():,} cohorts, "
                f"{Measure.objects.count():,} measures, {DataPoint.objects.count():,} data points "
                f"({cast.points:,} on the measured measure), a coach of {cast.coachees}, a thread of "
                f"{cast.thread.posts.count():,} posts on a board of {cast.board.threads.count():,} threads, "
                f"{size.notifications:,} notifications (generated in {seconds:.1f} s)"
            )
            analyse()
            timings = time_pages(cast, warm_repeats=warm_repeats, cold_repeats=cold_repeats)
            results.append((size, timings))
            pdf = pdf_cpu(cast.project)
            pdfs.append(pdf)
            shown = (
                "not drawn (no Pango on this machine)"
                if pdf is None
                else f"{pdf:.2f} s of CPU (median of {PDF_REPEATS} cold builds)"
            )
            print(
                f"{size.label}: story PDF of the measured project ({cast.points:,} points on its largest measure): {shown}"
            )
        print()
        ok = report(results)
        pdf_ok = all(p is not None and p <= 2.0 for p in pdfs)
        print(f"story PDF within 2 s of CPU at every size: {'yes' if pdf_ok else 'NO'}")
        if import_rows:
            from django.conf import settings

            settings.MEDIA_ROOT = tempfile.mkdtemp()
            print(time_import(cast.participant, cast.project, import_rows))
        return 0 if ok and pdf_ok else 1
    finally:
        drop()


if __name__ == "__main__":
    raise SystemExit(main())

"""Load benchmark of the production server (a plain script, not a test). Loopback only, bounded in time and count.

Usage::

    python benchmarks/load_bench.py                          # SQLite, 10/50/100 users, gunicorn
    python benchmarks/load_bench.py --db sqlite --db postgres # both (PostgreSQL on 127.0.0.1, role postgres)
    python benchmarks/load_bench.py --server granian --levels 50 --seconds 10

For each database it builds a fresh one of its own (a temporary SQLite file, or a PostgreSQL database it creates
and drops), migrates it, loads the demo (``load_demo --demo``) plus a generated programme of ``--participants``
people (each with a project and a measure of 50 weekly points), and starts the
server as ``make run`` does (DEBUG off, ``config/gunicorn.conf.py``, collected static files, the shared file or
database cache) with a task worker beside it, on a free port of 127.0.0.1.

Then, at each level of concurrent users (logged in first, each with a session of its own, as the demo's
participants, coaches, lead and critical friend in turn), every user loops with no think time over a mix:
home page, project page, measure page, chart SVG, and for participants adding a data point and for everyone
posting a comment. Beside it, two floors, each the same server answering a trivial page to the same number of
users: ``/health/`` (no session, no database), and the signed-in person's profile page (their session, their
user row and the navigation every page shows, and little else: the floor of ``pages_bench.py``). It prints
throughput, p50/p95/p99 and errors (any answer other than 2xx/3xx, or no answer) for the mix and both floors,
and the mix's ratios to each. Each level runs ``--seconds`` and at most ``--max-requests``; only 127.0.0.1 is ever contacted.

``--layout scaled`` (PostgreSQL only) tries the scale-out layout of ``docs/operations.md`` instead of one server:
two gunicorn servers on different ports, each with a task worker (two workers on one queue), the cache in Redis
(``BENCH_REDIS_URL``, database 13 of the local Redis by default, emptied first) and a simple loopback proxy in
this script that hands each new connection to the servers in turn. ``--layout single --layout scaled`` runs both.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only: nothing else is ever contacted
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_NAME = "shiftpractice_load_bench"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
# How often each request kind is picked (participants add data; everyone reads and comments).
MIX = {"home": 4, "project": 3, "measure": 3, "chart": 3, "point": 1, "comment": 1}


# ------------------------------------------------------------------------------------------ the server side


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def database(kind: str) -> tuple[str, callable]:
    if kind == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}"')
            conn.execute(f'CREATE DATABASE "{PG_NAME}"')

        def drop():
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')

        return PG_ADMIN_URL.rpartition("/")[0] + f"/{PG_NAME}", drop
    folder = Path(tempfile.mkdtemp(prefix="shiftpractice-load-"))
    return f"sqlite:///{folder / 'bench.sqlite3'}", lambda: shutil.rmtree(folder, ignore_errors=True)


def server_env(db_url: str, port: int, cache_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "CACHE_BACKEND"}}
    env.update(
        DATABASE_URL=db_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        PORT=str(port),
        SITE_URL=f"http://{HOST}:{port}",
        CACHE_DIR=cache_dir,
        LOG_LEVEL="WARNING",
        AXES_FAILURE_LIMIT="1000",
    )
    return env


def manage(env: dict, *args: str) -> str:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare(env: dict, participants: int) -> dict:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "load_demo", "--demo", "--quiet-logins")
    done = subprocess.run(  # noqa: S603 - this script, in its setup mode
        [sys.executable, __file__, "--child-setup", str(participants)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"setting up the database failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def generate_programme(participants: int) -> None:
    """A second programme written in bulk: cohorts of 20 participants, each with a project and a measure of 50
    weekly points (nobody logs in as them: they make the tables as large as a real programme's)."""
    from datetime import date, timedelta

    from django.db import transaction

    from shiftpractice.accounts.models import User
    from shiftpractice.cohorts.models import Cohort, Membership
    from shiftpractice.measures.models import DataPoint, Measure
    from shiftpractice.programmes.models import Programme
    from shiftpractice.projects.models import ChangeProject

    with transaction.atomic():
        programme = Programme.objects.create(name="Generated programme", slug="generated", organisation="NHS")
        cohorts = Cohort.objects.bulk_create(
            Cohort(
                programme=programme,
                name=f"Generated cohort {c}",
                slug=f"generated-{c}",
                start_date=date(2024, 1, 1),
                end_date=date(2024, 12, 31),
                capacity=20,
            )
            for c in range((participants + 19) // 20)
        )
        users = User.objects.bulk_create(
            User(
                email=f"g{i}@generated.example",
                full_name=f"Generated {i}",
                password="!",  # noqa: S106 - unusable
                calendar_token=f"g{i}",
            )
            for i in range(participants)
        )
        Membership.objects.bulk_create(
            Membership(cohort=cohorts[i // 20], user=user, role="participant") for i, user in enumerate(users)
        )
        projects = ChangeProject.objects.bulk_create(
            ChangeProject(owner=user, cohort=cohorts[i // 20], title=f"Generated {i}", visibility="programme")
            for i, user in enumerate(users)
        )
        measures = Measure.objects.bulk_create(
            Measure(project=project, name="Referrals", measure_type="outcome", data_kind="count")
            for project in projects
        )
        DataPoint.objects.bulk_create(
            (
                DataPoint(
                    measure=measure, period=date(2024, 1, 1) + timedelta(weeks=w), value=10 + (w * 7) % 9
                )
                for measure in measures
                for w in range(50)
            ),
            batch_size=5000,
        )


def child_setup(participants: int) -> None:
    """Run inside the benchmark's database: grow the generated programme, then name each demo user's pages."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.urls import reverse

    from shiftpractice.accounts.models import User
    from shiftpractice.home.demo import DEMO_PASSWORD
    from shiftpractice.measures.models import Measure
    from shiftpractice.projects.models import ChangeProject

    if participants:
        generate_programme(participants)
    users = []
    for user in User.objects.filter(email__endswith="@shiftpractice.example", is_active=True).order_by(
        "email"
    ):
        own = ChangeProject.objects.filter(owner=user).order_by("id").first()
        project = own or ChangeProject.objects.visible_to(user).filter(measures__isnull=False).first()
        measure = project and Measure.objects.filter(project=project).order_by("position", "id").first()
        if not measure:
            continue
        urls = {
            "home": reverse("home:index"),
            "project": project.get_absolute_url(),
            "measure": reverse("measures:detail", args=[measure.public_id]),
            "chart": reverse("measures:chart_svg", args=[measure.public_id]),
            "comment": reverse("coaching:comment_add", args=[project.public_id]),
        }
        if own:
            urls["point"] = reverse("measures:data", args=[measure.public_id])
        users.append({"email": user.email, "urls": urls, "ratio": measure.has_denominator})
    print(
        json.dumps(
            {
                "password": DEMO_PASSWORD,
                "login": reverse("accounts:login"),
                "users": users,
                "floor": "/health/",
                "signed_in_floor": reverse("accounts:profile"),
            }
        )
    )


class Server:
    """The web server (gunicorn as `make run` starts it, or granian) and one task worker beside it."""

    def __init__(self, kind: str, env: dict, port: int):
        if kind == "granian":
            workers = env.get("WEB_CONCURRENCY") or str(2 * len(os.sched_getaffinity(0)) + 1)
            command = [
                str(ROOT / ".venv/bin/granian"),
                "--interface",
                "wsgi",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                workers,
                "--blocking-threads",
                env.get("WEB_THREADS", "4"),
                "--no-ws",
                "config.wsgi:application",
            ]
        else:
            command = [
                str(ROOT / ".venv/bin/gunicorn"),
                "-c",
                "config/gunicorn.conf.py",
                "config.wsgi:application",
            ]
        self.log = tempfile.NamedTemporaryFile(prefix="shiftpractice-load-server-", delete=False)  # noqa: SIM115
        self.web = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=self.log)  # noqa: S603
        self.worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        self.port = port
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
                conn.request("GET", "/health/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the server did not start")

    def errors(self, lines: int = 15) -> str:
        """The end of the server's log (where a server error's traceback is)."""
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        for proc in (self.web, self.worker):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (self.web, self.worker):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


class Proxy:
    """A loopback TCP proxy for the scaled layout: each new client connection goes to the next server in turn
    and its bytes are copied both ways until either side closes (run on an event loop in a thread)."""

    def __init__(self, ports: list[int]):
        import asyncio

        self.ports, self.turn = ports, 0
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.server = self.loop.run_until_complete(asyncio.start_server(self._client, HOST, self.port))
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        if not started.wait(10):
            raise RuntimeError("the proxy did not start")

    async def _client(self, reader, writer) -> None:
        import asyncio

        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(HOST, port)
        except OSError:
            writer.close()
            return

        async def pipe(source, sink) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def stop(self) -> None:
        """Close the listening socket and every connection still open (clients keep theirs alive), then stop."""
        import asyncio

        async def shutdown() -> None:
            self.server.close()
            others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        try:
            asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)


class Layout:
    """What the clients talk to: one server and its worker, or (scaled) two of each behind the proxy."""

    def __init__(self, layout: str, server_kind: str, env: dict):
        self.servers: list[Server] = []
        self.proxy = None
        try:
            if layout == "single":
                self.servers.append(Server(server_kind, env, int(env["PORT"])))
                self.port = self.servers[0].port
                return
            for _ in range(2):
                port = free_port()
                self.servers.append(Server(server_kind, {**env, "PORT": str(port)}, port))
            self.proxy = Proxy([server.port for server in self.servers])
            self.port = self.proxy.port
        except Exception:
            self.stop()
            raise

    def errors(self) -> str:
        return "\n".join(server.errors() for server in self.servers)

    def stop(self) -> None:
        if self.proxy:
            self.proxy.stop()
        for server in self.servers:
            server.stop()
            Path(server.log.name).unlink(missing_ok=True)


def empty_redis(url: str) -> None:
    """Empty the benchmark's Redis database (only that one) so each run starts with a cold shared cache."""
    import redis

    redis.Redis.from_url(url).flushdb()


# ------------------------------------------------------------------------------------------ the client side


class Session:
    """One simulated person: a keep-alive connection and the cookies the server set."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(self, method: str, url: str, form: dict | None = None) -> int:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            from urllib.parse import urlencode

            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, url, body=body, headers=headers)
                response = self.conn.getresponse()
                response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt == 2:
                    return 0
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status


def _ok(status: int) -> bool:
    return 200 <= status < 400


def run_users(port: int, plan: dict, users: list[dict], mode: str, seconds: float, cap: int, seed: int):
    """In one client process: log each user in, then loop until the time or the request cap is reached."""
    rng = random.Random(seed)
    sessions = []
    for user in users:
        session = Session(port)
        if mode != "floor":
            session.request("GET", plan["login"])
            status = session.request(
                "POST", plan["login"], {"username": user["email"], "password": plan["password"]}
            )
            if status != 302:
                raise RuntimeError(f"login failed for {user['email']}: {status}")
        sessions.append((session, user))
    results: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    count = [0]

    def loop(session: Session, user: dict) -> None:
        kinds = [k for k in MIX if k in user["urls"]]
        weights = [MIX[k] for k in kinds]
        while time.monotonic() < stop_at:
            with lock:
                if count[0] >= cap:
                    return
                count[0] += 1
            if mode in ("floor", "signed_in_floor"):
                kind, method, url, form = mode, "GET", plan[mode], None
            else:
                kind = rng.choices(kinds, weights)[0]
                url, method, form = user["urls"][kind], "GET", None
                if kind == "point":
                    method = "POST"
                    day = f"20{rng.randint(22, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    form = {"add-period": day, "add-note": "load"}
                    if user["ratio"]:
                        form.update({"add-numerator": rng.randint(1, 20), "add-denominator": 40})
                    else:
                        form["add-value"] = rng.randint(1, 50)
                elif kind == "comment":
                    method, form = "POST", {"body": f"Load test comment {rng.random():.6f}"}
            started = time.perf_counter()
            status = session.request(method, url, form)
            elapsed = time.perf_counter() - started
            with lock:
                results.append((kind, elapsed, status))

    threads = [threading.Thread(target=loop, args=pair) for pair in sessions]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def measure_level(port: int, plan: dict, users: int, mode: str, seconds: float, cap: int, procs: int):
    people = [plan["users"][i % len(plan["users"])] for i in range(users)]
    shares = [people[i::procs] for i in range(procs) if people[i::procs]]
    with ProcessPoolExecutor(len(shares)) as pool:
        futures = [
            pool.submit(run_users, port, plan, share, mode, seconds, cap // len(shares), 1000 + i)
            for i, share in enumerate(shares)
        ]
        outcomes = [f.result() for f in futures]
    results = [r for rows, _ in outcomes for r in rows]
    wall = max(took for _, took in outcomes)
    times = sorted(t for _, t, _ in results)
    errors = sum(1 for _, _, status in results if not _ok(status))

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(p / 100 * len(times)))] * 1000 if times else float("nan")

    return {
        "requests": len(results),
        "rps": len(results) / wall if wall else 0.0,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "errors": errors,
        "median": statistics.median(times) * 1000 if times else float("nan"),
        "by_kind": {
            kind: sum(1 for k, _, s in results if k == kind and not _ok(s))
            for kind in {k for k, _, _ in results}
        },
    }


# ------------------------------------------------------------------------------------------ the run


def print_table(rows) -> None:
    """The mix beside each floor, then the mix's ratios to each (req/s ratio, p95 multiple)."""
    head = (
        f"{'db':<12}{'users':>6} | {'mix req/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} |"
        f" {'/health/ req/s':>14} {'p95 ms':>7} {'errors':>6} | {'signed-in req/s':>15} {'p95 ms':>7}"
        f" {'errors':>6} | {'vs /health/':>13} | {'vs signed-in':>13}"
    )
    print(head)
    print(f"{'':<12}{'':>6} | {'':>41} | {'':>30} | {'':>31} | {'rps':>6} {'p95':>6} | {'rps':>6} {'p95':>6}")
    print("-" * len(head))
    for kind, level, mix, floor, signed_in in rows:
        print(
            f"{kind:<12}{level:>6} | {mix['rps']:>9.1f} {mix['p50']:>7.0f} {mix['p95']:>7.0f} {mix['p99']:>7.0f}"
            f" {mix['errors']:>6} | {floor['rps']:>14.1f} {floor['p95']:>7.0f} {floor['errors']:>6} |"
            f" {signed_in['rps']:>15.1f} {signed_in['p95']:>7.0f} {signed_in['errors']:>6} |"
            f" {mix['rps'] / floor['rps']:>6.2f} {mix['p95'] / floor['p95']:>5.1f}x |"
            f" {mix['rps'] / signed_in['rps']:>6.2f} {mix['p95'] / signed_in['p95']:>5.1f}x"
        )
    print(
        "\nTargets: 0 errors; at 50 users the mix's req/s at least 1/3 of the floor's and its p95 within 5x the"
        " floor's."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"], help="repeatable; sqlite")
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument(
        "--layout",
        action="append",
        choices=["single", "scaled"],
        help="repeatable; single (scaled: PostgreSQL)",
    )
    parser.add_argument("--levels", default="10,50,100", help="concurrent users, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="per level and kind (at most 120)")
    parser.add_argument("--max-requests", type=int, default=20000, help="per level and kind")
    parser.add_argument("--participants", type=int, default=1000, help="size of the generated programme")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--child-setup", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_setup is not None:
        child_setup(args.child_setup)
        return 0
    seconds = min(args.seconds, 120.0)
    levels = [int(x) for x in args.levels.split(",") if x.strip()][:5]
    if any(level > 500 for level in levels):
        parser.error("at most 500 users per level")
    print(f"Server: {args.server}; {len(os.sched_getaffinity(0))} cores; {seconds:.0f} s per level and kind")
    rows = []
    runs = [
        (kind, layout)
        for kind in args.db or ["sqlite"]
        for layout in args.layout or ["single"]
        if layout == "single" or kind == "postgres"
    ]
    for kind, layout in runs:
        db_url, drop = database(kind)
        cache_dir = tempfile.mkdtemp(prefix="shiftpractice-load-cache-")
        env = server_env(db_url, free_port(), cache_dir)
        if layout == "scaled":
            empty_redis(REDIS_URL)
            env["REDIS_URL"] = REDIS_URL
        label = kind if layout == "single" else f"{kind} x2"
        served = None
        try:
            t0 = time.perf_counter()
            plan = prepare(env, args.participants)
            print(
                f"{label}: database ready in {time.perf_counter() - t0:.0f} s ({len(plan['users'])} demo users)"
            )
            served = Layout(layout, args.server, env)
            port = served.port
            for level in levels:
                floor, signed_in, mix = (
                    measure_level(port, plan, level, mode, seconds, args.max_requests, args.client_processes)
                    for mode in ("floor", "signed_in_floor", "mix")
                )
                rows.append((label, level, mix, floor, signed_in))
                failing = {k: v for k, v in mix["by_kind"].items() if v}
                print(
                    f"  {level} users done" + (f" (errors by kind: {failing})" if failing else ""), flush=True
                )
                if failing or floor["errors"] or signed_in["errors"]:
                    print(f"  the server's log ends:\n{served.errors()}")
        except Exception:
            if served:
                print(f"The server's log ends:\n{served.errors()}")
            raise
        finally:
            if served:
                served.stop()
            drop()
            shutil.rmtree(cache_dir, ignore_errors=True)
    print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Headless Chromium (Debian's package) driven by Playwright, with axe-core checking every page visited."""

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def ensure_chromium() -> str:
    """Find Debian's chromium, installing it with apt when it is missing (the machine's only way to get one)."""
    path = shutil.which("chromium")
    if path:
        return path
    # Parallel workers would each run apt at once and all but one fail on dpkg's lock: take turns, and
    # look again once it is our turn, since the worker before us may have installed it.
    lock_path = Path(tempfile.gettempdir()) / "shiftpractice-chromium-install.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return shutil.which("chromium") or _install_chromium()


def _install_chromium() -> str:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # Root installs directly; anyone else needs passwordless sudo (-n never waits for a password).
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n", "--preserve-env=DEBIAN_FRONTEND"]
    try:
        subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env, timeout=600)
        subprocess.run(
            [*prefix, "apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env, timeout=900
        )
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.fail(
            f"Chromium is needed for the browser tests and could not be installed with apt ({exc}). "
            "Install it once with: sudo apt-get install chromium"
        )
    path = shutil.which("chromium")
    if not path:
        pytest.fail("apt installed chromium but it is not on PATH")
    return path


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # beside one unless told it is safe, which it is here: one thread, no concurrency.
    # Module scope, so the flag is gone again before any other test module runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = ensure_chromium()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe-core; the site itself allows no inline script.
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True, scope="session")
def _patient_expectations():
    """`expect(...)` retries until the page shows what it should; give it the same time as actions
    (a loaded machine running parallel workers is slower than the 5 s default assumes)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


def assert_accessible(page) -> None:
    """Run axe-core on the current page; fail on any violation of serious or critical impact."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make install does)")
    # A click that navigates returns before the next page has loaded; injecting into a document
    # that is being replaced fails ("appendChild" of null), so wait for the page to settle first.
    from playwright.sync_api import Error

    page.wait_for_load_state("load")
    try:
        page.add_script_tag(path=str(AXE))
    except Error:  # the document was replaced under us: once more, on the page that arrived
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad
    ]
    assert not bad, f"axe violations on {page.url}:\n" + "\n".join(details)


class DemoCopy:
    """The test database as it was just after the demo loaded, put back before each test that needs it.

    Loading the demo runs every service that builds it (tens of seconds); putting a copy back is far cheaper: on
    SQLite the in-memory test database (which the live server shares) is copied with SQLite's backup API; on
    PostgreSQL every table is copied into a schema of its own and copied back with one INSERT ... SELECT each;
    elsewhere the rows are serialised and reloaded (what Django's `serialized_rollback` does). A browser test
    writes (it logs in, at least) and ends by emptying every table (`transactional_db`), so each test gets the
    whole copy back: no test sees what an earlier one wrote."""

    SCHEMA = "sp_demo_copy"

    def __init__(self, connection):
        self.connection = connection
        self.pristine = True  # the database holds the demo as loaded: the module's first test needs no copy
        self.copy = self.rows = None
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            import sqlite3

            self.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.copy)
        elif connection.vendor == "postgresql":
            self.tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE; CREATE SCHEMA {self.SCHEMA}")
                for table in self.tables:
                    cursor.execute(f"CREATE TABLE {self.SCHEMA}.{self._q(table)} AS TABLE {self._q(table)}")
        else:
            self.rows = connection.creation.serialize_db_to_string()

    def _q(self, table: str) -> str:
        return self.connection.ops.quote_name(table)

    def put_back(self) -> None:
        if self.pristine:
            self.pristine = False
            return
        self.connection.ensure_connection()
        if self.copy is not None:
            self.copy.backup(self.connection.connection)
        elif self.rows is None:
            from django.db import transaction

            # Django's foreign keys are deferred on PostgreSQL: the tables fill in any order in one transaction.
            with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
                cursor.execute("TRUNCATE " + ", ".join(self._q(t) for t in self.tables))
                for table in self.tables:
                    copy = f"{self.SCHEMA}.{self._q(table)}"  # names from the models, quoted
                    cursor.execute(f"INSERT INTO {self._q(table)} SELECT * FROM {copy}")  # noqa: S608
        else:
            from django.core.management import call_command

            alias = self.connection.alias
            call_command("flush", database=alias, interactive=False, inhibit_post_migrate=True, verbosity=0)
            self.connection.creation.deserialize_db_from_string(self.rows)

    def close(self) -> None:
        if self.copy is not None:
            self.copy.close()
        elif self.rows is None:
            with self.connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {self.SCHEMA} CASCADE")


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    """The demo, loaded once per module into the test database (committed, so the live server sees it)."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from conftest import FAST_HASHERS
    from shiftpractice.content.services import default_model_ensure
    from shiftpractice.home.demo import load_demo

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        load_demo()
        demo_copy = DemoCopy(connection)
    yield demo_copy
    # Leave the next module what every test ends with: a migrated database with the default model and no demo
    # (already so when the module's last test emptied it; not when a test failed before it could).
    with django_db_blocker.unblock():
        demo_copy.close()
        call_command("flush", interactive=False, verbosity=0)
        default_model_ensure()


@pytest.fixture
def demo(_demo_once, transactional_db, settings):
    """The demo programme in the live server's database, as loaded: whatever an earlier test changed is gone."""
    _demo_once.put_back()
    settings.AXES_ENABLED = False  # many logins from one address in a row are the test, not an attack
    return settings


@pytest.fixture
def page_without_js(browser):
    """A page with JavaScript switched off: every core journey must still work."""
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()

"""`make run` serves as production does (issue 19): `scripts/run.sh`, what `make run` runs once it has installed,
started here on a database and a port of its own. A person who mistypes an address gets the service's own
"Page not found" page, styled by the design system and served by gunicorn with DEBUG off, never Django's debug
page; the demo's people can log in.

`make run` serves its default database, SQLite, so this runs in the suite's SQLite run only (the PostgreSQL run
would start the same SQLite server again)."""

import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from shiftpractice.home.demo import DEMO_PASSWORD, DOMAIN

from .conftest import ROOT, assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="make run serves SQLite; checked in the suite's SQLite run",
    ),
]

# What the test run sets for itself (config/pytest_plugin.py) and a real `make run` would not have.
TEST_ONLY = {
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "STATIC_FROM_FINDERS",
    "TASKS_BACKEND",
    "SITE_URL",
    "CACHE_BACKEND",
    "MEDIA_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback, our own server
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("make-run")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'run.sqlite3'}",
        PORT=str(port),
        SECRET_KEY=secrets.token_urlsafe(50),
        CACHE_DIR=str(folder / "cache"),
        MEDIA_ROOT=str(folder / "media"),
        WEB_CONCURRENCY="2",
    )
    log = (folder / "run.log").open("w")
    server = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    # Migrating, collecting the static files on a fresh checkout and loading the demo take a minute or two.
    deadline = time.monotonic() + 400
    while not _up(f"{base}/health/"):
        if server.poll() is not None or time.monotonic() > deadline:
            log.flush()
            pytest.fail(f"make run did not start:\n{(folder / 'run.log').read_text()[-3000:]}")
        time.sleep(1)
    yield base
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    log.close()


def test_a_wrong_address_gets_the_styled_page_not_found_from_the_production_server(served, page):
    response = page.goto(f"{served}/no-such-page/")
    assert response.status == 404
    assert response.headers.get("server", "").startswith("gunicorn")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert "Traceback" not in page.content() and "URLconf" not in page.content()  # not Django's debug page
    # The design system's stylesheet arrived (collected, from whitenoise): the header wears NHS blue.
    header = page.locator("header").first
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(0, 94, 184)"
    assert_accessible(page)
    # And the demo is there: its people can sign in from the page.
    page.goto(f"{served}/accounts/login/")
    page.get_by_label("Email address").fill(f"gp@{DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{served}/")
    expect(page.get_by_role("heading", name="Your cohort")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

"""Headless Chromium (Debian's package) driven by Playwright, with axe-core checking every page visited."""

import os
import shutil
import subprocess
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


@pytest.fixture
def demo(transactional_db, settings):
    """The demo programme in the live server's database."""
    from shiftpractice.home.demo import load_demo

    load_demo()
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

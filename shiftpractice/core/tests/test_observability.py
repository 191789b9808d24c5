"""Errors reach the operators: ADMINS from the environment, and the error tracker only when a DSN is set."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured

from config.observability import init_error_tracker, parse_admins

ROOT = Path(__file__).resolve().parents[3]


def test_admins_are_read_from_one_environment_variable():
    assert parse_admins(" Ops Team <ops@example.org> ,  oncall@example.org ") == [
        ("Ops Team", "ops@example.org"),
        ("oncall@example.org", "oncall@example.org"),
    ]
    assert parse_admins("  ") == []
    with pytest.raises(ImproperlyConfigured, match="not an email address"):
        parse_admins("Ops Team, ops@example.org")


def test_the_error_tracker_starts_only_when_a_dsn_is_set(monkeypatch):
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))

    assert init_error_tracker("") is False
    assert calls == []

    assert init_error_tracker("https://key@errors.example.org/4", environment="staging") is True
    (options,) = calls
    assert options["dsn"] == "https://key@errors.example.org/4" and options["environment"] == "staging"
    assert options["send_default_pii"] is False
    assert options["max_request_body_size"] == "never" and options["include_local_variables"] is False
    assert [type(i).__name__ for i in options["integrations"]] == ["DjangoIntegration"]


def _run(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SENTRY_", "ADMINS"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "test-only-secret-key-that-is-long-enough-for-checks-0123456789",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "testserver",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_settings_read_admins_and_the_dsn_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ADMINS, settings.ERROR_TRACKER_ENABLED)"
    )
    unset = _run(code)
    assert unset.returncode == 0, unset.stderr
    assert unset.stdout.strip() == "[] False"
    # The DSN names a closed port on this machine: nothing could leave it even if an event were sent.
    configured = _run(code, ADMINS="Ops <ops@example.org>", SENTRY_DSN="http://key@127.0.0.1:9/1")
    assert configured.returncode == 0, configured.stderr
    assert configured.stdout.strip() == "[('Ops', 'ops@example.org')] True"


# A real request through Django with the real SDK, its events caught by a transport that sends nothing.
# In a separate process, because the SDK's Django integration patches Django for the life of the process.
CAPTURE = """
import json, sys, types
import django
django.setup()
from django.contrib.auth.decorators import login_not_required
from django.test import Client, override_settings
from django.urls import path
from sentry_sdk.transport import Transport
import sentry_sdk
from config.observability import init_error_tracker

events = []

class Capture(Transport):
    def capture_envelope(self, envelope):
        events.extend(item.get_event() for item in envelope.items if item.get_event())

@login_not_required
def broken(request):
    raise RuntimeError("secret internals")

urls = types.ModuleType("probe_urls")
urls.urlpatterns = [path("broken/", broken)]
sys.modules["probe_urls"] = urls
assert init_error_tracker("https://key@errors.invalid/1", transport=Capture)
# Sessions in signed cookies: this process has no database, and the session cookie must still be sent.
with override_settings(ROOT_URLCONF="probe_urls", SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
    client = Client(raise_request_exception=False, HTTP_COOKIE="sessionid=topsecretcookie")
    status = client.post("/broken/", {"notes": "private words"}).status_code
sentry_sdk.flush()
print(json.dumps({"status": status, "events": events}, default=str))
"""


def test_a_server_error_reaches_the_tracker_without_personal_data():
    result = _run(CAPTURE)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["status"] == 500
    (event,) = [e for e in report["events"] if e.get("exception")]
    raised = [(v["type"], v["value"]) for v in event["exception"]["values"]]
    assert ("RuntimeError", "secret internals") in raised, raised
    text = json.dumps(event)
    assert "topsecretcookie" not in text and "private words" not in text
    assert "user" not in event or not event["user"].get("email")

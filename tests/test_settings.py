"""Settings come from the environment; production settings are safe and say so."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "SECURE_SSL_REDIRECT",
            "STATIC_FROM_FINDERS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def test_missing_secret_key_with_debug_off_is_an_error():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_debug_off():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k" * 60 + "-Aa1!xyz",
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sqlite_is_tuned_for_a_web_server_and_a_worker():
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        options = settings.DATABASES["default"]["OPTIONS"]
        assert "journal_mode=WAL" in options["init_command"]
        assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_with_redis_url_every_process_shares_one_redis_cache():
    """REDIS_URL makes the cache Redis (its client is a pinned dependency): what one process stores, another
    reads. Skipped only where no Redis answers on loopback, and never in `.ci/run`, which starts one."""
    import secrets
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        import pytest

        if os.environ.get("REQUIRE_SERVICES"):  # .ci/run starts Redis and sets this: there it must answer
            pytest.fail("no Redis on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    key = f"shared-{secrets.token_hex(8)}"
    env = {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/14", "CACHE_BACKEND": ""}
    code = (
        "from django.core.cache import cache; from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND']);"
        "import sys; key = sys.argv[-1];"
        "print(cache.get(key)) if cache.get(key) else (cache.set(key, 'from the first process', 30), print('set'))"
    )
    first = run_manage("shell", "--no-imports", "-c", code.replace("sys.argv[-1]", repr(key)), **env)
    second = run_manage("shell", "--no-imports", "-c", code.replace("sys.argv[-1]", repr(key)), **env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "set"]
    assert second.stdout.splitlines() == [
        "django.core.cache.backends.redis.RedisCache",
        "from the first process",
    ]

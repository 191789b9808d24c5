#!/usr/bin/env bash
# The whole test suite. SQLite by default; PostgreSQL when DATABASE_URL names one.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Test database: ${DATABASE_URL:-SQLite (default)}"
# Parallel workers, one per core (TEST_WORKERS=0 runs in this process); a file's tests stay on one worker so
# module-scoped fixtures (the browser, shared worlds) are built once.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist loadfile "$@"

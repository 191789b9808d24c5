#!/usr/bin/env bash
# The whole test suite. SQLite by default; PostgreSQL when DATABASE_URL names one.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Test database: ${DATABASE_URL:-SQLite (default)}"
exec .venv/bin/python -m pytest "$@"

#!/usr/bin/env bash
# `make dev`, for contributors: DEBUG on, Django's development server reloading on every change, static files
# straight from their folders, the demo loaded and a task worker beside it. `make run` serves as production does.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-1}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"
PY=.venv/bin/python

$PY manage.py migrate --noinput -v 0
$PY manage.py createcachetable
$PY manage.py load_demo

$PY manage.py db_worker --interval 1 >> worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  shiftpractice (development server, DEBUG on) is running at http://127.0.0.1:${PORT}/
  Log in with one of the demo accounts above (password: shift-practice-demo).
  Emails (invitations, password resets) are printed by the task worker into worker.log.
  Press Ctrl+C to stop.

MSG
$PY manage.py runserver "127.0.0.1:${PORT}"

#!/usr/bin/env bash
# Prepare the SQLite database, load the demo programme, then serve the app and run the task worker.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-1}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"
PY=.venv/bin/python

$PY manage.py migrate --noinput -v 0
$PY manage.py load_demo

$PY manage.py db_worker --interval 2 >> worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  shiftpractice is running at http://127.0.0.1:${PORT}/
  Log in with one of the demo accounts above (password: shift-practice-demo).
  Emails (invitations, password resets) are printed by the task worker into worker.log.
  Press Ctrl+C to stop.

MSG
$PY manage.py runserver "127.0.0.1:${PORT}" --noreload

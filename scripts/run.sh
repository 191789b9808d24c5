#!/usr/bin/env bash
# `make run`: the app as production serves it, on this machine only. gunicorn (config/gunicorn.conf.py: workers
# from the cores) with DEBUG off, static files collected and served by whitenoise, the shared cache, the task
# worker beside it, and the demo programme loaded. Ctrl+C stops both processes. `make dev` is the
# autoreloading development server instead.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python

# Run-time state of this checkout (ignored by git): the secret key, the file cache.
mkdir -p var
if [ ! -s var/secret_key ]; then
  (umask 077 && $PY -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key)
fi
export DEBUG=0
export SECRET_KEY="${SECRET_KEY:-$(cat var/secret_key)}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"
# Served over plain HTTP on 127.0.0.1: no redirect to HTTPS, and cookies a browser sends over HTTP. A real
# deployment keeps both defaults (on) behind its TLS proxy (docs/operations.md).
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
export SECURE_COOKIES="${SECURE_COOKIES:-0}"
export PORT

$PY manage.py migrate --noinput -v 0
$PY manage.py createcachetable
# Static files: collected (hashed names, compressed) when anything under static/ or the npm packages changed
# since the last time; the design system's sources, type declarations and templates are left out.
if [ ! -f staticfiles/staticfiles.json ] || [ -n "$(find static node_modules/.installed -newer staticfiles/staticfiles.json -print -quit 2>/dev/null)" ]; then
  echo "Collecting static files (the first time takes a minute or two)..."
  $PY manage.py collectstatic --noinput -v 0 --clear \
    --ignore '*.scss' --ignore '*.scss.map' --ignore '*.njk' --ignore '*.d.mts' --ignore '*.d.mts.map' --ignore '*.md'
fi
# --demo: this database is a throw-away demo site (the loader refuses with DEBUG off without it).
$PY manage.py load_demo --demo

pids=()
web=""
alive() {
  local pid
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}
stop() {
  trap - INT TERM EXIT
  # gunicorn runs in a session of its own, so only this script tells it to stop: TERM, a graceful stop (Ctrl+C
  # from the terminal reaching its workers too made one hang until it was killed).
  kill -TERM "$web" 2>/dev/null || true
  # Ctrl+C reaches the task worker from the terminal: let it finish its task, then make sure.
  if [ "${1:-}" = INT ]; then
    for _ in $(seq 1 75); do alive || break; sleep 0.2; done
  fi
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap 'stop INT; exit 130' INT
trap 'stop TERM; exit 143' TERM
trap 'stop' EXIT

$PY manage.py db_worker --interval 1 >> worker.log 2>&1 &
pids+=($!)
setsid .venv/bin/gunicorn -c config/gunicorn.conf.py config.wsgi:application &
web=$!
pids+=("$web")

for _ in $(seq 1 100); do
  $PY - "$PORT" <<'PYEOF' && break
import sys, urllib.request
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health/", timeout=1)
except Exception:
    sys.exit(1)
PYEOF
  alive || { echo "The web server did not start: see the messages above." >&2; exit 1; }
  sleep 0.2
done

cat <<MSG

  shiftpractice is running at http://127.0.0.1:${PORT}/ (gunicorn, DEBUG off, with a task worker).
  Open it and log in with one of the demo accounts above (password: shift-practice-demo).
  Emails (invitations, password resets) are printed by the task worker into worker.log.
  Press Ctrl+C to stop.

MSG
# Whichever stops first (a crash, or Ctrl+C) stops the other.
wait -n || true

"""gunicorn's settings for `make run` and for deployments (`gunicorn -c config/gunicorn.conf.py config.wsgi`).

Every value can be changed from the environment, so a deployment keeps this file and sets what differs.
docs/architecture.md says why gunicorn; docs/operations.md how to run it for real.
"""

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Processes from the cores this machine gives us (gunicorn's own rule of thumb, 2 x cores + 1), each with a few
# threads so that a request waiting on the database or the SQLite write lock does not hold a whole process.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cores() + 1)
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 4)
# Load the app once before forking: the workers share its memory and a broken app stops at start, not per worker.
preload_app = True
# A request that takes longer is a bug or a stuck connection: the worker is replaced. Longer than the most a
# SQLite write waits for the lock (4 tries of a 20-second busy timeout: core/sqlite3/base.py), so a queued
# writer gets its answer or "busy, try again", never a dropped connection.
timeout = int(os.environ.get("WEB_TIMEOUT") or 90)
graceful_timeout = 10
keepalive = 5
# Recycle a worker now and then so that slow leaks cannot grow without bound (jitter: not all at once).
max_requests = 2000
max_requests_jitter = 200
# Errors to the terminal (and the log collector); one line per request only when asked for.
errorlog = "-"
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
loglevel = os.environ.get("WEB_LOG_LEVEL", "warning")
proc_name = "shiftpractice"
# No control socket: its default path is one per user ($HOME/.gunicorn/gunicorn.ctl), which two servers on one
# machine would share; we stop and restart with signals.
control_socket_disable = True

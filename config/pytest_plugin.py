"""Loaded by pytest (`-p config.pytest_plugin`) before Django reads its settings.

It gives the test run the environment a deployment would set: a secret key, no HTTPS
redirect (the test client speaks plain HTTP), static files straight from the finders,
and tasks run at once in-process so emails land in the test outbox.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-checks-0123456789")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("STATIC_FROM_FINDERS", "1")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("SITE_URL", "http://testserver")
# Each test process keeps its own cache in memory (the site shares one between processes: config/settings.py).
os.environ.setdefault("CACHE_BACKEND", "locmem")
# Uploaded files go to a folder of this test process (each parallel worker has its own), never the checkout's
# media/; it is removed when the process ends.
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="shiftpractice-test-media-")
atexit.register(shutil.rmtree, os.environ["MEDIA_ROOT"], ignore_errors=True)

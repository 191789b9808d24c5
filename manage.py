#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py is the developer's tool: in a checkout with no environment set it runs in development mode,
    # so `makemigrations` and friends work. Deployments set DEBUG=0 (and the secret) in their environment,
    # and the WSGI entry point has no such default: there a missing SECRET_KEY still stops the app.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""Render an email from a pair of templates and queue it once the current transaction commits."""

from functools import partial

from django.db import transaction
from django.template.loader import render_to_string

from .tasks import send_email


def queue_templated_email(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Render ``<template>.txt`` and ``<template>.html`` now; enqueue the send when the transaction commits."""
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    transaction.on_commit(partial(send_email.enqueue, to=to, subject=subject, text=text, html=html))

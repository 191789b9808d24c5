"""Background tasks shared by every app."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_email(*, to: list[str], subject: str, text: str, html: str = "") -> int:
    """Send one email with a plain-text body and, when given, an HTML alternative.

    Runs on the task worker so a slow mail server never holds up a page.
    """
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    sent = message.send()
    logger.info("sent email %r to %d recipient(s)", subject, len(to))
    return sent

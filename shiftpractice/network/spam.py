"""Defences of the public forms that need no outside service: a honeypot field, a least time to fill the form
in, and a rate limit per client address and per email address. A submission they stop is answered as if it
had gone through (a program learns nothing), changes nothing, and is counted (``RefusedSubmission``)."""

import time

from django.core import signing

from shiftpractice.core import ratelimit

from .forms import HONEYPOT

MIN_SECONDS = 3  # nobody types a name, an address, a role and an organisation faster
MAX_AGE = 24 * 3600  # a form left open longer is re-shown with a fresh stamp, the person's answers kept
PER_CLIENT = (10, 3600)  # submissions from one address an hour
PER_EMAIL = (3, 3600)  # submissions for one email address an hour
SALT = "network.form-started"


def stamp(*, at: float | None = None) -> str:
    return signing.dumps(time.time() if at is None else at, salt=SALT)


def fresh_stamp() -> str:
    """A stamp for a form shown again after it went stale: old enough that sending it at once is not "too fast"."""
    return stamp(at=time.time() - MIN_SECONDS)


class Stale(Exception):
    """The form was opened too long ago: show it again with a fresh stamp."""


def refusal(data, *, now: float | None = None) -> str:
    """Why this submission looks automated ("" when it does not): "honeypot", "no_stamp" or "too_fast".
    Raises ``Stale`` for a form opened more than a day ago."""
    now = time.time() if now is None else now
    if data.get(HONEYPOT):
        return "honeypot"
    try:
        started = float(signing.loads(data.get("started", ""), salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return "no_stamp"
    if now - started < MIN_SECONDS:
        return "too_fast"
    if now - started > MAX_AGE:
        raise Stale
    return ""


def over_limit(*, client: str, email: str) -> bool:
    """Count a submission that is about to be taken (a valid one: a person correcting mistakes is not counted)
    against its client address and its email address; True when either has sent too many this hour."""
    by_client = ratelimit.hit("network-client", client, limit=PER_CLIENT[0], seconds=PER_CLIENT[1])[0]
    by_email = ratelimit.hit("network-email", email, limit=PER_EMAIL[0], seconds=PER_EMAIL[1])[0]
    return not (by_client and by_email)

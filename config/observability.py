"""How errors reach the people who run the service: the ADMINS list and the optional error tracker.

Read by ``config.settings`` while Django starts, so nothing here imports Django's app machinery.
"""

from email.utils import getaddresses

from django.core.exceptions import ImproperlyConfigured


def parse_admins(value: str) -> list[tuple[str, str]]:
    """Read ``ADMINS`` from ``"Name <a@example.org>, b@example.org"`` into Django's (name, address) pairs.

    >>> parse_admins("Ops Team <ops@example.org>, oncall@example.org")
    [('Ops Team', 'ops@example.org'), ('oncall@example.org', 'oncall@example.org')]
    >>> parse_admins("")
    []
    """
    if not value.strip():
        return []
    admins = []
    for name, address in getaddresses([value]):
        if "@" not in address or " " in address:
            raise ImproperlyConfigured(
                f"ADMINS has an entry that is not an email address ({name or address!r}): "
                'write it as "Name <person@example.org>, other@example.org".'
            )
        admins.append((name or address, address))
    return admins


def init_error_tracker(
    dsn: str,
    *,
    environment: str = "",
    release: str = "",
    traces_sample_rate: float = 0.0,
    transport=None,
) -> bool:
    """Start Sentry's official SDK with its Django integration when a DSN is given; say whether it started.

    Personal data stays out of the reports: ``send_default_pii=False`` (no cookies, user, or IP address), no
    request bodies (what people typed) and no local variables of the failing code. ``transport`` is for tests,
    which must never reach the network.
    """
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    options = {
        "dsn": dsn,
        "integrations": [DjangoIntegration()],
        "send_default_pii": False,
        "max_request_body_size": "never",
        "include_local_variables": False,
        "traces_sample_rate": traces_sample_rate,
    }
    if environment:
        options["environment"] = environment
    if release:
        options["release"] = release
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
    return True

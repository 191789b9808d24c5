"""Seal small secrets that must be kept for a while (an invitation token waiting in the outbox) so that a copy
of the database, or the admin, shows only ciphertext.

Fernet (AES with an HMAC, from the `cryptography` package) with a key derived from ``SECRET_KEY`` by HKDF, so
no second key needs managing. Keys from ``SECRET_KEY_FALLBACKS`` still open what they sealed, so rotating the
secret key does not lose queued emails; rotating it with no fallback makes anything sealed unreadable, which is
the point.
"""

import base64
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# Names the purpose of the derived key, so the same SECRET_KEY yields unrelated keys for other uses.
_INFO = b"shiftpractice.core.sealing v1"


class SealBroken(Exception):
    """The sealed value was changed, or was sealed with a key this site no longer has."""


def _key(secret: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())
    return base64.urlsafe_b64encode(raw)


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_key(secret)) for secret in secrets])


def seal(data: dict[str, str]) -> str:
    """Encrypt a small mapping of secrets to text that is safe to store."""
    return _fernet().encrypt(json.dumps(data).encode()).decode("ascii")


def unseal(token: str) -> dict[str, str]:
    """Open what ``seal`` made; an empty token opens to an empty mapping."""
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode("ascii")))
    except InvalidToken as exc:
        raise SealBroken("The sealed value cannot be opened with this site's keys.") from exc

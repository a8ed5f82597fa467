"""What the production-like settings modules share (production.py, local_production.py):
TLS-only cookies and HSTS, and the checks that refuse a weak SECRET_KEY, a mail backend that
prints or drops mail, and a site address without TLS.

Not a settings module of its own: it imports nothing from base.py, and a star import takes
only the settings in `__all__`.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import django
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
]

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Off: a preload list is hard to leave; submit the domain deliberately, then turn it on.
SECURE_HSTS_PRELOAD = False

# The backends that would write donors' addresses and monthly-cancel links into the logs or
# onto disk, or drop them: never in production.
MAIL_NOT_SENT = {"console", "locmem", "dummy", "filebased"}
KEY_MIN_LENGTH = 50
KEY_MIN_DISTINCT = 12  # a 50-character hex key has all 16 digits, or nearly
KEY_MAX_COMMON_SHARE = 0.4  # random keys stay under 0.25; phrases of words go well above
KEY_MIN_COMPRESSED = 0.6  # random keys do not compress; repeated ones shrink to a fraction
MAKE_KEY = (
    "python -c 'from django.core.management.utils import get_random_secret_key as k; print(k())'"
)


def refuse_to_start(problems: list[str]) -> None:
    if problems:
        raise ImproperlyConfigured("Refusing to start: " + "; ".join(problems))


def secret_key_problems(key: str, *, dev_key: str) -> list[str]:
    """The key's weakness, if it has one (never the key itself: the message goes to logs)."""
    weakness = _weakness(key or "", dev_key)
    if not weakness:
        return []
    return [f"SECRET_KEY must be a long random value: {weakness} (make one: {MAKE_KEY})"]


def _weakness(key: str, dev_key: str) -> str:
    kinds = (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    if not key:
        return "it is not set"
    if key == dev_key:
        return "it is the development key"
    if key.startswith("django-insecure-"):
        return "Django's startproject marked it insecure"
    if len(key) < KEY_MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {KEY_MIN_LENGTH}"
    if len(set(key)) < KEY_MIN_DISTINCT:
        return f"it has fewer than {KEY_MIN_DISTINCT} different characters"
    if sum(any(kind(c) for c in key) for kind in kinds) < 2:
        return "it uses one kind of character only"
    if len(zlib.compress(key.encode(), 9)) < KEY_MIN_COMPRESSED * len(key.encode()):
        return "it repeats itself"
    if _common_share(key) >= KEY_MAX_COMMON_SHARE:
        return "it is made of common words or passwords"
    return ""


def _common_share(key: str) -> float:
    """The share of the key's characters inside a common password of 4 characters or more
    (Django's list of 20,000, the one its password validator uses)."""
    path = Path(django.__file__).parent / "contrib" / "auth" / "common-passwords.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        common = {line.strip() for line in lines if len(line.strip()) >= 4}
    text, covered = key.lower(), set()
    for start in range(len(text)):
        for end in range(start + 4, min(len(text), start + 32) + 1):
            if text[start:end] in common:
                covered.update(range(start, end))
    return len(covered) / len(text)


def email_backend_problems(backend: str) -> list[str]:
    kind = backend.rsplit(".", 2)[-2] if backend.count(".") >= 2 else backend
    if not backend or (backend.startswith("django.core.mail.backends.") and kind in MAIL_NOT_SENT):
        return [
            "EMAIL_BACKEND must send mail (the console, locmem, dummy and file backends would "
            "print donors' addresses and cancel links into logs or drop them): "
            "django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST, or a provider's backend"
        ]
    return []


def https_url_problems(name: str, url: str) -> list[str]:
    parts = urlsplit(url or "")
    if parts.scheme != "https" or not parts.hostname:
        return [f"{name} must be an https:// address"]
    return []


def is_loopback(host: str | None) -> bool:
    return (host or "").strip("[]") in {"127.0.0.1", "localhost", "::1"}

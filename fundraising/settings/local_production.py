"""Production-like settings for runs on this machine: the benchmarks (bench/settings.py and
bench/webhooks/settings.py build on this module) and trying the site as production serves it.

As production.py: DEBUG off whatever the environment says, a strong SECRET_KEY, TLS-only
cookies (browsers keep them on http://127.0.0.1 and localhost), HSTS, the security headers
and the Content-Security-Policy of base.py, manifest static files (run `manage.py
collectstatic` first), demo data allowed only because nothing here is reachable from
elsewhere. Accepted instead of production's requirements, and refused otherwise:

- the offline Stripe sandbox and Stripe test keys (never a live key: no real money);
- SQLite, or PostgreSQL on this machine;
- an SMTP server on this machine (`python -m aiosmtpd -n -l 127.0.0.1:1025` with
  EMAIL_PORT=1025), never a console, file or in-memory backend;
- a SITE_URL on 127.0.0.1 or localhost, over plain HTTP (so no redirect to https);
- tasks in-process when REDIS_URL is unset.
"""

from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import DATABASES, DEV_SECRET_KEY, EMAIL_HOST, SITE_URL, STORAGES, STRIPE_SECRET_KEY, env
from .hardening import *  # noqa: F403 - TLS-only cookies, HSTS
from .hardening import email_backend_problems, is_loopback, refuse_to_start, secret_key_problems

SMTP = "django.core.mail.backends.smtp.EmailBackend"

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=SMTP)
SECURE_SSL_REDIRECT = False  # nothing terminates TLS on 127.0.0.1
# No web server in front: Django serves uploads, with production's headers.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
DEMO_DATA_ALLOWED = True  # the benchmarks seed the demo campaigns; nothing here is public
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

_problems = secret_key_problems(SECRET_KEY, dev_key=DEV_SECRET_KEY)
_database = DATABASES["default"]
if _database["ENGINE"] != "django.db.backends.sqlite3" and not (
    _database["ENGINE"] == "django.db.backends.postgresql"
    and (not _database.get("HOST") or is_loopback(_database["HOST"]))
):
    _problems.append("DATABASE_URL must be SQLite or PostgreSQL on this machine")
if EMAIL_BACKEND != SMTP:
    _problems += email_backend_problems(EMAIL_BACKEND) or [f"EMAIL_BACKEND must be {SMTP}"]
elif not is_loopback(EMAIL_HOST):
    _problems.append("EMAIL_HOST must be an SMTP server on this machine (127.0.0.1)")
if urlsplit(SITE_URL).scheme not in ("http", "https") or not is_loopback(
    urlsplit(SITE_URL).hostname
):
    _problems.append("SITE_URL must be on this machine (http://127.0.0.1:<port>)")
if STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_")):
    _problems.append("STRIPE_SECRET_KEY must be a test key (sk_test_...): no real money here")
refuse_to_start(_problems)

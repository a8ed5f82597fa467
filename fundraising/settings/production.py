"""Production settings: the base settings, refusing to start on development defaults.

The web servers (fundraising/wsgi.py, asgi.py) and the Celery worker load this module unless
DJANGO_SETTINGS_MODULE names another. It refuses to start (ImproperlyConfigured, listing every
problem at once) on a development default, a weak SECRET_KEY, a mail backend that prints mail,
or a SITE_URL without TLS. local_production.py is the same hardening for runs on 127.0.0.1.
"""

from .base import *  # noqa: F403
from .base import (
    DATABASES,
    DEBUG,
    DEV_SECRET_KEY,
    EMAIL_BACKEND,
    REDIS_URL,
    SECRET_KEY,
    SITE_URL,
    STORAGES,
    STRIPE_SECRET_KEY,
    env,
)
from .hardening import *  # noqa: F403 - TLS-only cookies, HSTS
from .hardening import (
    email_backend_problems,
    https_url_problems,
    refuse_to_start,
    secret_key_problems,
)

STRIPE_CHECKOUT_ORIGIN = env.str("STRIPE_CHECKOUT_ORIGIN", default="https://checkout.stripe.com")

_problems = []
if DEBUG:
    _problems.append("DEBUG must be off")
_problems += secret_key_problems(SECRET_KEY, dev_key=DEV_SECRET_KEY)
if (
    not env.str("DATABASE_URL", default="")
    or DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
):
    _problems.append("DATABASE_URL must point at PostgreSQL")
if not REDIS_URL:
    _problems.append("REDIS_URL must be set (tasks may not run in-process)")
if STRIPE_SECRET_KEY in ("", "sk_test_sandbox"):
    _problems.append("STRIPE_SECRET_KEY must be a real Stripe key")
if env.list("STRIPE_WEBHOOK_SECRET", default=["whsec_sandbox"]) == ["whsec_sandbox"]:
    _problems.append("STRIPE_WEBHOOK_SECRET must be the endpoint's signing secret")
if not env.list("ALLOWED_HOSTS", default=[]):
    _problems.append("ALLOWED_HOSTS must name the site's hosts")
_problems += email_backend_problems(EMAIL_BACKEND)
_problems += https_url_problems("SITE_URL", SITE_URL)
_problems += https_url_problems("STRIPE_CHECKOUT_ORIGIN", STRIPE_CHECKOUT_ORIGIN)
refuse_to_start(_problems)

STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# HSTS preload is off on purpose (hardening.py): `check --deploy` need not say so each time.
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
# seed_demo would create accounts whose password is in this repository.
DEMO_DATA_ALLOWED = False
# Uploaded media: the web server serves MEDIA_ROOT at /media/ (SERVE_MEDIA is off) and must
# send X-Content-Type-Options: nosniff and Content-Security-Policy: sandbox with every file,
# and Content-Disposition: attachment with anything not .png/.jpg/.jpeg/.webp, as
# common.uploads.serve_public_media does; it must also cap request bodies (22 MB at most).
# DEVELOPERS.md, "Uploaded files", has an nginx example. PRIVATE_MEDIA_ROOT is never served.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

"""Production settings: the base settings, refusing to start on development defaults."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, DEBUG, DEV_SECRET_KEY, REDIS_URL, SECRET_KEY, STRIPE_SECRET_KEY, env

_problems = []
if DEBUG:
    _problems.append("DEBUG must be off")
if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 40:
    _problems.append("SECRET_KEY must be set to a long random value")
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
if _problems:
    raise ImproperlyConfigured("Refusing to start: " + "; ".join(_problems))

STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

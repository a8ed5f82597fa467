"""Settings for `make bench-webhooks`: the production-like local settings
(fundraising.settings.local_production: DEBUG off, production's middleware and headers, its
checks) plus the one-INSERT baseline.

Everything that matters comes from the environment the runner sets, exactly as a deployment
would: DATABASE_URL (PostgreSQL, persistent connections through `?CONN_MAX_AGE=`),
REDIS_URL (the Celery broker), STRIPE_API_BASE (the sandbox), STRIPE_WEBHOOK_SECRET and
SECRET_KEY. The runner names this module for gunicorn and Celery (bench/webhooks/runner.py).
"""

from fundraising.settings.local_production import *  # noqa: F403
from fundraising.settings.local_production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.webhooks.baseline"]
ROOT_URLCONF = "bench.webhooks.urls"
# Receipts are rendered and "sent" as in production, to nowhere: the addresses are made up.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

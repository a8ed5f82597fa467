"""Settings for `make bench-ledger`: the production-like local settings
(fundraising.settings.local_production) plus django-hordak to compare with.

DATABASE_URL picks the database (the benchmark script creates and drops them). Hordak only
runs on PostgreSQL, so it is installed only when the database is PostgreSQL.
"""

import os
import secrets

# Each benchmark process signs nothing another reads: a fresh random key unless one is given.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

from fundraising.settings.local_production import *  # noqa: E402, F403
from fundraising.settings.local_production import DATABASES, INSTALLED_APPS  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS = [*INSTALLED_APPS, "mptt", "hordak"]
    HORDAK_INTERNAL_CURRENCY = "MYR"

"""Settings for `make bench-ledger`: the product's settings plus django-hordak to compare with.

DATABASE_URL picks the database (the benchmark script creates and drops them). Hordak only
runs on PostgreSQL, so it is installed only when the database is PostgreSQL.
"""

from fundraising.settings.base import *  # noqa: F403
from fundraising.settings.base import DATABASES, INSTALLED_APPS

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS = [*INSTALLED_APPS, "mptt", "hordak"]
    HORDAK_INTERNAL_CURRENCY = "MYR"

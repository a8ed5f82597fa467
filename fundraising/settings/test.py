"""Test settings: the base settings with fast hashing and a local outbox.

DATABASE_URL and REDIS_URL still come from the environment, so the same suite runs on
SQLite and in-process tasks, or against PostgreSQL and Redis.
"""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F403
from .base import REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="gotong-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)  # uploads die with the run
# Private files beside it, not inside it; media served by Django with its headers.
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="gotong-private-")
atexit.register(shutil.rmtree, PRIVATE_MEDIA_ROOT, ignore_errors=True)
SERVE_MEDIA = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests decide themselves when a task runs on a real worker; by default tasks run eagerly
# even with Redis set, and Redis still backs the cache.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Django's test client signs in (`client.login()`) without a request, which django-axes
# refuses; that one request-less call skips the lockout check. Every real sign-in still has
# a request and stays throttled (tests/accounts/test_login_throttle.py).
AUTHENTICATION_BACKENDS = [
    "tests.accounts.backends.TestClientAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

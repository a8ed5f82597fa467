"""The Celery application. Without REDIS_URL tasks run in-process (see settings)."""

import os

from celery import Celery

# Production unless told otherwise: a server started without DJANGO_SETTINGS_MODULE refuses
# to start on development defaults. Development (manage.py) names fundraising.settings.base.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundraising.settings.production")

app = Celery("fundraising")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

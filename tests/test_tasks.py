"""Every task sent by name is one a worker has registered. Services enqueue tasks by name
(`common.tasks.enqueue`) and the beat schedule names them too: a task renamed or moved to
another app would otherwise be dropped by the worker as unregistered, silently."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from fundraising.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled, "the beat schedule is empty"
    assert scheduled - set(app.tasks) == set()


def test_the_schedule_sweeps_webhook_events_and_statement_imports():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"webhooks.tasks.sweep_events", "reconciliation.tasks.sweep_imports"} <= scheduled


SENT_BY_NAME = re.compile(r'enqueue(?:_task)?\(\s*"([\w.]+)"')
SERVICE = ("common", "payments", "ledger", "campaigns", "donors", "reconciliation",
           "treasury", "webhooks", "fundraising")  # fmt: skip


def test_every_task_a_service_enqueues_by_name_is_registered():
    app.loader.import_default_modules()
    root = Path(settings.BASE_DIR)
    sent = {
        name
        for package in SERVICE
        for path in (root / package).rglob("*.py")
        for name in SENT_BY_NAME.findall(path.read_text())
    }
    assert "donors.tasks.send_receipt" in sent and "webhooks.tasks.process_event" in sent
    assert sent - set(app.tasks) == set()

"""Every task sent by name is one a worker has registered. Services enqueue tasks by name
(`common.tasks.enqueue`) and the beat schedule names them too: a task renamed or moved to
another app would otherwise be dropped by the worker as unregistered, silently."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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


def test_threads_enqueuing_on_a_fresh_process_all_find_their_task(monkeypatch):
    """Celery's task discovery runs once: a thread that calls it while another thread is
    still importing must wait for that import, not find nothing left to do and the task
    unregistered (gunicorn's threads on a fresh worker)."""
    import threading
    import time
    from types import SimpleNamespace

    from common import tasks as common_tasks

    registry: dict[str, Any] = {}
    sent: list[tuple] = []
    started = threading.Event()

    class Task:
        def apply_async(self, args, countdown=None):
            sent.append(args)

    class OneShotLoader:
        done = False

        def import_default_modules(self):
            if self.done:  # Celery's autodiscovery has already been handed out
                return
            self.done = True
            started.set()
            time.sleep(0.2)  # importing the apps' task modules
            registry["donors.tasks.send_receipt"] = Task()

    fake = SimpleNamespace(tasks=registry, loader=OneShotLoader())
    monkeypatch.setattr(common_tasks, "current_app", fake)
    errors: list[BaseException] = []

    def send(pk: int) -> None:
        try:
            common_tasks.enqueue("donors.tasks.send_receipt", pk)
        except BaseException as error:  # noqa: BLE001 - the test reports it
            errors.append(error)

    first = threading.Thread(target=send, args=(1,))
    first.start()
    started.wait(2)
    others = [threading.Thread(target=send, args=(n,)) for n in (2, 3)]
    for thread in others:
        thread.start()
    for thread in (first, *others):
        thread.join(5)
    assert errors == []
    assert sorted(sent) == [(1,), (2,), (3,)]

"""Enqueue a task by its registered name, so a service never imports a task module (the task
module imports its services; the other way round would make an import circle).

Tasks run in-process when no broker is configured (`CELERY_TASK_ALWAYS_EAGER`), so this looks
the task up in the app's registry and calls `apply_async` rather than `send_task`, which would
bypass eager mode.
"""

from __future__ import annotations

import threading
from typing import Any

from celery import current_app

# One discovery at a time: Celery's runs once, so a second thread that starts it while the
# first is still importing finds nothing left to import and the task not yet registered
# (seen under gunicorn's threads as NotRegistered on a fresh worker's first requests).
_discovering = threading.Lock()


def enqueue(name: str, *args: Any, countdown: float | None = None) -> Any:
    """Send the task `name` (e.g. "donors.tasks.send_receipt") with positional `args`."""
    if name not in current_app.tasks:
        with _discovering:
            if name not in current_app.tasks:
                # The apps' task modules are imported on first use in a web process (a
                # worker imports them at start): the same discovery the worker does.
                current_app.loader.import_default_modules()
    return current_app.tasks[name].apply_async(args, countdown=countdown)

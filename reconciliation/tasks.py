"""Reconciliation tasks: imports submitted through the API or the admin run here, off the request;
a periodic sweep re-sends the imports whose message the broker lost."""

from __future__ import annotations

import logging

from celery import shared_task

from common.errors import ApplicationError
from reconciliation.selectors import imports_waiting
from reconciliation.services.imports import import_queued_run

log = logging.getLogger("reconciliation")


@shared_task
def import_job_run(job_pk: int) -> str:
    """Run one queued import. Its outcome, a failure included, is kept on the job."""
    try:
        job = import_queued_run(job_pk=job_pk)
    except ApplicationError as error:  # a bad row: the job says why, for the treasurer
        log.warning("import #%s failed: %s", job_pk, error.message)
        return "failed"
    return job.state if job else "not queued"


@shared_task
def sweep_imports() -> int:
    """Re-send imports still queued well after they were submitted (a broker outage or a
    lost message must not leave the treasurer's upload waiting for ever). A job runs once
    whatever the number of messages: the worker only starts a job that is still queued."""
    pks = list(imports_waiting())
    for pk in pks:
        import_job_run.delay(pk)
    return len(pks)

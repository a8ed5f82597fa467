"""Webhook processing tasks. They take ids and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from webhooks.models import EventStatus, WebhookEvent
from webhooks.services import enqueue, event_process, events_unprocessed

log = logging.getLogger("webhooks")
MAX_RETRIES = 6


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def process_event(self, event_pk: int) -> str | None:
    """Process one event; on failure retry with exponential backoff, then stay failed."""
    try:
        return event_process(event_pk=event_pk)
    except Exception as exc:
        if self.request.retries >= MAX_RETRIES or self.request.is_eager:
            log.exception("webhook event %s failed", event_pk)
            return None
        # Back to "received" so the sweeper also sees it if the retry is lost.
        WebhookEvent.objects.filter(pk=event_pk, status=EventStatus.FAILED).update(
            status=EventStatus.RECEIVED)  # fmt: skip
        raise self.retry(exc=exc, countdown=min(10 * 4**self.request.retries, 6 * 3600)) from exc


@shared_task
def sweep_events() -> int:
    """Re-enqueue events left unprocessed (a broker outage must not lose a gift)."""
    pks = list(events_unprocessed())
    for pk in pks:
        enqueue(pk)
    return len(pks)

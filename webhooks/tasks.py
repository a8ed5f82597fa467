"""Webhook processing tasks. They take ids and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from webhooks.selectors import events_unprocessed
from webhooks.services import enqueue, event_process, retry_scheduled

log = logging.getLogger("webhooks")
MAX_RETRIES = 6


def backoff(retries: int) -> int:
    """Seconds before retry number `retries + 1`: 10 s, 40 s, 160 s, ... capped at 6 hours."""
    base = getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 10)
    return int(min(base * 4**retries, 6 * 3600))


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def process_event(self, event_pk: int) -> str | None:
    """Process one event; on failure retry with exponential backoff, then stay failed.

    While a retry is scheduled the event is "received" again with its due time, so the
    sweeper re-sends it if the broker loses the retry; after the last attempt it stays
    "failed" with its traceback (a dead letter), for the admin and `webhooks_replay`.
    """
    try:
        return event_process(event_pk=event_pk)
    except Exception as exc:
        if self.request.retries >= MAX_RETRIES or self.request.is_eager:
            log.exception("webhook event %s failed", event_pk)
            return None
        countdown = backoff(self.request.retries)
        retry_scheduled(event_pk=event_pk, countdown=countdown)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task
def sweep_events() -> int:
    """Re-enqueue events left unprocessed (a broker outage must not lose a gift)."""
    pks = list(events_unprocessed())
    for pk in pks:
        enqueue(pk)
    return len(pks)

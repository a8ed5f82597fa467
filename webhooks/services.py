"""Receive and process webhook events: store once, process on commit, record the outcome."""

from __future__ import annotations

import logging
import traceback
from contextlib import nullcontext
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from webhooks.models import EventStatus, WebhookEvent
from webhooks.providers.base import WebhookEventData

log = logging.getLogger("webhooks")
LEASE = timedelta(minutes=5)  # a "processing" event older than this was abandoned by a crash
KEPT_HEADERS = ("stripe-signature", "user-agent", "content-type", "content-length")


def rejection_count(provider: str, reason: str, detail: str = "") -> None:
    """Count a refused delivery (cache counter per provider and reason) and log it."""
    key = f"webhooks:rejected:{provider}:{reason}"
    cache.add(key, 0, timeout=None)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)
    log.warning("webhook rejected provider=%s reason=%s %s", provider, reason, detail)


def rejections(provider: str, reason: str) -> int:
    return int(cache.get(f"webhooks:rejected:{provider}:{reason}", 0))


def event_receive(*, provider: str, event: WebhookEventData, headers: dict[str, str]) -> bool:
    """Store a verified event once; True when it is new (and then enqueued on commit).

    In a request (autocommit) the INSERT is its own transaction, one round trip, and the
    enqueue follows at once. Called inside a transaction, a savepoint keeps a duplicate's
    IntegrityError from spoiling it, and the enqueue waits for that transaction's commit.
    """
    kept = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
    in_transaction = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if in_transaction else nullcontext():
            row = WebhookEvent.objects.create(
                provider=provider, event_id=event.id, type=event.type, object_id=event.object_id,
                livemode=event.livemode, payload=event.payload, headers=kept,
            )  # fmt: skip
    except IntegrityError:
        WebhookEvent.objects.filter(provider=provider, event_id=event.id).update(
            duplicates=F("duplicates") + 1)  # fmt: skip
        return False
    transaction.on_commit(lambda: enqueue(row.pk))
    return True


def enqueue(event_pk: int, countdown: int = 0) -> None:
    from webhooks.tasks import process_event

    try:
        process_event.apply_async((event_pk,), countdown=countdown)
    except Exception:  # broker away: the sweeper picks the event up later
        log.exception("could not enqueue webhook event %s", event_pk)


def event_claim(*, event_pk: int, force: bool = False) -> WebhookEvent | None:
    """Lock the event and mark it processing, unless done or held by a live worker."""
    with transaction.atomic(durable=True):
        event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
        if event.status == EventStatus.SUCCEEDED and not force:
            return None
        fresh = event.started_at and timezone.now() - event.started_at < LEASE
        if event.status == EventStatus.PROCESSING and fresh and not force:
            return None
        event.status = EventStatus.PROCESSING
        event.attempts += 1
        event.started_at = timezone.now()
        event.save(update_fields=["status", "attempts", "started_at"])
    return event


def event_finish(*, event_pk: int, result: str = "", error: BaseException | None = None,
                 final: bool = True) -> None:  # fmt: skip
    """Record success, or the failure with its traceback (status failed when final)."""
    with transaction.atomic(durable=True):
        event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
        event.next_attempt_at = None
        if error is None:
            event.status, event.result = EventStatus.SUCCEEDED, result[:255]
            event.processed_at, event.last_error = timezone.now(), ""
        else:
            event.status = EventStatus.FAILED if final else EventStatus.RECEIVED
            event.last_error = "".join(traceback.format_exception(error))[-20000:]
        event.started_at = None
        event.save()


def event_process(*, event_pk: int, force: bool = False) -> str | None:
    """Run an event's handler. Raises the handler's error after recording it."""
    from webhooks.handlers import dispatch

    event = event_claim(event_pk=event_pk, force=force)
    if event is None:
        return None
    try:
        result = dispatch(event)
    except Exception as exc:
        event_finish(event_pk=event_pk, error=exc, final=True)
        raise
    event_finish(event_pk=event_pk, result=result)
    return result


def events_unprocessed(*, older_than: timedelta = timedelta(minutes=2)):
    """Events a lost enqueue or a crashed worker left behind (for the sweeper)."""
    now = timezone.now()
    never_tried = Q(next_attempt_at__isnull=True, received_at__lt=now - older_than)
    retry_lost = Q(next_attempt_at__lt=now - older_than)  # the broker lost the retry
    stuck = Q(status=EventStatus.RECEIVED) & (never_tried | retry_lost)
    abandoned = Q(status=EventStatus.PROCESSING, started_at__lt=now - LEASE)
    return (WebhookEvent.objects.filter(stuck | abandoned).order_by("received_at", "pk")
            .values_list("pk", flat=True))  # fmt: skip

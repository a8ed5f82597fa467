"""Receive and process webhook events: store once, process on commit, record the outcome.

Receipt (`event_receive`) stores a verified event's raw body once and enqueues its
processing after the commit; processing (`event_process`) claims the event, dispatches it
through its provider's event map (`webhooks.dispatch`) and records started / succeeded /
failed with the error. Refused deliveries are counted per day and reason
(`rejection_count`).
"""

from __future__ import annotations

import logging
import traceback
from contextlib import nullcontext
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common.tasks import enqueue as enqueue_task
from payments.types import WebhookEventData
from webhooks.dispatch import dispatch
from webhooks.models import EventStatus, WebhookEvent, WebhookRejection

log = logging.getLogger("webhooks")
LEASE = timedelta(minutes=5)  # a "processing" event older than this was abandoned by a crash
KEPT_HEADERS = ("stripe-signature", "user-agent", "content-type", "content-length")


def rejection_count(provider: str, reason: str, detail: str = "") -> None:
    """Count a refused delivery in today's row for its provider and reason, and log it."""
    now = timezone.now()
    day = timezone.localdate(now)
    scope = WebhookRejection.objects.filter(provider=provider, day=day, reason=reason)
    if not scope.update(count=F("count") + 1, last_at=now):
        try:
            with transaction.atomic():
                WebhookRejection.objects.create(
                    provider=provider, day=day, reason=reason, count=1, last_at=now
                )
        except IntegrityError:  # a concurrent refusal made today's row first
            scope.update(count=F("count") + 1, last_at=now)
    log.warning("webhook rejected provider=%s reason=%s %s", provider, reason, detail)


def event_receive(
    *, provider: str, event: WebhookEventData, body: bytes, headers: dict[str, str]
) -> bool:
    """Store a verified event once, its body as the provider signed it; True when it is new
    (and then enqueued on commit).

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
                livemode=event.livemode, body=body, headers=kept,
            )  # fmt: skip
    except IntegrityError:
        WebhookEvent.objects.filter(provider=provider, event_id=event.id).update(
            duplicates=F("duplicates") + 1)  # fmt: skip
        return False
    transaction.on_commit(lambda: enqueue(row.pk))
    return True


def enqueue(event_pk: int, countdown: int = 0) -> None:
    try:
        enqueue_task("webhooks.tasks.process_event", event_pk, countdown=countdown or None)
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
        event.save(update_fields=["next_attempt_at", "status", "result", "processed_at",
                                  "last_error", "started_at"])  # fmt: skip


def event_process(*, event_pk: int, force: bool = False) -> str | None:
    """Run an event's handler. Raises the handler's error after recording it."""
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


def retry_scheduled(*, event_pk: int, countdown: int) -> None:
    """A failed attempt will be retried: the event is "received" again with its due time, so
    the sweeper re-sends it if the broker loses the retry."""
    WebhookEvent.objects.filter(pk=event_pk, status=EventStatus.FAILED).update(
        status=EventStatus.RECEIVED,
        next_attempt_at=timezone.now() + timedelta(seconds=countdown),
    )  # fmt: skip

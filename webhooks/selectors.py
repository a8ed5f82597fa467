"""Reads of stored events: what is left to process, what failed for good, what was refused."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from webhooks.models import EventStatus, WebhookEvent, WebhookRejection
from webhooks.services import LEASE


def events_unprocessed(*, older_than: timedelta = timedelta(minutes=2)) -> QuerySet:
    """Primary keys of the events a lost enqueue or a crashed worker left behind (for the
    sweeper), oldest first."""
    now = timezone.now()
    never_tried = Q(next_attempt_at__isnull=True, received_at__lt=now - older_than)
    retry_lost = Q(next_attempt_at__lt=now - older_than)  # the broker lost the retry
    stuck = Q(status=EventStatus.RECEIVED) & (never_tried | retry_lost)
    abandoned = Q(status=EventStatus.PROCESSING, started_at__lt=now - LEASE)
    return (WebhookEvent.objects.filter(stuck | abandoned).order_by("received_at", "pk")
            .values_list("pk", flat=True))  # fmt: skip


def events_dead() -> QuerySet[WebhookEvent]:
    """The dead letters: events whose every attempt failed, newest first (replay them once
    the cause is fixed: the admin's action or `manage.py webhooks_replay --failed`)."""
    return WebhookEvent.objects.filter(status=EventStatus.FAILED).order_by("-received_at", "-pk")


def rejections(provider: str, reason: str, *, day: object = None) -> int:
    """How many deliveries of a provider were refused for a reason (on one day, or ever)."""
    rows = WebhookRejection.objects.filter(provider=provider, reason=reason)
    if day is not None:
        rows = rows.filter(day=day)
    return rows.aggregate(total=Sum("count"))["total"] or 0

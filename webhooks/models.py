"""Every verified webhook, stored once as the provider sent it, with its processing trail; and
the deliveries refused, counted per day and reason."""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class WebhookEvent(models.Model):
    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=255, blank=True)
    livemode = models.BooleanField(default=False)
    body = models.BinaryField(help_text="The request body exactly as signed by the provider.")
    headers = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=12, choices=EventStatus.choices,
                              default=EventStatus.RECEIVED)  # fmt: skip
    attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the scheduled retry is due (while retrying)."
    )
    result = models.CharField(max_length=255, blank=True, help_text="What processing did.")
    last_error = models.TextField(blank=True, help_text="Traceback of the last failure.")
    duplicates = models.PositiveIntegerField(default=0, help_text="Repeated deliveries.")

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")
        ]
        # Every index is paid for on the webhook's hot INSERT, so only these: the admin's
        # exact search by the provider object's id, and the few events not yet done (what the
        # sweeper and the treasurer look for), which leave that index once they succeed.
        indexes = [
            models.Index(fields=["object_id"], name="webhook_event_object"),
            models.Index(
                fields=["status", "received_at"],
                condition=~models.Q(status="succeeded"),
                name="webhook_event_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.type} {self.event_id} ({self.status})"

    @property
    def payload(self) -> dict[str, Any]:
        """The body as JSON (every provider we take sends JSON)."""
        return json.loads(bytes(self.body))


class WebhookRejection(models.Model):
    """How many deliveries were refused, per provider, day and reason (a bad signature, a
    stale timestamp, an oversized body): one row a day per reason, however many requests an
    attacker sends, so refusing stays cheap and the table small."""

    provider = models.CharField(max_length=32)
    day = models.DateField()
    reason = models.CharField(max_length=32)
    count = models.PositiveBigIntegerField(default=0)
    last_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "provider", "reason"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "day", "reason"], name="webhook_rejection_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.day} {self.reason}: {self.count}"

"""Every verified webhook, stored once, with its processing trail."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class WebhookEvent(models.Model):
    provider = models.CharField(max_length=32, default="stripe")
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=255, blank=True)
    livemode = models.BooleanField(default=False)
    payload = models.JSONField()
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
        # exact search by the Stripe object's id, and the few events not yet done (what the
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

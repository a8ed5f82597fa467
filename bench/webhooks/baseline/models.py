from django.db import models


class Hit(models.Model):
    """One row per request to the baseline view."""

    received_at = models.DateTimeField(auto_now_add=True)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"hit {self.pk} ({self.size} bytes)"

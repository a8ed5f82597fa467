"""Reconciliation imports waiting for a worker."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from ledger.models_reconciliation import ImportJob, ImportState

# A queued import is sent to the worker on commit; one still queued after this long lost
# its message (or the broker was down when it was submitted).
WAITING_AFTER = timedelta(minutes=2)


def imports_waiting(*, older_than: timedelta = WAITING_AFTER) -> QuerySet:
    """Primary keys of the imports queued before `older_than` ago, oldest first."""
    cutoff = timezone.now() - older_than
    return (
        ImportJob.objects.filter(state=ImportState.QUEUED, created_at__lt=cutoff)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )

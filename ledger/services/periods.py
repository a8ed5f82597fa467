"""Closing and reopening accounting periods; both audited.

A closed period locks every effective date up to and including its `until` date: the
database refuses to post an entry dated in it (see `ledger/db/`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from common.errors import ApplicationError, Conflict
from ledger.models import ClosedPeriod, PeriodAudit, PeriodState


def period_close(*, until: date, actor: Any, reason: str = "") -> ClosedPeriod:
    """Lock the books up to `until` (inclusive). Closing a date already locked by an open
    close is a no-op returning that close."""
    with transaction.atomic(durable=True):
        list(ClosedPeriod.objects.select_for_update().order_by("pk"))
        existing = ClosedPeriod.objects.filter(state=PeriodState.CLOSED, until__gte=until)
        if existing.exists():
            return existing.order_by("-until").first()
        period = ClosedPeriod.objects.create(until=until, closed_by=actor, reason=reason)
        PeriodAudit.objects.create(
            period=period, to_state=PeriodState.CLOSED, actor=actor, comment=reason
        )
        return period


def period_reopen(*, period: ClosedPeriod, actor: Any, reason: str) -> ClosedPeriod:
    """Unlock a closed period; the reason is required and kept in the audit trail."""
    if not reason or not reason.strip():
        raise ApplicationError("Say why the period is reopened.", code="reason_required")
    with transaction.atomic(durable=True):
        period = ClosedPeriod.objects.select_for_update().get(pk=period.pk)
        if period.state != PeriodState.CLOSED:
            raise Conflict("The period is not closed.", code="invalid_state")
        period.state = PeriodState.REOPENED
        period.save(update_fields=["state"])
        PeriodAudit.objects.create(
            period=period,
            from_state=PeriodState.CLOSED,
            to_state=PeriodState.REOPENED,
            actor=actor,
            comment=reason,
        )
        return period


def locked_until() -> date | None:
    """The last locked effective date, if any."""
    period = ClosedPeriod.objects.filter(state=PeriodState.CLOSED).order_by("-until").first()
    return period.until if period else None

"""Closing and reopening accounting periods; both audited.

A closed period locks every effective date up to and including its `until` date: the
database refuses to post an entry dated in it (see `ledger/db/`). Only a period that has
ended can be closed (`until` before the secretariat's today). Money the provider has already
moved when we hear of it is still booked when its day is closed: into the first open day
(`first_open_day`, used by the posting rules that say `late_into_open_period`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from common.errors import ApplicationError, Conflict
from ledger.models import ClosedPeriod, PeriodAudit, PeriodState


def secretariat_today() -> date:
    """Today in the secretariat's time zone (settings.TIME_ZONE), whatever zone is active."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def period_close(*, until: date, actor: Any, reason: str = "") -> ClosedPeriod:
    """Lock the books up to `until` (inclusive), a day that has ended. Closing a date already
    locked by an open close is a no-op returning that close."""
    today = secretariat_today()
    if until >= today:
        message = f"Only a period that has ended can be closed: choose a day before {today}."
        raise ApplicationError(message, code="period_not_ended", fields={"until": [message]})
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


def first_open_day(on: date) -> date | None:
    """The first day after the closed periods that lock `on`, or None when `on` is open.

    Entries that must be booked whatever the period (money the provider already moved) go
    there; the database's lock holds for every other entry.
    """
    locked = ClosedPeriod.objects.filter(state=PeriodState.CLOSED, until__gte=on).aggregate(
        last=Max("until")
    )["last"]
    if locked is None:
        return None
    if locked == date.max:
        raise Conflict("The books are closed to the end of time: reopen that period.",
                       code="period_closed")  # fmt: skip
    return locked + timedelta(days=1)

"""Stripe's objects as the neutral snapshots of `payments.types`: the one place that reads
Stripe's shapes. Every amount leaves Stripe's minor units through `amounts.from_minor`."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from moneyed import Money

from payments.stripe import amounts
from payments.stripe.amounts import Purpose
from payments.types import (
    BalanceTransaction,
    DisputeSnapshot,
    PayoutSnapshot,
    ProviderError,
    RefundSnapshot,
    SubscriptionSnapshot,
)


def get(obj: Any, key: str, default: Any = None) -> Any:
    """A field of a Stripe object or dict; `default` when absent or null."""
    if obj is None:
        return default
    try:
        value = obj[key]
    except (KeyError, TypeError, AttributeError):
        return default
    return default if value is None else value


def object_id(obj: Any) -> str:
    """An expandable field: either the id string or the expanded object."""
    if obj is None:
        return ""
    return obj if isinstance(obj, str) else str(get(obj, "id", ""))


def timestamp(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value or 0), tz=UTC)


def money(amount: Any, currency: Any, purpose: Purpose = Purpose.CHARGE) -> Money:
    """Money from Stripe's minor units. An amount without its currency is refused: guessing
    one (USD, say) would book a gift in IDR as dollars."""
    if not currency or not str(currency).strip():
        raise ProviderError(f"Stripe sent an amount ({amount!r}) without its currency")
    return amounts.from_minor(int(amount or 0), str(currency), purpose)


def metadata(obj: Any) -> dict[str, str]:
    meta = get(obj, "metadata") or {}
    if hasattr(meta, "to_dict"):
        meta = meta.to_dict()
    return {str(k): str(v) for k, v in dict(meta).items()}


def balance_transaction(obj: Any) -> BalanceTransaction | None:
    if not obj or isinstance(obj, str):
        return None
    currency = get(obj, "currency")
    rate = get(obj, "exchange_rate")
    return BalanceTransaction(
        id=get(obj, "id"),
        gross=money(get(obj, "amount", 0), currency),
        fee=money(get(obj, "fee", 0), currency),
        net=money(get(obj, "net", 0), currency),
        exchange_rate=Decimal(str(rate)) if rate is not None else None,
        created=timestamp(get(obj, "created")),
    )


def refund(r: Any) -> RefundSnapshot:
    return RefundSnapshot(
        id=r.id if hasattr(r, "id") else get(r, "id"),
        amount=money(get(r, "amount"), get(r, "currency")),
        status=get(r, "status", ""),
        balance_transaction=balance_transaction(get(r, "balance_transaction")),
        metadata=metadata(r),
    )


def dispute(d: Any) -> DisputeSnapshot:
    txns = get(d, "balance_transactions") or []
    return DisputeSnapshot(
        id=get(d, "id"),
        amount=money(get(d, "amount"), get(d, "currency")),
        status=get(d, "status", ""),
        reason=get(d, "reason", ""),
        balance_transactions=tuple(bt for t in txns if (bt := balance_transaction(t))),
    )


def subscription(sub: Any) -> SubscriptionSnapshot:
    return SubscriptionSnapshot(id=get(sub, "id", ""), status=get(sub, "status", ""),
                                metadata=metadata(sub))  # fmt: skip


def payout(p: Any) -> PayoutSnapshot:
    return PayoutSnapshot(
        id=get(p, "id", ""),
        status=get(p, "status", ""),
        amount=money(get(p, "amount"), get(p, "currency"), Purpose.PAYOUT),
        arrival_date=timestamp(get(p, "arrival_date")),
        balance_transaction_id=object_id(get(p, "balance_transaction")),
        failure_message=get(p, "failure_message", ""),
    )

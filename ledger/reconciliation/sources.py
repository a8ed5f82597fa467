"""Where the ledger gets the payment provider's records for reconciliation.

The ledger knows nothing of Stripe: `settings.LEDGER_STRIPE_SOURCE` names a class, at the
provider boundary, that yields the ledger's own plain rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from ledger.reconciliation.parsers import BalanceRow, PayoutRow


class BalanceSource(Protocol):
    def balance_transactions(self, *, created_gte: int | None = None) -> Iterator[BalanceRow]: ...

    def payouts(self, *, created_gte: int | None = None) -> Iterator[PayoutRow]: ...

    def payout_transaction_ids(self, payout_id: str) -> list[str]: ...


def default_source() -> BalanceSource:
    return import_string(settings.LEDGER_STRIPE_SOURCE)()

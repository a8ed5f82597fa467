"""The Stripe adapter reads amounts only with the currency Stripe sent beside them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from moneyed import Money

from payments.stripe import objects
from payments.stripe.objects import balance_transaction
from payments.types import ProviderError

TXN = {"id": "txn_1", "object": "balance_transaction", "amount": 21290, "fee": 87,
       "net": 21203, "exchange_rate": 0.000283, "created": 1_763_700_000}  # fmt: skip


def test_a_balance_transaction_is_read_in_its_currency():
    bt = balance_transaction({**TXN, "currency": "myr"})
    assert bt.gross == Money(Decimal("212.90"), "MYR") and bt.fee == Money(Decimal("0.87"), "MYR")


@pytest.mark.parametrize("currency", [None, "", "  "])
def test_an_amount_without_a_currency_is_refused_not_taken_for_dollars(currency):
    with pytest.raises(ProviderError, match="without its currency"):
        balance_transaction({**TXN, "currency": currency})
    if currency is None:
        with pytest.raises(ProviderError):
            balance_transaction(dict(TXN))


def test_a_refund_without_a_currency_is_refused():
    refund = {"id": "re_1", "object": "refund", "amount": 5000, "status": "succeeded"}
    with pytest.raises(ProviderError):
        objects.refund(refund)
    assert objects.refund({**refund, "currency": "idr"}).amount == Money(50, "IDR")

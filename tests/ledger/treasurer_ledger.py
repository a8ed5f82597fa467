"""A small ledger for the treasurer's reports, built through the posting rules.

Campaign A: a Malaysian gift (MYR 100), an Indonesian gift (IDR 1,000,000 settled as
MYR 285.00), half of the Indonesian gift refunded at a stronger rupiah (MYR 145.00 leaves
Stripe; the fund carried that half at 142.50), the secretariat's MYR 5 fee.
Campaign B: a Singaporean gift (SGD 50 settled as MYR 160.00) and a Japanese donor's bank
transfer of MYR 500. Then a Stripe payout of MYR 300 to the bank.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from moneyed import Money

from ledger.models import JournalEntry
from ledger.services import rules
from tests.ledger.accounts import clearing, fund, refs

D1 = dt.date(2026, 3, 2)
D2 = dt.date(2026, 3, 9)
D3 = dt.date(2026, 3, 16)


def myr(amount: str) -> Money:
    return Money(Decimal(amount), "MYR")


@dataclass
class SmallLedger:
    campaign_a: object
    campaign_b: object
    entries: dict[str, JournalEntry]


def _gift(campaign, ref: str, presentment: Money, gross: str, fee: str, country: str, rate=None):
    net = myr(gross) - myr(fee)
    return rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id=f"txn_{ref}", charge_id=f"ch_{ref}"),
        donation_ref=ref,
        presentment=presentment,
        gross=myr(gross),
        fee=myr(fee),
        net=net,
        exchange_rate=rate,
        donor_country=country,
        effective_date=D1,
    )


def build_small_ledger(campaign_a, campaign_b, treasurer) -> SmallLedger:
    e = {
        "my": _gift(campaign_a, "my-1", myr("100.00"), "100.00", "3.20", "MY"),
        "id": _gift(
            campaign_a,
            "id-1",
            Money(1_000_000, "IDR"),
            "285.00",
            "10.69",
            "ID",
            Decimal("0.000285"),
        ),  # fmt: skip
        "sg": _gift(
            campaign_b, "sg-1", Money(50, "SGD"), "160.00", "6.44", "SG", Decimal("3.2")
        ),  # fmt: skip
    }
    e["fee"] = rules.secretariat_fee(
        fund=fund(campaign_a),
        refs=refs(campaign_a),
        donation_ref="my-1",
        amount=myr("5.00"),
        effective_date=D1,
    )
    e["refund"] = rules.refund_booked(
        fund=fund(campaign_a),
        clearing=clearing(),
        refs=refs(campaign_a, balance_transaction_id="txn_re_1"),
        donation_ref="id-1",
        refund_id="re_1",
        refunded_presentment=Money(500_000, "IDR"),
        refund_settled=myr("145.00"),
        effective_date=D2,
    )
    e["gift"] = rules.offline_gift(
        fund=fund(campaign_b),
        refs=refs(campaign_b),
        reference="GIFT-77",
        amount=myr("500.00"),
        bank_account_code=None,
        donor_country="JP",
        effective_date=D2,
        recorded_by=treasurer,
    )
    e["payout"] = rules.payout_paid(
        clearing=clearing(),
        label="Stripe",
        payout_id="po_1",
        amount=myr("300.00"),
        bank_account_code=None,
        effective_date=D3,
    )
    return SmallLedger(campaign_a, campaign_b, e)

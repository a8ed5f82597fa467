"""A payment provider's payout, booked as its statement will show it: paid out of the
provider's balance into the bank, or bounced back."""

from __future__ import annotations

from ledger.services import rules
from ledger.services.chart import clearing_account
from payments.registry import get_provider


def payout_sync(*, provider: str, payout_id: str) -> str:
    """Book a payout the provider reports paid or failed (re-fetched from it first). A payout
    that failed before it was paid moved no money, so there is nothing to book. Idempotent
    on the payout's id. Dated in a closed period, it is booked on the first open day (the
    payout rules' default: the money has moved)."""
    client = get_provider(provider)
    payout = client.fetch_payout(payout_id)
    if payout.status not in ("paid", "failed"):
        return f"payout {payout.status}"
    clearing = clearing_account(provider=client.name, label=client.label,
                                currency=str(payout.amount.currency))  # fmt: skip
    day = payout.arrival_date.date()
    if payout.status == "paid":
        rules.payout_paid(
            payout_id=payout.id,
            clearing=clearing,
            amount=payout.amount,
            bank_account_code=None,
            effective_date=day,
            label=client.label,
        )
        return "payout paid booked"
    if not rules.payout_was_paid(payout_id=payout.id):
        return "payout failed: nothing to book"
    rules.payout_failed(
        payout_id=payout.id,
        clearing=clearing,
        amount=payout.amount,
        bank_account_code=None,
        effective_date=day,
        label=client.label,
    )
    return "payout failed booked"

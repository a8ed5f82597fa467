"""The bridge to the ledger's posting rules, called inside the donation services' transactions.

The ledger knows nothing of Stripe; these functions hand it plain facts keyed on Stripe's ids.
Each rule is idempotent on its source id and runs with `durable=False`, in a savepoint of the
caller's transaction, so the donation's state, the campaign's totals and the journal entry
commit together or not at all.

Stripe's signs: a refund's balance transaction has a negative amount (and a negative fee when
part of the fee comes back); a dispute's withdrawal is negative with the dispute fee positive,
its reinstatement positive with the fee negative.

Refunds and lost disputes have already happened at Stripe when we book them, so they are
booked with `allow_negative=True`: the books must show a Stripe balance or a fund that went
below zero (the treasurer's reports flag it) rather than refuse the fact.
"""

from __future__ import annotations

from moneyed import Money

from common.money import decimals
from donors.models import Donation
from webhooks.providers.base import BalanceTransaction, DisputeSnapshot, RefundSnapshot


def _rules():
    from ledger.services import rules

    return rules


def _exact(money: Money) -> Money:
    """Money at its currency's ISO decimals (the ledger compares amounts as given)."""
    code = str(money.currency)
    return Money(money.amount.quantize(type(money.amount)(1).scaleb(-decimals(code))), code)


def _neg(money: Money) -> Money:
    return Money(-money.amount, str(money.currency))


def book_donation(donation: Donation, bt: BalanceTransaction) -> None:
    _rules().donation_settled(
        campaign_id=donation.campaign_id, donation_ref=str(donation.reference),
        balance_transaction_id=bt.id, presentment=_exact(donation.amount),
        gross=bt.gross, fee=bt.fee, net=bt.net, exchange_rate=bt.exchange_rate,
        donor_country=donation.country, effective_date=bt.created.date(),
        charge_id=donation.charge_id, durable=False,
    )  # fmt: skip
    # The secretariat's configured share of the gift (none when the share is zero).
    from ledger.services.fees import secretariat_fee_on_donation

    secretariat_fee_on_donation(donation_ref=str(donation.reference), durable=False)


def book_refund(donation: Donation, refund: RefundSnapshot) -> None:
    bt = refund.balance_transaction
    _rules().refund_booked(
        campaign_id=donation.campaign_id, donation_ref=str(donation.reference),
        refund_id=refund.id, balance_transaction_id=bt.id,
        refunded_presentment=_exact(refund.amount),
        refund_settled=_neg(bt.gross) if bt.gross.amount < 0 else bt.gross,
        fee_refunded=_neg(bt.fee) if bt.fee.amount < 0 else None,
        effective_date=bt.created.date(), allow_negative=True, durable=False,
    )  # fmt: skip


def book_dispute_opened(donation: Donation, dispute: DisputeSnapshot) -> bool:
    withdrawn = [bt for bt in dispute.balance_transactions if bt.gross.amount < 0]
    if not withdrawn:
        return False
    bt = withdrawn[0]
    _rules().dispute_opened(
        campaign_id=donation.campaign_id, donation_ref=str(donation.reference),
        dispute_id=dispute.id, balance_transaction_id=bt.id, amount=_neg(bt.gross),
        dispute_fee=bt.fee if bt.fee.amount > 0 else Money(0, str(bt.fee.currency)),
        disputed_presentment=_exact(dispute.amount), effective_date=bt.created.date(),
        durable=False,
    )  # fmt: skip
    return True


def book_dispute_closed(donation: Donation, dispute: DisputeSnapshot, effective_date) -> None:
    if dispute.status == "won":
        back = [bt for bt in dispute.balance_transactions if bt.gross.amount > 0]
        if not back:
            return
        bt = back[0]
        _rules().dispute_won(
            campaign_id=donation.campaign_id, donation_ref=str(donation.reference),
            dispute_id=dispute.id, balance_transaction_id=bt.id, amount=bt.gross,
            dispute_fee_returned=_neg(bt.fee) if bt.fee.amount < 0 else None,
            effective_date=bt.created.date(), durable=False,
        )  # fmt: skip
    else:
        _rules().dispute_lost(
            campaign_id=donation.campaign_id, donation_ref=str(donation.reference),
            dispute_id=dispute.id, effective_date=effective_date, allow_negative=True,
            durable=False,
        )  # fmt: skip


def book_payout(payout_id: str, amount: Money, effective_date, *, failed: bool) -> bool:
    """A payout paid (or bounced back). A payout that failed before it was paid moved no
    money, so there is nothing to book."""
    from ledger.models import JournalEntry

    rules = _rules()
    if not failed:
        rules.payout_paid(payout_id=payout_id, amount=amount, bank_account_code=None,
                          effective_date=effective_date)  # fmt: skip
        return True
    if not JournalEntry.objects.filter(idempotency_key=f"payout-paid:{payout_id}").exists():
        return False
    rules.payout_failed(payout_id=payout_id, amount=amount, bank_account_code=None,
                        effective_date=effective_date)  # fmt: skip
    return True

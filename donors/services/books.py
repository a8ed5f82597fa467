"""The bridge from gifts to the ledger's posting rules, called inside the donation services'
transactions.

The ledger knows neither donations, campaigns nor providers: these functions open the
accounts the rules need (the campaign's restricted fund through `campaigns`, the provider's
clearing through the ledger's chart, named with the provider's label) and hand the rules
plain facts keyed on the provider's ids. Each rule is idempotent on its source id and runs
with `durable=False`, in a savepoint of the caller's transaction, so the donation's state,
the campaign's totals and the journal entry commit together or not at all.

Providers' signs (Stripe's, and the neutral snapshots keep them): a refund's balance
transaction has a negative amount (and a negative fee when part of the fee comes back); a
dispute's withdrawal is negative with the dispute fee positive, its reinstatement positive
with the fee negative.

Refunds and lost disputes have already happened at the provider when we book them, so they
are booked with `allow_negative=True`: the books must show a clearing balance or a fund that
went below zero (the treasurer's reports flag it) rather than refuse the fact. For the same
reason a closed period does not refuse them: every rule called here books an event dated in
a closed period on the first open day, its own date kept (the rules' default
`late_into_open_period=True`; the treasurer's list: `/api/v1/ledger/late-entries/`).
"""

from __future__ import annotations

from moneyed import Money

from campaigns.models import Campaign
from campaigns.services.funds import campaign_fund
from common.money import quantize
from donors.models import Donation
from ledger.models import Account
from ledger.services import rules
from ledger.services.chart import clearing_account
from payments.registry import get_provider
from payments.types import BalanceTransaction, DisputeSnapshot, RefundSnapshot
from treasury.services.fees import secretariat_fee_on_donation


def _exact(money: Money) -> Money:
    """Money at its currency's ISO decimals (the ledger compares amounts as given)."""
    code = str(money.currency)
    return Money(quantize(money.amount, code), code)


def _neg(money: Money) -> Money:
    return Money(-money.amount, str(money.currency))


def _clearing(donation: Donation, currency: str) -> Account:
    provider = get_provider(donation.provider)
    return clearing_account(provider=provider.name, label=provider.label, currency=currency)


def _fund(donation: Donation, currency: str) -> Account:
    campaign = Campaign.objects.only("pk", "title").get(pk=donation.campaign_id)
    return campaign_fund(campaign=campaign, currency=currency)


def _refs(donation: Donation, **ids: str) -> dict[str, object]:
    return {"campaign_id": donation.campaign_id, **ids}


def book_donation(donation: Donation, bt: BalanceTransaction) -> None:
    currency = str(bt.gross.currency)
    rules.donation_settled(
        donation_ref=str(donation.reference), fund=_fund(donation, currency),
        clearing=_clearing(donation, currency), presentment=_exact(donation.amount),
        gross=bt.gross, fee=bt.fee, net=bt.net, exchange_rate=bt.exchange_rate,
        donor_country=donation.country, effective_date=bt.created.date(),
        refs=_refs(donation, charge_id=donation.charge_id, balance_transaction_id=bt.id),
        durable=False,
    )  # fmt: skip
    # The secretariat's configured share of the gift (none when the share is zero).
    campaign = Campaign.objects.get(pk=donation.campaign_id)
    secretariat_fee_on_donation(
        campaign=campaign, donation_ref=str(donation.reference), durable=False
    )


def book_refund(donation: Donation, refund: RefundSnapshot) -> None:
    bt = refund.balance_transaction
    settled = _neg(bt.gross) if bt.gross.amount < 0 else bt.gross
    currency = str(settled.currency)
    rules.refund_booked(
        donation_ref=str(donation.reference), refund_id=refund.id,
        fund=_fund(donation, currency), clearing=_clearing(donation, currency),
        refunded_presentment=_exact(refund.amount), refund_settled=settled,
        fee_refunded=_neg(bt.fee) if bt.fee.amount < 0 else None,
        effective_date=bt.created.date(), refs=_refs(donation, balance_transaction_id=bt.id),
        allow_negative=True, durable=False,
    )  # fmt: skip


def book_dispute_opened(donation: Donation, dispute: DisputeSnapshot) -> bool:
    withdrawn = [bt for bt in dispute.balance_transactions if bt.gross.amount < 0]
    if not withdrawn:
        return False
    bt = withdrawn[0]
    currency = str(bt.gross.currency)
    rules.dispute_opened(
        donation_ref=str(donation.reference), dispute_id=dispute.id,
        clearing=_clearing(donation, currency), amount=_neg(bt.gross),
        dispute_fee=bt.fee if bt.fee.amount > 0 else Money(0, currency),
        disputed_presentment=_exact(dispute.amount), effective_date=bt.created.date(),
        refs=_refs(donation, balance_transaction_id=bt.id), durable=False,
    )  # fmt: skip
    return True


def book_dispute_closed(donation: Donation, dispute: DisputeSnapshot, effective_date) -> None:
    if dispute.status == "won":
        back = [bt for bt in dispute.balance_transactions if bt.gross.amount > 0]
        if not back:
            return
        bt = back[0]
        rules.dispute_won(
            donation_ref=str(donation.reference), dispute_id=dispute.id,
            clearing=_clearing(donation, str(bt.gross.currency)), amount=bt.gross,
            dispute_fee_returned=_neg(bt.fee) if bt.fee.amount < 0 else None,
            effective_date=bt.created.date(),
            refs=_refs(donation, balance_transaction_id=bt.id), durable=False,
        )  # fmt: skip
    else:
        withdrawn = [bt for bt in dispute.balance_transactions if bt.gross.amount < 0]
        currency = str(withdrawn[0].gross.currency)
        rules.dispute_lost(
            donation_ref=str(donation.reference), dispute_id=dispute.id,
            fund=_fund(donation, currency), effective_date=effective_date,
            refs=_refs(donation), allow_negative=True, durable=False,
        )  # fmt: skip

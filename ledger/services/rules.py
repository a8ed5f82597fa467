"""The posting rules: one named service per money event, each idempotent on its source id.

Conventions every rule follows (the giving and treasury code call these):

- Keyword-only arguments; money is `moneyed.Money` with a Decimal amount; dates are the
  `effective_date` the event happened (the recorded time is kept separately).
- Each rule returns the `JournalEntry`. Calling it again with the same source id and the same
  inputs returns the first entry; the same source id with other inputs raises `Conflict`.
  The idempotency keys are `donation:<donation_ref>`, `secretariat-fee:<donation_ref>`,
  `refund:<refund_id>`, `dispute-opened:<dispute_id>`, `dispute-closed:<dispute_id>`,
  `payout-paid:<payout_id>`, `payout-failed:<payout_id>`, `offline-gift:<reference>`,
  `disbursement:<ref>` (pending) and `disbursement-paid:<ref>`, `release:<reference>`,
  `manual:<reference or content hash>`, `fx-revaluation:<as_of>`.
- Transactions: by default a rule is an outermost money service and opens
  `transaction.atomic(durable=True)`, so nesting it by accident fails loudly. A caller that
  must change its own rows in the same transaction (donation settlement updates the donation
  and posts the entry atomically) passes `durable=False`; the rule then runs in a savepoint of
  the caller's transaction, and the caller's `atomic` is the one that commits.
  Inside, each rule runs `posting.once(key, hash, durable, build)`: replay check, then
  `posting.record(...)` (insert pending, add postings, flip to posted).
- Pending entries: `disbursement_approved` records a pending entry (in no balance);
  `disbursement_paid` posts it (`posting.entry_post_pending`) and books the payment;
  `disbursement_cancelled` voids it (`posting.entry_void`).
- Amounts in a currency other than the book currency (MYR) need a rate to it: `book_rate`
  (or `exchange_rate` / `fund_rate` where named so). Stripe settles in MYR, so the Stripe
  rules need none in practice.
- Refunds and lost disputes take back from the campaign's fund the *carrying value* of the
  share taken back, at the donation's own rate, read from the donation's entry (cumulative,
  so partial refunds adding up to the whole release exactly the gross credited). What Stripe
  actually debited (`refund_settled`, at the refund's own rate) differs; the difference is
  booked to realised FX gain/loss. So `refund_booked` takes `refunded_presentment` (donor's
  currency) and `refund_settled` (settlement currency), and no original rate.
- A restricted fund and Stripe clearing may not go negative (the database refuses it); a rule
  that must be allowed to says so with `allow_negative=True` (`dispute_opened` does by
  default: Stripe withdraws the money whatever the balance).
- The secretariat's configured share per campaign: `ledger.services.fees` (`fee_share_set`,
  `secretariat_fee_on_donation`, which calls `secretariat_fee` with the share of the gross).
- Errors: `common.errors.ApplicationError` / `Conflict` (codes such as
  `insufficient_funds`, `period_closed`, `not_booked` (409: the event it builds on is not in
  the ledger yet; retry later), `idempotency_conflict`).
"""

from ledger.services.rules_disputes import dispute_lost, dispute_opened, dispute_won
from ledger.services.rules_stripe import (
    donation_settled,
    payout_failed,
    payout_paid,
    refund_booked,
    secretariat_fee,
)
from ledger.services.rules_treasury import (
    disbursement_approved,
    disbursement_cancelled,
    disbursement_paid,
    fx_revaluation,
    manual_adjustment,
    offline_gift,
    release_from_restriction,
)

__all__ = [
    "disbursement_approved",
    "disbursement_cancelled",
    "disbursement_paid",
    "dispute_lost",
    "dispute_opened",
    "dispute_won",
    "donation_settled",
    "fx_revaluation",
    "manual_adjustment",
    "offline_gift",
    "payout_failed",
    "payout_paid",
    "refund_booked",
    "release_from_restriction",
    "secretariat_fee",
]

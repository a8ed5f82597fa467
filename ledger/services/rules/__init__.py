"""The posting rules: one named service per money event, each idempotent on its source id.

Conventions every rule follows (the giving, reconciliation and treasury apps call these):

- Named after the money event (a gift settled, a refund, a dispute opened / won / lost, a
  payout paid), never after a payment provider. Keyword-only arguments; money is
  `moneyed.Money` with a Decimal amount; `effective_date` is the day it happened (the
  recorded time is kept separately).
- The ledger knows no campaign, enterprise or provider: the caller passes the accounts it
  opened through `ledger.services.chart` (a restricted `fund`, a provider's `clearing`, a
  `payable`) and its own identifying `refs` (e.g. the campaign's id, the provider's
  balance-transaction id), which are stored on the entry and reported on.
- Each rule returns the `JournalEntry`. Calling it again with the same source id and the same
  inputs returns the first entry; the same source id with other inputs raises `Conflict`.
  The idempotency keys are `donation:<donation_ref>`, `secretariat-fee:<donation_ref>`,
  `refund:<refund_id>`, `dispute-opened:<dispute_id>`, `dispute-closed:<dispute_id>`,
  `payout-paid:<payout_id>`, `payout-failed:<payout_id>`, `offline-gift:<reference>`,
  `disbursement:<ref>` (pending) and `disbursement-paid:<ref>`, `release:<reference>`,
  `manual:<reference or content hash>`, `fx-revaluation:<as_of>`.
- One skeleton runs every rule (`base.post_rule`): the replay check on the hashed inputs,
  then the lines built from the ledger's state, recorded in one transaction.
- Transactions: by default a rule is an outermost money service and opens
  `transaction.atomic(durable=True)`, so nesting it by accident fails loudly. A caller that
  must change its own rows in the same transaction (gift settlement updates the donation
  and posts the entry atomically) passes `durable=False`; the rule then runs in a savepoint of
  the caller's transaction, and the caller's `atomic` is the one that commits.
- Pending entries: `disbursement_approved` records a pending entry (in no balance);
  `disbursement_paid` posts it (`posting.entry_post_pending`) and books the payment;
  `disbursement_cancelled` voids it (`posting.entry_void`).
- Amounts in a currency other than the book currency (MYR) need a rate to it: `book_rate`
  (or `exchange_rate` / `fund_rate` where named so). Providers settle in the book currency,
  so the gift rules need none in practice.
- Refunds and lost disputes take back from the fund the *carrying value* of the share taken
  back, at the gift's own rate, read from the gift's entry (cumulative, so partial refunds
  adding up to the whole release exactly the gross credited). What the provider actually
  debited (`refund_settled`, at the refund's own rate) differs; the difference is booked to
  realised FX. So `refund_booked` takes `refunded_presentment` (donor's currency) and
  `refund_settled` (settlement currency), and no original rate.
- A restricted fund and a provider's clearing may not go negative (the database refuses it);
  a rule that must be allowed to says so with `allow_negative=True` (`dispute_opened` does by
  default: the money is withdrawn whatever the balance).
- Closed periods: the rules for money a payment provider has already moved when we hear of
  it (`donation_settled` and the `secretariat_fee` that follows it, `refund_booked`,
  `dispute_opened` / `won` / `lost`, `payout_paid` / `failed`) take
  `late_into_open_period=True` by default: dated in a closed period, the entry is booked on
  the first open day, its own date kept in the references as `original_date`, and it shows
  in the treasurer's list of late entries (`ledger.selectors.journal.late_entries`). What
  the treasurer types (offline gifts, disbursements, releases, manual adjustments, FX
  revaluation) is refused in a closed period (409 `period_closed`).
- Errors: `common.errors.ApplicationError` / `Conflict` (codes such as `insufficient_funds`,
  `period_closed`, `not_booked` (409: the event it builds on is not in the ledger yet; retry
  later), `idempotency_conflict`, `wrong_account`).
"""

from ledger.services.rules.disputes import dispute_lost, dispute_opened, dispute_won
from ledger.services.rules.gifts import (
    donation_settled,
    offline_gift,
    refund_booked,
    secretariat_fee,
)
from ledger.services.rules.payouts import payout_failed, payout_paid, payout_was_paid
from ledger.services.rules.treasury import (
    disbursement_approved,
    disbursement_cancelled,
    disbursement_paid,
    fx_revaluation,
    manual_adjustment,
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
    "payout_was_paid",
    "refund_booked",
    "release_from_restriction",
    "secretariat_fee",
]

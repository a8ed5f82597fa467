"""The payment-provider interface: what the rest of the service needs from Stripe or another
provider. Each provider implements it in `payments/<name>/` and answers with the neutral
values of `payments.types`; `payments.registry.get_provider(name)` returns the instance."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from decimal import Decimal

from moneyed import Money

from payments.types import (
    Checkout,
    CheckoutRequest,
    CheckoutSnapshot,
    InvoiceSnapshot,
    PaymentSnapshot,
    PayoutSnapshot,
    RefundSnapshot,
    StatementLine,
    StatementPayout,
    SubscriptionSnapshot,
    WebhookEventData,
)


class PaymentProvider(abc.ABC):
    #: The code stored with every record the provider made ("stripe"); also the name of its
    #: package under payments/ and of its event map under webhooks/.
    name: str
    #: How people call it ("Stripe"), for account names, memos and screens.
    label: str
    #: The currency the provider settles into the secretariat's balance.
    settlement_currency: str
    #: Statement line types that pay the balance out to the bank ("paid") or bring a failed
    #: payout back ("failed"); and types the ledger books no entry for by design.
    statement_payout_types: dict[str, str]
    statement_unbooked_types: frozenset[str]

    # --- giving -----------------------------------------------------------------------
    @abc.abstractmethod
    def create_checkout(self, request: CheckoutRequest) -> Checkout: ...

    @abc.abstractmethod
    def fetch_checkout(self, session_id: str) -> CheckoutSnapshot:
        """The session, with its payment or its first invoice (see CheckoutSnapshot)."""

    @abc.abstractmethod
    def fetch_payment(self, payment_intent_id: str = "", *, charge_id: str = "") -> PaymentSnapshot:
        """The payment (by its id, or by one of its charges) with its charge, balance
        transaction, refunds and disputes."""

    @abc.abstractmethod
    def fetch_invoice(self, invoice_id: str) -> InvoiceSnapshot:
        """The invoice, with its payment and its subscription's metadata."""

    @abc.abstractmethod
    def fetch_subscription(self, subscription_id: str) -> SubscriptionSnapshot: ...

    @abc.abstractmethod
    def cancel_subscription(self, subscription_id: str) -> SubscriptionSnapshot: ...

    @abc.abstractmethod
    def refund(
        self, *, payment_intent_id: str, amount: Money, idempotency_key: str, reference: str
    ) -> RefundSnapshot: ...

    # --- money rules ------------------------------------------------------------------
    @abc.abstractmethod
    def allowed_decimals(self, currency: str) -> int:
        """How many decimals a chargeable amount in `currency` may have."""

    @abc.abstractmethod
    def minimum_charge(self, currency: str) -> Decimal | None:
        """The smallest amount the provider charges in `currency`, if known."""

    # --- the treasurer's statements ------------------------------------------------------
    @abc.abstractmethod
    def fetch_payout(self, payout_id: str) -> PayoutSnapshot: ...

    @abc.abstractmethod
    def statement_lines(self, *, created_gte: int | None = None) -> Iterator[StatementLine]:
        """Every movement of the balance (from a Unix time on), with the payout carrying it."""

    @abc.abstractmethod
    def statement_payouts(self, *, created_gte: int | None = None) -> Iterator[StatementPayout]:
        """Every payout (from a Unix time on)."""

    @abc.abstractmethod
    def parse_statement_csv(self, data: bytes | str) -> list[StatementLine]:
        """The provider's balance export, as the treasurer downloads it."""

    # --- webhooks ---------------------------------------------------------------------
    @abc.abstractmethod
    def verify_webhook(self, body: bytes, headers: dict[str, str]) -> WebhookEventData:
        """Check the signature on the raw body and parse it; raises SignatureError."""

"""The payment-provider interface: what the giving services need from Stripe (or another).

Providers speak in these plain snapshots, with amounts as `Money`, so nothing outside
`webhooks/providers/` knows a provider's object shapes or its minor units.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from moneyed import Money


class SignatureError(Exception):
    """A webhook's signature is missing, does not match, or is outside the tolerance.

    `reason` is a short code for the counters: missing, malformed, stale, mismatch, not_event.
    """

    def __init__(self, message: str, reason: str = "mismatch") -> None:
        super().__init__(message)
        self.reason = reason


class ProviderError(Exception):
    """The provider refused a request or could not be reached."""


@dataclass(frozen=True)
class CheckoutRequest:
    reference: str  # our donation's id, carried in the session and used for idempotency
    amount: Money
    description: str
    email: str
    success_url: str
    cancel_url: str
    monthly: bool = False
    locale: str = "auto"
    metadata: dict[str, str] = field(default_factory=dict)
    idempotency_key: str = ""


@dataclass(frozen=True)
class Checkout:
    session_id: str
    url: str


@dataclass(frozen=True)
class BalanceTransaction:
    id: str
    gross: Money  # settlement currency
    fee: Money
    net: Money
    exchange_rate: Decimal | None
    created: datetime


@dataclass(frozen=True)
class RefundSnapshot:
    id: str
    amount: Money  # presentment currency
    status: str  # pending / succeeded / failed / canceled / requires_action
    balance_transaction: BalanceTransaction | None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DisputeSnapshot:
    id: str
    amount: Money
    status: str  # warning_needs_response, needs_response, under_review, won, lost, ...
    reason: str
    balance_transactions: tuple[BalanceTransaction, ...] = ()


@dataclass(frozen=True)
class PaymentSnapshot:
    """A payment as the provider knows it now: the authority every handler acts on."""

    payment_intent_id: str
    status: str  # succeeded / processing / requires_payment_method / canceled / ...
    amount: Money  # presentment currency
    charge_id: str = ""
    balance_transaction: BalanceTransaction | None = None
    country: str = ""  # the card's (or billing address's) country
    metadata: dict[str, str] = field(default_factory=dict)
    invoice_id: str = ""
    customer_id: str = ""
    refunds: tuple[RefundSnapshot, ...] = ()
    disputes: tuple[DisputeSnapshot, ...] = ()
    failure_message: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded" and self.balance_transaction is not None


@dataclass(frozen=True)
class CheckoutSnapshot:
    session_id: str
    status: str  # open / complete / expired
    payment_status: str  # paid / unpaid / no_payment_required
    mode: str  # payment / subscription
    reference: str  # client_reference_id: our donation's id
    payment_intent_id: str = ""
    subscription_id: str = ""
    customer_id: str = ""
    invoice_id: str = ""
    amount_total: Money | None = None


@dataclass(frozen=True)
class InvoiceSnapshot:
    id: str
    status: str  # draft / open / paid / uncollectible / void
    subscription_id: str
    billing_reason: str
    amount_paid: Money
    payment_intent_id: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SubscriptionSnapshot:
    id: str
    status: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PayoutSnapshot:
    id: str
    status: str  # paid / failed / pending / in_transit / canceled
    amount: Money
    arrival_date: datetime
    balance_transaction_id: str = ""
    failure_message: str = ""


@dataclass(frozen=True)
class WebhookEventData:
    """A verified webhook: its id, type, the object it is about, and the raw payload."""

    id: str
    type: str
    object_id: str
    object_type: str
    created: datetime | None
    livemode: bool
    payload: dict[str, Any]


class PaymentProvider(abc.ABC):
    name: str

    @abc.abstractmethod
    def create_checkout(self, request: CheckoutRequest) -> Checkout: ...

    @abc.abstractmethod
    def fetch_checkout(self, session_id: str) -> CheckoutSnapshot: ...

    @abc.abstractmethod
    def fetch_payment(self, payment_intent_id: str) -> PaymentSnapshot:
        """The payment with its charge, balance transaction, refunds and disputes."""

    @abc.abstractmethod
    def payment_for_charge(self, charge_id: str) -> str:
        """The payment intent id a charge belongs to."""

    @abc.abstractmethod
    def fetch_invoice(self, invoice_id: str) -> InvoiceSnapshot: ...

    @abc.abstractmethod
    def fetch_subscription(self, subscription_id: str) -> SubscriptionSnapshot: ...

    @abc.abstractmethod
    def cancel_subscription(self, subscription_id: str) -> SubscriptionSnapshot: ...

    @abc.abstractmethod
    def fetch_payout(self, payout_id: str) -> PayoutSnapshot: ...

    @abc.abstractmethod
    def refund(
        self, *, payment_intent_id: str, amount: Money, idempotency_key: str, reference: str
    ) -> RefundSnapshot: ...

    @abc.abstractmethod
    def verify_webhook(self, body: bytes, headers: dict[str, str]) -> WebhookEventData:
        """Check the signature on the raw body and parse it; raises SignatureError."""

"""The provider-neutral values every payment provider hands the rest of the service.

A provider (`payments/<name>/`) turns its own objects into these snapshots, with amounts as
`Money` in major units, so nothing outside `payments/` knows a provider's object shapes or
its minor units. `payments.base.PaymentProvider` is the interface that returns them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
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
    reference: str  # our donation's reference (a UUID), carried in the session
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
    """Money moving in the provider's balance: a payment settling, a refund or a dispute
    leaving it. `gross`, `fee` and `net` are in the settlement currency; `exchange_rate` is
    the provider's rate from the donor's currency, when it converted."""

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
class InvoiceSnapshot:
    """An invoice of a subscription, with its payment and the subscription's metadata (which
    names the gift that started it), all fetched together."""

    id: str
    status: str  # draft / open / paid / uncollectible / void
    subscription_id: str
    billing_reason: str
    amount_paid: Money
    payment_intent_id: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    subscription_metadata: dict[str, str] = field(default_factory=dict)
    payment: PaymentSnapshot | None = None


@dataclass(frozen=True)
class CheckoutSnapshot:
    """A checkout session with what it led to, fetched together: its payment (a one-time
    gift) or its first invoice and that invoice's payment (a monthly gift)."""

    session_id: str
    status: str  # open / complete / expired
    payment_status: str  # paid / unpaid / no_payment_required
    mode: str  # payment / subscription
    reference: str  # client_reference_id: our donation's reference (a UUID)
    payment_intent_id: str = ""
    subscription_id: str = ""
    customer_id: str = ""
    invoice_id: str = ""
    amount_total: Money | None = None
    payment: PaymentSnapshot | None = None
    invoice: InvoiceSnapshot | None = None


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


@dataclass(frozen=True)
class StatementLine:
    """One movement of the provider's balance as its statement lists it (for reconciliation):
    major units, an upper-case ISO currency, UTC times."""

    provider_id: str
    type: str
    source_id: str
    amount: Decimal
    fee: Decimal
    net: Decimal
    currency: str
    created: datetime
    available_on: datetime | None
    description: str = ""
    payout_id: str = ""
    exchange_rate: Decimal | None = None
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class StatementPayout:
    """A payout of the provider's balance to the secretariat's bank, as the provider lists it."""

    provider_id: str
    amount: Decimal
    currency: str
    arrival_date: date
    status: str
    balance_transaction_id: str
    created: datetime
    raw: dict = field(default_factory=dict, compare=False)

"""The Stripe implementation of PaymentProvider, on the official library's StripeClient.

`STRIPE_API_BASE` points the client at the offline sandbox in development and tests.
Every amount goes through `stripe_amounts`; every object is re-read from the API before the
services act on it, so a webhook's payload is only ever a hint of what to fetch.
"""

from __future__ import annotations

import hmac
import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from hashlib import sha256
from typing import Any

import stripe
from django.conf import settings
from moneyed import Money

from webhooks.providers import stripe_amounts
from webhooks.providers.base import (
    BalanceTransaction,
    Checkout,
    CheckoutRequest,
    CheckoutSnapshot,
    DisputeSnapshot,
    InvoiceSnapshot,
    PaymentProvider,
    PaymentSnapshot,
    PayoutSnapshot,
    ProviderError,
    RefundSnapshot,
    SignatureError,
    SubscriptionSnapshot,
    WebhookEventData,
)
from webhooks.providers.stripe_amounts import Purpose

TOLERANCE_SECONDS = 300


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if obj is None:
        return default
    try:
        value = obj[key]
    except (KeyError, TypeError, AttributeError):
        return default
    return default if value is None else value


def _id(obj: Any) -> str:
    """An expandable field: either the id string or the expanded object."""
    if obj is None:
        return ""
    return obj if isinstance(obj, str) else str(_get(obj, "id", ""))


def _ts(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value or 0), tz=UTC)


def _money(amount: Any, currency: Any, purpose: Purpose = Purpose.CHARGE):
    """Money from Stripe's minor units. An amount without its currency is refused: guessing
    one (USD, say) would book a gift in IDR as dollars."""
    if not currency or not str(currency).strip():
        raise ProviderError(f"Stripe sent an amount ({amount!r}) without its currency")
    return stripe_amounts.from_minor(int(amount or 0), str(currency), purpose)


def balance_transaction(obj: Any) -> BalanceTransaction | None:
    if not obj or isinstance(obj, str):
        return None
    currency = _get(obj, "currency")
    rate = _get(obj, "exchange_rate")
    return BalanceTransaction(
        id=_get(obj, "id"),
        gross=_money(_get(obj, "amount", 0), currency),
        fee=_money(_get(obj, "fee", 0), currency),
        net=_money(_get(obj, "net", 0), currency),
        exchange_rate=Decimal(str(rate)) if rate is not None else None,
        created=_ts(_get(obj, "created")),
    )


def _metadata(obj: Any) -> dict[str, str]:
    meta = _get(obj, "metadata") or {}
    if hasattr(meta, "to_dict"):
        meta = meta.to_dict()
    return {str(k): str(v) for k, v in dict(meta).items()}


class StripeProvider(PaymentProvider):
    name = "stripe"

    def __init__(self, *, secret_key: str, webhook_secrets: list[str], api_base: str) -> None:
        self.client = stripe.StripeClient(
            secret_key, base_addresses={"api": api_base}, max_network_retries=2
        )
        self.webhook_secrets = [s for s in webhook_secrets if s]

    @classmethod
    def from_settings(cls) -> StripeProvider:
        return cls(
            secret_key=settings.STRIPE_SECRET_KEY,
            webhook_secrets=list(settings.STRIPE_WEBHOOK_SECRET),
            api_base=settings.STRIPE_API_BASE,
        )

    # --- checkout ---------------------------------------------------------------------
    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        currency = str(request.amount.currency).lower()
        price_data: dict[str, Any] = {
            "currency": currency,
            "unit_amount": stripe_amounts.to_minor(request.amount),
            "product_data": {"name": request.description[:250]},
        }
        metadata = {"donation_id": request.reference, **request.metadata}
        params: dict[str, Any] = {
            "mode": "subscription" if request.monthly else "payment",
            "client_reference_id": request.reference,
            "customer_email": request.email,
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "locale": request.locale,
            "metadata": metadata,
        }
        if request.monthly:
            price_data["recurring"] = {"interval": "month"}
            params["subscription_data"] = {"metadata": metadata}
        else:
            params["payment_intent_data"] = {"metadata": metadata}
        params["line_items"] = [{"quantity": 1, "price_data": price_data}]
        session = self._call(
            self.client.v1.checkout.sessions.create,
            params,
            options={"idempotency_key": request.idempotency_key or request.reference},
        )
        return Checkout(session_id=session.id, url=session.url)

    def fetch_checkout(self, session_id: str) -> CheckoutSnapshot:
        s = self._call(self.client.v1.checkout.sessions.retrieve, session_id)
        total = _get(s, "amount_total")
        return CheckoutSnapshot(
            session_id=s.id,
            status=_get(s, "status", ""),
            payment_status=_get(s, "payment_status", ""),
            mode=_get(s, "mode", "payment"),
            reference=_get(s, "client_reference_id", "") or _metadata(s).get("donation_id", ""),
            payment_intent_id=_id(_get(s, "payment_intent")),
            subscription_id=_id(_get(s, "subscription")),
            customer_id=_id(_get(s, "customer")),
            invoice_id=_id(_get(s, "invoice")),
            amount_total=_money(total, _get(s, "currency")) if total is not None else None,
        )

    # --- payments ---------------------------------------------------------------------
    def fetch_payment(self, payment_intent_id: str) -> PaymentSnapshot:
        pi = self._call(
            self.client.v1.payment_intents.retrieve,
            payment_intent_id,
            {"expand": ["latest_charge.balance_transaction"]},
        )
        charge = _get(pi, "latest_charge")
        if isinstance(charge, str):
            charge = self._call(
                self.client.v1.charges.retrieve, charge, {"expand": ["balance_transaction"]}
            )
        refunds = self._list(
            self.client.v1.refunds.list,
            {"payment_intent": payment_intent_id, "expand": ["data.balance_transaction"]},
        )
        disputes = self._list(self.client.v1.disputes.list, {"payment_intent": payment_intent_id})
        billing = _get(_get(charge, "billing_details"), "address")
        card = _get(_get(charge, "payment_method_details"), "card")
        error = _get(pi, "last_payment_error")
        return PaymentSnapshot(
            payment_intent_id=pi.id,
            status=_get(pi, "status", ""),
            amount=_money(_get(pi, "amount"), _get(pi, "currency")),
            charge_id=_id(charge),
            balance_transaction=balance_transaction(_get(charge, "balance_transaction")),
            country=str(_get(card, "country", "") or _get(billing, "country", "")).upper(),
            metadata=_metadata(pi),
            invoice_id=_id(_get(pi, "invoice")),
            customer_id=_id(_get(pi, "customer")),
            refunds=tuple(self._refund(r) for r in refunds),
            disputes=tuple(self._dispute(d) for d in disputes),
            failure_message=str(_get(error, "message", "")),
        )

    def payment_for_charge(self, charge_id: str) -> str:
        return _id(_get(self._call(self.client.v1.charges.retrieve, charge_id), "payment_intent"))

    def refund(
        self, *, payment_intent_id: str, amount: Money, idempotency_key: str, reference: str
    ) -> RefundSnapshot:
        refund = self._call(
            self.client.v1.refunds.create,
            {
                "payment_intent": payment_intent_id,
                "amount": stripe_amounts.to_minor(amount),
                "metadata": {"refund_id": reference},
                "expand": ["balance_transaction"],
            },
            options={"idempotency_key": idempotency_key},
        )
        return self._refund(refund)

    def _refund(self, r: Any) -> RefundSnapshot:
        return RefundSnapshot(
            id=r.id if hasattr(r, "id") else _get(r, "id"),
            amount=_money(_get(r, "amount"), _get(r, "currency")),
            status=_get(r, "status", ""),
            balance_transaction=balance_transaction(_get(r, "balance_transaction")),
            metadata=_metadata(r),
        )

    def _dispute(self, d: Any) -> DisputeSnapshot:
        txns = _get(d, "balance_transactions") or []
        return DisputeSnapshot(
            id=_get(d, "id"),
            amount=_money(_get(d, "amount"), _get(d, "currency")),
            status=_get(d, "status", ""),
            reason=_get(d, "reason", ""),
            balance_transactions=tuple(bt for t in txns if (bt := balance_transaction(t))),
        )

    # --- subscriptions, invoices, payouts -----------------------------------------------
    def fetch_invoice(self, invoice_id: str) -> InvoiceSnapshot:
        inv = self._call(self.client.v1.invoices.retrieve, invoice_id)
        pi = _id(_get(inv, "payment_intent"))
        if not pi:  # API versions from 2025 on list the invoice's payments instead
            for payment in _get(_get(inv, "payments"), "data", []) or []:
                pi = _id(_get(_get(payment, "payment"), "payment_intent"))
                if pi:
                    break
        sub = _get(inv, "subscription") or _get(
            _get(_get(inv, "parent"), "subscription_details"), "subscription"
        )
        return InvoiceSnapshot(
            id=inv.id,
            status=_get(inv, "status", ""),
            subscription_id=_id(sub),
            billing_reason=_get(inv, "billing_reason", ""),
            amount_paid=_money(_get(inv, "amount_paid"), _get(inv, "currency")),
            payment_intent_id=pi,
            metadata=_metadata(inv),
        )

    def fetch_subscription(self, subscription_id: str) -> SubscriptionSnapshot:
        sub = self._call(self.client.v1.subscriptions.retrieve, subscription_id)
        return SubscriptionSnapshot(id=sub.id, status=_get(sub, "status", ""),
                                    metadata=_metadata(sub))  # fmt: skip

    def cancel_subscription(self, subscription_id: str) -> SubscriptionSnapshot:
        sub = self._call(self.client.v1.subscriptions.cancel, subscription_id)
        return SubscriptionSnapshot(id=sub.id, status=_get(sub, "status", ""),
                                    metadata=_metadata(sub))  # fmt: skip

    def fetch_payout(self, payout_id: str) -> PayoutSnapshot:
        p = self._call(self.client.v1.payouts.retrieve, payout_id)
        return PayoutSnapshot(
            id=p.id,
            status=_get(p, "status", ""),
            amount=_money(_get(p, "amount"), _get(p, "currency"), Purpose.PAYOUT),
            arrival_date=_ts(_get(p, "arrival_date")),
            balance_transaction_id=_id(_get(p, "balance_transaction")),
            failure_message=_get(p, "failure_message", ""),
        )

    # --- webhooks ---------------------------------------------------------------------
    def verify_webhook(self, body: bytes, headers: dict[str, str]) -> WebhookEventData:
        header = headers.get("stripe-signature") or headers.get("Stripe-Signature") or ""
        verify_signature(body, header, self.webhook_secrets)
        try:
            payload = json.loads(body)
            obj = payload["data"]["object"]
            return WebhookEventData(
                id=str(payload["id"]),
                type=str(payload["type"]),
                object_id=str(obj.get("id", "")),
                object_type=str(obj.get("object", "")),
                created=_ts(payload["created"]) if payload.get("created") else None,
                livemode=bool(payload.get("livemode", False)),
                payload=payload,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SignatureError(f"signed body is not a Stripe event: {exc}", "not_event") from exc

    # --- plumbing ---------------------------------------------------------------------
    def _call(self, method, *args, options: dict | None = None):
        try:
            if options is not None:
                return method(*args, options=options)
            return method(*args)
        except stripe.StripeError as exc:
            raise ProviderError(str(exc)) from exc

    def _list(self, method, params: dict) -> list:
        page = self._call(method, {**params, "limit": 100})
        return list(_get(page, "data", []) or [])


def verify_signature(body: bytes, header: str, secrets: list[str], now: float | None = None):
    """Stripe's scheme: `t=<unix>,v1=<hex hmac-sha256 of "t.body">`, any of the secrets.

    Timestamps more than TOLERANCE_SECONDS away from now, in either direction, are refused.
    """
    if not header:
        raise SignatureError("missing Stripe-Signature header", "missing")
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k.strip() == "t"]
    signatures = [v.strip() for k, v in parts if k.strip() == "v1"]
    if not stamps or not signatures or not stamps[0].strip().isdigit():
        raise SignatureError("malformed Stripe-Signature header", "malformed")
    timestamp = int(stamps[0])
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise SignatureError("timestamp outside the tolerance zone", "stale")
    signed = f"{timestamp}.".encode() + body
    for secret in secrets:
        expected = hmac.new(secret.encode(), signed, sha256).hexdigest()
        if any(hmac.compare_digest(expected, s) for s in signatures):
            return
    raise SignatureError("no signature matches the endpoint secret")


def sign_payload(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header for a body (used by tools that replay signed payloads)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, sha256).hexdigest()
    return f"t={timestamp},v1={digest}"

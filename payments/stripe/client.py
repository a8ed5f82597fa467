"""The Stripe implementation of PaymentProvider, on the official library's StripeClient.

`STRIPE_API_BASE` points the client at the offline sandbox in development and tests.
Every amount goes through `amounts`; every object is re-read from the API before the
services act on it, so a webhook's payload is only ever a hint of what to fetch.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings
from moneyed import Money

from common import parsers
from payments.base import PaymentProvider
from payments.stripe import amounts, objects
from payments.stripe.objects import get, metadata, money, object_id, timestamp
from payments.stripe.signatures import verify_signature
from payments.stripe.statements import StatementReader, parse_export
from payments.types import (
    Checkout,
    CheckoutRequest,
    CheckoutSnapshot,
    InvoiceSnapshot,
    PaymentSnapshot,
    PayoutSnapshot,
    ProviderError,
    RefundSnapshot,
    SignatureError,
    StatementLine,
    StatementPayout,
    SubscriptionSnapshot,
    WebhookEventData,
)


class StripeProvider(PaymentProvider):
    name = "stripe"
    label = "Stripe"
    # Balance transaction types that move money out to the bank, and those the ledger books
    # no entry for by design (the treasurer explains them in reconciliation).
    statement_payout_types = {"payout": "paid", "payout_failure": "failed"}
    statement_unbooked_types = frozenset({"payout_cancel", "transfer", "stripe_fee_tax"})

    def __init__(
        self, *, secret_key: str, webhook_secrets: list[str], api_base: str,
        settlement_currency: str = "MYR",
    ) -> None:  # fmt: skip
        self.client = stripe.StripeClient(
            secret_key, base_addresses={"api": api_base}, max_network_retries=2
        )
        self.webhook_secrets = [s for s in webhook_secrets if s]
        self.settlement_currency = settlement_currency.upper()
        self.statements = StatementReader(self.client)

    @classmethod
    def from_settings(cls) -> StripeProvider:
        return cls(
            secret_key=settings.STRIPE_SECRET_KEY,
            webhook_secrets=list(settings.STRIPE_WEBHOOK_SECRET),
            api_base=settings.STRIPE_API_BASE,
            settlement_currency=settings.STRIPE_SETTLEMENT_CURRENCY,
        )

    # --- checkout ---------------------------------------------------------------------
    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        currency = str(request.amount.currency).lower()
        price_data: dict[str, Any] = {
            "currency": currency,
            "unit_amount": amounts.to_minor(request.amount),
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
        total = get(s, "amount_total")
        payment_intent_id = object_id(get(s, "payment_intent"))
        invoice_id = object_id(get(s, "invoice"))
        complete = get(s, "status", "") == "complete"
        return CheckoutSnapshot(
            session_id=s.id,
            status=get(s, "status", ""),
            payment_status=get(s, "payment_status", ""),
            mode=get(s, "mode", "payment"),
            reference=get(s, "client_reference_id", "") or metadata(s).get("donation_id", ""),
            payment_intent_id=payment_intent_id,
            subscription_id=object_id(get(s, "subscription")),
            customer_id=object_id(get(s, "customer")),
            invoice_id=invoice_id,
            amount_total=money(total, get(s, "currency")) if total is not None else None,
            payment=self.fetch_payment(payment_intent_id) if complete and payment_intent_id
            else None,
            invoice=self.fetch_invoice(invoice_id) if complete and invoice_id else None,
        )  # fmt: skip

    # --- payments ---------------------------------------------------------------------
    def fetch_payment(self, payment_intent_id: str = "", *, charge_id: str = "") -> PaymentSnapshot:
        if not payment_intent_id:
            charge = self._call(self.client.v1.charges.retrieve, charge_id)
            payment_intent_id = object_id(get(charge, "payment_intent"))
        pi = self._call(
            self.client.v1.payment_intents.retrieve,
            payment_intent_id,
            {"expand": ["latest_charge.balance_transaction"]},
        )
        charge = get(pi, "latest_charge")
        if isinstance(charge, str):
            charge = self._call(
                self.client.v1.charges.retrieve, charge, {"expand": ["balance_transaction"]}
            )
        refunds = self._list(
            self.client.v1.refunds.list,
            {"payment_intent": payment_intent_id, "expand": ["data.balance_transaction"]},
        )
        disputes = self._list(self.client.v1.disputes.list, {"payment_intent": payment_intent_id})
        billing = get(get(charge, "billing_details"), "address")
        card = get(get(charge, "payment_method_details"), "card")
        error = get(pi, "last_payment_error")
        return PaymentSnapshot(
            payment_intent_id=pi.id,
            status=get(pi, "status", ""),
            amount=money(get(pi, "amount"), get(pi, "currency")),
            charge_id=object_id(charge),
            balance_transaction=objects.balance_transaction(get(charge, "balance_transaction")),
            country=str(get(card, "country", "") or get(billing, "country", "")).upper(),
            metadata=metadata(pi),
            invoice_id=object_id(get(pi, "invoice")),
            customer_id=object_id(get(pi, "customer")),
            refunds=tuple(objects.refund(r) for r in refunds),
            disputes=tuple(objects.dispute(d) for d in disputes),
            failure_message=str(get(error, "message", "")),
        )

    def refund(
        self, *, payment_intent_id: str, amount: Money, idempotency_key: str, reference: str
    ) -> RefundSnapshot:
        refund = self._call(
            self.client.v1.refunds.create,
            {
                "payment_intent": payment_intent_id,
                "amount": amounts.to_minor(amount),
                "metadata": {"refund_id": reference},
                "expand": ["balance_transaction"],
            },
            options={"idempotency_key": idempotency_key},
        )
        return objects.refund(refund)

    # --- subscriptions, invoices, payouts -----------------------------------------------
    def fetch_invoice(self, invoice_id: str) -> InvoiceSnapshot:
        inv = self._call(self.client.v1.invoices.retrieve, invoice_id)
        pi = object_id(get(inv, "payment_intent"))
        if not pi:  # API versions from 2025 on list the invoice's payments instead
            for payment in get(get(inv, "payments"), "data", []) or []:
                pi = object_id(get(get(payment, "payment"), "payment_intent"))
                if pi:
                    break
        details = get(get(inv, "parent"), "subscription_details") or get(
            inv, "subscription_details"
        )
        subscription_id = object_id(get(inv, "subscription") or get(details, "subscription"))
        sub_metadata = metadata(details)
        if not sub_metadata and subscription_id:  # older shapes carry no subscription details
            sub_metadata = self.fetch_subscription(subscription_id).metadata
        return InvoiceSnapshot(
            id=inv.id,
            status=get(inv, "status", ""),
            subscription_id=subscription_id,
            billing_reason=get(inv, "billing_reason", ""),
            amount_paid=money(get(inv, "amount_paid"), get(inv, "currency")),
            payment_intent_id=pi,
            metadata=metadata(inv),
            subscription_metadata=sub_metadata,
            payment=self.fetch_payment(pi) if pi else None,
        )

    def fetch_subscription(self, subscription_id: str) -> SubscriptionSnapshot:
        subscription = self._call(self.client.v1.subscriptions.retrieve, subscription_id)
        return objects.subscription(subscription)

    def cancel_subscription(self, subscription_id: str) -> SubscriptionSnapshot:
        subscription = self._call(self.client.v1.subscriptions.cancel, subscription_id)
        return objects.subscription(subscription)

    def fetch_payout(self, payout_id: str) -> PayoutSnapshot:
        payout = self._call(self.client.v1.payouts.retrieve, payout_id)
        return objects.payout(payout)

    # --- money rules and statements --------------------------------------------------
    def allowed_decimals(self, currency: str) -> int:
        return amounts.allowed_decimals(currency)

    def minimum_charge(self, currency: str) -> Decimal | None:
        return amounts.minimum_charge(currency)

    def statement_lines(self, *, created_gte: int | None = None) -> Iterator[StatementLine]:
        return self.statements.lines_with_payouts(created_gte=created_gte)

    def statement_payouts(self, *, created_gte: int | None = None) -> Iterator[StatementPayout]:
        return self.statements.payouts(created_gte=created_gte)

    def parse_statement_csv(self, data: bytes | str) -> list[StatementLine]:
        return parse_export(data)

    # --- webhooks ---------------------------------------------------------------------
    def verify_webhook(self, body: bytes, headers: dict[str, str]) -> WebhookEventData:
        header = headers.get("stripe-signature") or headers.get("Stripe-Signature") or ""
        verify_signature(body, header, self.webhook_secrets)
        try:
            payload = parsers.loads(body)  # a ValueError when nested too deeply
            obj = payload["data"]["object"]
            return WebhookEventData(
                id=str(payload["id"]),
                type=str(payload["type"]),
                object_id=str(obj.get("id", "")),
                object_type=str(obj.get("object", "")),
                created=timestamp(payload["created"]) if payload.get("created") else None,
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
        return list(get(page, "data", []) or [])

"""The shapes of customers, subscriptions and invoices, following Stripe's examples."""

from __future__ import annotations

from typing import Any

from sandbox.cards import DECLINE_CARD
from sandbox.state import Store

DECLINE = DECLINE_CARD
_NULL_ADDRESS = dict.fromkeys(("city", "country", "line1", "line2", "postal_code", "state"))


def customer(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": store.new_id("cus_", 14),
        "object": "customer",
        "address": params.get("address") or None,
        "balance": 0,
        "created": store.now(),
        "currency": params.get("currency"),
        "default_source": None,
        "delinquent": False,
        "description": params.get("description"),
        "discount": None,
        "email": params.get("email"),
        "invoice_prefix": store.new_id("", 8).upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": dict(params.get("metadata") or {}),
        "name": params.get("name"),
        "next_invoice_sequence": 1,
        "phone": params.get("phone"),
        "preferred_locales": list(params.get("preferred_locales") or []),
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def price(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    recurring = data.get("recurring") or {}
    return {
        "id": store.new_id("price_"),
        "object": "price",
        "active": False,
        "billing_scheme": "per_unit",
        "created": store.now(),
        "currency": data["currency"],
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": data.get("name") or "Donation",
        "product": store.new_id("prod_", 14),
        "recurring": {
            "interval": recurring.get("interval", "month"),
            "interval_count": int(recurring.get("interval_count") or 1),
            "meter": None,
            "usage_type": "licensed",
            "trial_period_days": None,
        }
        if recurring
        else None,
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring" if recurring else "one_time",
        "unit_amount": int(data["unit_amount"]),
        "unit_amount_decimal": str(data["unit_amount"]),
    }


def subscription(
    store: Store,
    cus: dict[str, Any],
    price_data: dict[str, Any],
    metadata: dict[str, str],
    start: int,
    end: int,
) -> dict[str, Any]:
    sub_id = store.new_id("sub_")
    item = {
        "id": store.new_id("si_", 14),
        "object": "subscription_item",
        "billing_thresholds": None,
        "created": start,
        "current_period_end": end,
        "current_period_start": start,
        "discounts": [],
        "metadata": {},
        "price": price(store, price_data),
        "quantity": int(price_data.get("_quantity") or 1),
        "subscription": sub_id,
        "tax_rates": [],
    }
    return {
        "id": sub_id,
        "object": "subscription",
        "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": start,
        "billing_cycle_anchor_config": None,
        "billing_mode": {"type": "flexible", "flexible": {"proration_discounts": "included"}},
        "billing_schedules": [],
        "billing_thresholds": None,
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically",
        "created": start,
        "currency": price_data["currency"],
        "customer": cus["id"],
        "customer_account": None,
        "days_until_due": None,
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "ended_at": None,
        "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
        "items": {
            "object": "list",
            "data": [item],
            "has_more": False,
            "url": f"/v1/subscription_items?subscription={sub_id}",
        },
        "latest_invoice": None,
        "livemode": False,
        "managed_payments": {"enabled": False},
        "metadata": metadata,
        "next_pending_invoice_item_invoice": None,
        "on_behalf_of": None,
        "pause_collection": None,
        "payment_settings": {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "off",
        },
        "pending_invoice_item_interval": None,
        "pending_setup_intent": None,
        "pending_update": None,
        "schedule": None,
        "start_date": start,
        "status": "active",
        "test_clock": None,
        "transfer_data": None,
        "trial_end": None,
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": None,
    }


def _line(store: Store, invoice_id: str, sub: dict[str, Any]) -> dict[str, Any]:
    item = sub["items"]["data"][0]
    amount = item["price"]["unit_amount"] * item["quantity"]
    return {
        "id": store.new_id("il_"),
        "object": "line_item",
        "amount": amount,
        "currency": sub["currency"],
        "description": f"{item['quantity']} × {item['price']['nickname']} (per month)",
        "discount_amounts": [],
        "discountable": True,
        "discounts": [],
        "invoice": invoice_id,
        "livemode": False,
        "metadata": dict(sub["metadata"]),
        "parent": {
            "invoice_item_details": None,
            "subscription_item_details": {
                "invoice_item": None,
                "proration": False,
                "proration_details": {"credited_items": None},
                "subscription": sub["id"],
                "subscription_item": item["id"],
            },
            "type": "subscription_item_details",
        },
        "period": {"end": item["current_period_end"], "start": item["current_period_start"]},
        "pretax_credit_amounts": [],
        "pricing": {
            "price_details": {"price": item["price"]["id"], "product": item["price"]["product"]},
            "type": "price_details",
            "unit_amount_decimal": item["price"]["unit_amount_decimal"],
        },
        "quantity": item["quantity"],
        "quantity_decimal": str(item["quantity"]),
        "subscription": sub["id"],
        "subtotal": amount,
        "taxes": [],
    }


def invoice(store: Store, sub: dict[str, Any], reason: str) -> dict[str, Any]:
    cus = store.get(sub["customer"], "customer")
    invoice_id = store.new_id("in_")
    line = _line(store, invoice_id, sub)
    now, amount = store.now(), line["amount"]
    details = {"metadata": dict(sub["metadata"]), "subscription": sub["id"]}
    return {
        "id": invoice_id,
        "object": "invoice",
        "account_country": "MY",
        "account_name": "Gotong Sandbox",
        "account_tax_ids": None,
        "amount_due": amount,
        "amount_overpaid": 0,
        "amount_paid": 0,
        "amount_remaining": amount,
        "amount_shipping": 0,
        "application": None,
        "attempt_count": 0,
        "attempted": False,
        "auto_advance": True,
        "automatic_tax": {
            "disabled_reason": None,
            "enabled": False,
            "liability": None,
            "provider": None,
            "status": None,
        },
        "automatically_finalizes_at": None,
        "billing_reason": reason,
        "charge": None,
        "collection_method": "charge_automatically",
        "created": now,
        "currency": sub["currency"],
        "custom_fields": None,
        "customer": cus["id"],
        "customer_account": None,
        "customer_address": cus["address"],
        "customer_email": cus["email"],
        "customer_name": cus["name"],
        "customer_phone": cus["phone"],
        "customer_shipping": None,
        "customer_tax_exempt": "none",
        "customer_tax_ids": [],
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "due_date": None,
        "effective_at": None,
        "ending_balance": 0,
        "footer": None,
        "from_invoice": None,
        "hosted_invoice_url": f"{store.base_url}/invoices/{invoice_id}",
        "invoice_pdf": None,
        "issuer": {"type": "self"},
        "last_finalization_error": None,
        "latest_revision": None,
        "lines": {
            "object": "list",
            "data": [line],
            "has_more": False,
            "url": f"/v1/invoices/{invoice_id}/lines",
        },
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None,
        "number": None,
        "on_behalf_of": None,
        "parent": {
            "quote_details": None,
            "subscription_details": details,
            "type": "subscription_details",
        },
        "payment_intent": None,
        "payment_settings": {
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        },
        "payments": {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/invoice_payments?invoice={invoice_id}",
        },
        "period_end": line["period"]["end"],
        "period_start": line["period"]["start"],
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "receipt_number": None,
        "rendering": None,
        "shipping_cost": None,
        "shipping_details": None,
        "starting_balance": 0,
        "statement_descriptor": None,
        "status": "draft",
        "status_transitions": {
            "finalized_at": None,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        "subscription": sub["id"],
        "subscription_details": dict(details),
        "subtotal": amount,
        "subtotal_excluding_tax": amount,
        "test_clock": None,
        "total": amount,
        "total_discount_amounts": [],
        "total_excluding_tax": amount,
        "total_pretax_credit_amounts": [],
        "total_taxes": [],
        "webhooks_delivered_at": now,
    }


def invoice_payment(store: Store, inv: dict[str, Any], pi: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": store.new_id("inpay_"),
        "object": "invoice_payment",
        "amount_paid": inv["amount_paid"],
        "amount_requested": inv["amount_due"],
        "created": store.now(),
        "currency": inv["currency"],
        "invoice": inv["id"],
        "is_default": True,
        "livemode": False,
        "payment": {"payment_intent": pi["id"], "type": "payment_intent"},
        "status": "paid",
        "status_transitions": {"canceled_at": None, "paid_at": store.now()},
    }

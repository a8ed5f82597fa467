"""The shape of a Checkout Session, following Stripe's example object."""

from __future__ import annotations

from typing import Any

from sandbox.forms import as_metadata
from sandbox.state import Store

_NULL_ADDRESS = dict.fromkeys(("city", "country", "line1", "line2", "postal_code", "state"))


def session_shape(
    store: Store,
    params: dict[str, Any],
    mode: str,
    items: list[dict[str, Any]],
    amount: int,
    base_url: str,
) -> dict[str, Any]:
    session_id = store.new_id("cs_test_", 58)
    now = store.now()
    return {
        "id": session_id,
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": False},
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": amount,
        "amount_total": amount,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": params.get("billing_address_collection"),
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"),
        "client_secret": None,
        "collected_information": None,
        "consent": None,
        "consent_collection": None,
        "created": now,
        "currency": items[0]["currency"],
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": params.get("customer"),
        "customer_account": None,
        "customer_creation": "if_required" if mode == "payment" else None,
        "customer_details": {
            "address": dict(_NULL_ADDRESS),
            "business_name": None,
            "email": params.get("customer_email"),
            "individual_name": None,
            "name": None,
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
        "customer_email": params.get("customer_email"),
        "discounts": [],
        "expires_at": now + store.config.session_lifetime,
        "integration_identifier": None,
        "invoice": None,
        "invoice_creation": {
            "enabled": False,
            "invoice_data": {
                "account_tax_ids": None,
                "custom_fields": None,
                "description": None,
                "footer": None,
                "issuer": None,
                "metadata": {},
                "rendering_options": None,
            },
        }
        if mode == "payment"
        else None,
        "livemode": False,
        "locale": params.get("locale"),
        "managed_payments": {"enabled": False},
        "metadata": as_metadata(params.get("metadata")),
        "mode": mode,
        "origin_context": None,
        "payment_intent": None,
        "payment_link": None,
        "payment_method_collection": "if_required" if mode == "subscription" else None,
        "payment_method_configuration_details": None,
        "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "permissions": None,
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "status": "open",
        "submit_type": params.get("submit_type"),
        "subscription": None,
        "success_url": params.get("success_url"),
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": f"{base_url}/c/pay/{session_id}",
        "wallet_options": None,
    }


def line_items(store: Store, session: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``/line_items`` sub-list of a session (``item`` objects)."""
    out = []
    for index, item in enumerate(session["_items"]):
        total = item["unit_amount"] * item["quantity"]
        out.append(
            {
                "id": f"li_{session['id'][-20:]}{index}",
                "object": "item",
                "amount_discount": 0,
                "amount_subtotal": total,
                "amount_tax": 0,
                "amount_total": total,
                "currency": item["currency"],
                "description": item["name"],
                "quantity": item["quantity"],
            }
        )
    return out

"""The pages behind a charge's ``receipt_url`` and an invoice's ``hosted_invoice_url``."""

from __future__ import annotations

from html import escape
from typing import Any

from sandbox.checkout_page import Page, amount_text, document
from sandbox.state import Store


def _row(label: str, value: str) -> str:
    return f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"


def _receipt(charge: dict[str, Any]) -> str:
    rows = [
        _row("Amount paid", amount_text(charge["amount"], charge["currency"])),
        _row("Status", charge["status"]),
        _row("Receipt number", charge["receipt_number"] or "-"),
        _row("Card", f"{charge['payment_method_details']['card']['brand']} ····"
             f"{charge['payment_method_details']['card']['last4']}"),
    ]  # fmt: skip
    if charge["amount_refunded"]:
        refunded = amount_text(charge["amount_refunded"], charge["currency"])
        rows.append(_row("Refunded", refunded))
    return f"<h1>Receipt</h1><table>{''.join(rows)}</table>"


def _invoice(invoice: dict[str, Any]) -> str:
    lines = "".join(
        _row(line["description"], amount_text(line["amount"], line["currency"]))
        for line in invoice["lines"]["data"]
    )
    total = _row("Total", amount_text(invoice["total"], invoice["currency"]))
    status = _row("Status", invoice["status"])
    return (
        f"<h1>Invoice {escape(invoice['number'] or '')}</h1><table>{lines}{total}{status}</table>"
    )


def handle(store: Store, path: str) -> Page:
    kind, _, object_id = path.strip("/").partition("/")
    with store.lock:
        obj = store.find(object_id)
        if kind == "receipts" and obj and obj.get("object") == "charge":
            return 200, document("Receipt", _receipt(obj)), None
        if kind == "invoices" and obj and obj.get("object") == "invoice":
            return 200, document("Invoice", _invoice(obj)), None
    return 404, document("Not found", "<h1>Not found</h1>"), None

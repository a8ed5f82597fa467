"""What the passing of time does: funds become available, unpaid sessions expire."""

from __future__ import annotations

from sandbox.objects import balance, checkout
from sandbox.state import Store


def run_due(store: Store) -> None:
    """Apply every timer whose moment the (possibly advanced) clock has reached."""
    for obj in store.due():
        if obj["object"] == "balance_transaction":
            balance.settle(obj)
        elif obj["object"] == "checkout.session":
            checkout.expire_if_open(store, obj)

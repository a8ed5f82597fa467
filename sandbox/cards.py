"""The test card numbers the sandbox understands, and Stripe's test payment-method ids."""

from __future__ import annotations

from enum import Enum

SUCCESS_CARD = "4242424242424242"
DECLINE_CARD = "4000000000000002"
# Not one of Stripe's numbers: Stripe has no asynchronous *card*, so the sandbox lends this
# one the behaviour of a delayed payment method (the charge stays pending until a test
# helper settles or fails it).
ASYNC_CARD = "4000000000001111"


class Outcome(Enum):
    SUCCEED = "succeed"
    DECLINE = "decline"
    ASYNC = "async"


CARDS: dict[str, Outcome] = {
    SUCCESS_CARD: Outcome.SUCCEED,
    "5555555555554444": Outcome.SUCCEED,
    DECLINE_CARD: Outcome.DECLINE,
    ASYNC_CARD: Outcome.ASYNC,
}

PAYMENT_METHODS: dict[str, str] = {
    "pm_card_visa": SUCCESS_CARD,
    "pm_card_mastercard": "5555555555554444",
    "pm_card_chargeDeclined": DECLINE_CARD,
    "pm_card_visa_chargeDeclined": DECLINE_CARD,
    "pm_card_async": ASYNC_CARD,
}

CARD_LIST = [
    (SUCCESS_CARD, "Visa: the payment succeeds"),
    ("5555555555554444", "Mastercard: the payment succeeds"),
    (DECLINE_CARD, "declined (card_declined)"),
    (ASYNC_CARD, "asynchronous: pending until settled or failed by a test helper"),
]


def normalise(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def outcome_of(number: str) -> Outcome | None:
    """The outcome a card number leads to, or None when the sandbox does not know it."""
    return CARDS.get(normalise(number))


def card_for_payment_method(payment_method: str) -> str | None:
    """The card number behind one of Stripe's test payment methods (``pm_card_visa``...)."""
    return PAYMENT_METHODS.get(payment_method)


def brand_of(number: str) -> str:
    return "mastercard" if normalise(number).startswith("5") else "visa"

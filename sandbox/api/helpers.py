"""Test helpers: pay a session, settle, dispute, advance time, change rates, steer webhooks.

None of these exist on Stripe itself (which has its own, different, test helpers); they are
the sandbox's remote control for scripts and tests, all under ``/v1/test_helpers/``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.api import Call, route
from sandbox.errors import invalid_request
from sandbox.forms import as_bool, as_int, as_list
from sandbox.money import PER_USD, FeeRule, fee_rule
from sandbox.objects import balance, billing, checkout, clock, disputes, refunds
from sandbox.objects.events import emit
from sandbox.objects.payments import settle_async


@route("POST", "/v1/test_helpers/checkout/sessions/{id}/complete")
def session_complete(call: Call) -> dict[str, Any]:
    session = call.store.get(call.args[0], "checkout.session")
    card = str(call.params.get("card") or "")
    if not card:
        raise invalid_request("Missing required param: card.", param="card")
    email, name = call.params.get("email"), call.params.get("name")
    return call.render(checkout.complete(call.store, session, card, email=email, name=name))


def _outcome(call: Call) -> bool:
    outcome = call.params.get("outcome")
    if outcome not in {"succeeded", "failed"}:
        raise invalid_request("outcome must be succeeded or failed.", param="outcome")
    return outcome == "succeeded"


@route("POST", "/v1/test_helpers/checkout/sessions/{id}/async_payment")
def session_async_payment(call: Call) -> dict[str, Any]:
    session = call.store.get(call.args[0], "checkout.session")
    return call.render(checkout.settle(call.store, session, succeeded=_outcome(call)))


@route("POST", "/v1/test_helpers/payment_intents/{id}/async_payment")
def payment_intent_async_payment(call: Call) -> dict[str, Any]:
    pi = call.store.get(call.args[0], "payment_intent")
    settle_async(call.store, pi, succeeded=_outcome(call))
    return call.render(pi)


@route("POST", "/v1/test_helpers/charges/{id}/dispute")
def charge_dispute(call: Call) -> dict[str, Any]:
    charge = call.store.get(call.args[0], "charge")
    return call.render(disputes.open_dispute(call.store, charge, call.params.get("reason")))


@route("POST", "/v1/test_helpers/disputes/{id}/win")
def dispute_win(call: Call) -> dict[str, Any]:
    dispute = call.store.get(call.args[0], "dispute")
    return call.render(disputes.close(call.store, dispute, won=True))


@route("POST", "/v1/test_helpers/disputes/{id}/lose")
def dispute_lose(call: Call) -> dict[str, Any]:
    dispute = call.store.get(call.args[0], "dispute")
    return call.render(disputes.close(call.store, dispute, won=False))


@route("POST", "/v1/test_helpers/refunds/{id}/fail")
def refund_fail(call: Call) -> dict[str, Any]:
    return call.render(refunds.fail(call.store, call.store.get(call.args[0], "refund")))


@route("POST", "/v1/test_helpers/subscriptions/{id}/advance")
def subscription_advance(call: Call) -> dict[str, Any]:
    sub = call.store.get(call.args[0], "subscription")
    fail, card = as_bool(call.params, "fail"), call.params.get("card")
    invoice = billing.advance(call.store, sub, fail=fail, card=card)
    return call.render(invoice)


@route("POST", "/v1/test_helpers/payouts/{id}/pay")
def payout_pay(call: Call) -> dict[str, Any]:
    return _finish_payout(call, paid=True)


@route("POST", "/v1/test_helpers/payouts/{id}/fail")
def payout_fail(call: Call) -> dict[str, Any]:
    return _finish_payout(call, paid=False)


def _finish_payout(call: Call, *, paid: bool) -> dict[str, Any]:
    payout = call.store.get(call.args[0], "payout")
    emit(call.store, balance.finish_payout(call.store, payout, paid=paid), payout)
    return call.render(payout)


@route("POST", "/v1/test_helpers/balance/make_available")
def balance_make_available(call: Call) -> dict[str, Any]:
    balance.make_available(call.store)
    return balance.balance(call.store)


@route("POST", "/v1/test_helpers/clock/advance")
def clock_advance(call: Call) -> dict[str, Any]:
    seconds = as_int(call.params, "seconds", required=True) or 0
    if seconds < 0:
        raise invalid_request("The sandbox's clock only moves forward.", param="seconds")
    call.store.clock_offset += seconds
    clock.run_due(call.store)
    return _clock(call)


@route("GET", "/v1/test_helpers/clock")
def clock_retrieve(call: Call) -> dict[str, Any]:
    return _clock(call)


def _clock(call: Call) -> dict[str, Any]:
    return {"object": "sandbox.clock", "now": call.store.now(), "offset": call.store.clock_offset}


@route("POST", "/v1/test_helpers/fx_rates")
def fx_rates_set(call: Call) -> dict[str, Any]:
    rates = call.params.get("rates")
    if not isinstance(rates, dict) or not rates:
        raise invalid_request("Give rates as rates[IDR]=0.000285.", param="rates")
    for currency, value in rates.items():
        try:
            rate = Decimal(str(value))
        except InvalidOperation:
            raise invalid_request(f"Invalid rate: {value}", param=f"rates[{currency}]") from None
        if rate <= 0:
            raise invalid_request("Rates must be positive.", param=f"rates[{currency}]")
        call.store.rates.set(currency, rate)
    return fx_rates_get(call)


@route("GET", "/v1/test_helpers/fx_rates")
def fx_rates_get(call: Call) -> dict[str, Any]:
    rates = call.store.rates
    return {
        "object": "sandbox.fx_rates",
        "settlement_currency": rates.settlement,
        "rates": {c: str(rates.rate(c)) for c in sorted(PER_USD)},
    }


@route("POST", "/v1/test_helpers/fees")
def fees_set(call: Call) -> dict[str, Any]:
    """Change Stripe's fee in a settlement currency: ``percent``, ``fixed``, ``dispute_fee``."""
    currency = str(call.params.get("currency") or call.store.config.settlement_currency).lower()
    current = fee_rule(currency, call.store.config.fees)
    try:
        percent = Decimal(str(call.params.get("percent", current.percent)))
    except InvalidOperation:
        raise invalid_request("Invalid percent.", param="percent") from None
    fixed = as_int(call.params, "fixed")
    dispute_fee = as_int(call.params, "dispute_fee")
    call.store.config.fees[currency] = FeeRule(
        percent,
        current.fixed if fixed is None else fixed,
        current.dispute_fee if dispute_fee is None else dispute_fee,
    )
    return fees_get(call)


@route("GET", "/v1/test_helpers/fees")
def fees_get(call: Call) -> dict[str, Any]:
    currency = str(call.params.get("currency") or call.store.config.settlement_currency).lower()
    rule = fee_rule(currency, call.store.config.fees)
    return {
        "object": "sandbox.fee_rule",
        "currency": currency,
        "percent": str(rule.percent),
        "fixed": rule.fixed,
        "dispute_fee": rule.dispute_fee,
    }


@route("POST", "/v1/test_helpers/webhooks")
def webhooks_configure(call: Call) -> dict[str, Any]:
    params = call.params
    return call.sender.configure(
        duplicates=as_int(params, "duplicates"),
        shuffle=as_bool(params, "shuffle") if "shuffle" in params else None,
        hold=as_bool(params, "hold") if "hold" in params else None,
    )


@route("GET", "/v1/test_helpers/webhooks")
def webhooks_status(call: Call) -> dict[str, Any]:
    with call.sender.cond:
        return call.sender.status()


@route("POST", "/v1/test_helpers/webhooks/release")
def webhooks_release(call: Call) -> dict[str, Any]:
    return call.sender.configure(hold=False)


@route("GET", "/v1/test_helpers/webhooks/deliveries")
def webhooks_deliveries(call: Call) -> dict[str, Any]:
    with call.sender.cond:
        data = list(reversed(call.sender.log))
    if call.params.get("event"):
        data = [d for d in data if d["event"] == call.params["event"]]
    return {"object": "list", "data": data, "has_more": False, "url": call.path}


@route("POST", "/v1/test_helpers/webhook_endpoints")
def webhook_endpoint_with_secret(call: Call) -> dict[str, Any]:
    """Like ``POST /v1/webhook_endpoints``, but the caller chooses the signing secret."""
    endpoint = call.sender.register(
        str(call.params.get("url", "")),
        secret=call.params.get("secret") or None,
        enabled_events=[str(e) for e in as_list(call.params.get("enabled_events"))] or None,
    )
    return endpoint.as_stripe(with_secret=True)

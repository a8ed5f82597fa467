"""The hosted test checkout page at a session's ``url``: plain HTML, no JavaScript needed."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import parse_qs

from sandbox.cards import CARD_LIST, SUCCESS_CARD
from sandbox.errors import StripeError
from sandbox.money import exponent, to_major
from sandbox.objects import checkout, clock
from sandbox.state import RequestContext, Store
from sandbox.webhooks import WebhookSender

_STYLE = """
body{font-family:system-ui,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0}
main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;
box-shadow:0 2px 8px rgba(0,0,0,.08)}
.amount{font-size:2rem;font-weight:600;margin:.5rem 0 1.5rem}
label{display:block;margin:.75rem 0 .25rem;font-size:.9rem}
input{width:100%;padding:.6rem;font-size:1rem;box-sizing:border-box;border:1px solid #ccd;
border-radius:4px}
button{margin-top:1.25rem;width:100%;padding:.75rem;font-size:1rem;background:#635bff;
color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fde8e8;color:#8a1c1c;padding:.75rem;border-radius:4px}
.badge{display:inline-block;background:#ffde92;padding:.1rem .5rem;border-radius:4px;
font-size:.75rem}
code{font-size:.85rem}
"""

Page = tuple[int, str, str | None]


def amount_text(amount: int, currency: str) -> str:
    major = to_major(amount, currency)
    return f"{currency.upper()} {major:,.{exponent(currency)}f}"


def document(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _form(session: dict[str, Any], error: str | None, card: str) -> str:
    item = session["_items"][0]
    period = " per month" if session["mode"] == "subscription" else ""
    cards = "".join(f"<li><code>{n}</code>: {escape(what)}</li>" for n, what in CARD_LIST)
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    email = escape(session["customer_details"]["email"] or "")
    name = escape(session["customer_details"]["name"] or "")
    cancel = session["cancel_url"]
    cancel_link = f'<p><a href="{escape(cancel)}">Cancel and go back</a></p>' if cancel else ""
    return (
        f'<span class="badge">TEST MODE · Stripe sandbox</span>'
        f"<h1>{escape(item['name'])}</h1>"
        f'<p class="amount" data-testid="amount">'
        f"{escape(amount_text(session['amount_total'], session['currency']))}{period}</p>"
        f'{problem}<form method="post" action="/c/pay/{session["id"]}">'
        f'<label for="email">Email</label><input id="email" name="email" type="email" '
        f'value="{email}"><label for="name">Name on card</label>'
        f'<input id="name" name="name" autocomplete="cc-name" value="{name}">'
        f'<label for="card">Card number</label><input id="card" name="card" '
        f'inputmode="numeric" autocomplete="cc-number" value="{escape(card)}" required>'
        f'<button type="submit">Pay</button></form>{cancel_link}'
        f"<h2>Test cards</h2><ul>{cards}</ul>"
        f"<p>No expiry date or CVC is asked: the sandbox only reads the number.</p>"
    )


def _closed(session: dict[str, Any]) -> Page:
    text = {"complete": "This payment is already complete.", "expired": "This session has expired."}
    body = f"<h1>{escape(text.get(session['status'], 'Unavailable'))}</h1>"
    if session["status"] == "complete":
        target = checkout.success_redirect(session)
        body += f'<p><a href="{escape(target)}">Return to the merchant</a></p>'
    return 410 if session["status"] == "expired" else 200, document("Checkout", body), None


def handle(store: Store, sender: WebhookSender, method: str, path: str, body: str) -> Page:
    session_id = path.removeprefix("/c/pay/").strip("/")
    with store.lock:
        clock.run_due(store)
        session = store.find(session_id)
        try:
            if session is None or session.get("object") != "checkout.session":
                return 404, document("Not found", "<h1>No such checkout session</h1>"), None
            if session["status"] != "open":
                return _closed(session)
            if method != "POST":
                return 200, document("Checkout", _form(session, None, SUCCESS_CARD)), None
            return _pay(store, session, parse_qs(body))
        finally:
            sender.enqueue(store.outbox)
            store.outbox = []


def _pay(store: Store, session: dict[str, Any], form: dict[str, list[str]]) -> Page:
    card = (form.get("card") or [""])[0]
    email = (form.get("email") or [None])[0]
    name = (form.get("name") or [None])[0]
    store.context = RequestContext()
    try:
        checkout.complete(store, session, card, email=email, name=name)
    except StripeError as error:
        return 402, document("Checkout", _form(session, error.message, card)), None
    target = checkout.success_redirect(session)
    return 303, document("Redirecting", f'<a href="{escape(target)}">Continue</a>'), target

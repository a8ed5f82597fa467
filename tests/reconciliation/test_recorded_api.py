"""Deposits tied to payouts automatically: by the payout id in the bank line's text, and
several payouts of one day as one deposit. Stripe's answers are recorded JSON in Stripe's
list shape, served on 127.0.0.1 and read with the official library."""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from moneyed import Money

from ledger.services import rules
from payments import get_provider
from reconciliation.models import BankStatementLine, ProviderPayout
from reconciliation.services.imports import import_job_create, import_run
from tests.ledger.accounts import clearing, fund, refs

pytestmark = pytest.mark.django_db
ARRIVAL = dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
CREATED = int(dt.datetime(2026, 3, 18, tzinfo=dt.UTC).timestamp())


def _payout(pid: str, cents: int) -> dict:
    return {"id": pid, "object": "payout", "amount": cents, "currency": "myr",
            "arrival_date": int(ARRIVAL.timestamp()), "created": CREATED, "status": "paid",
            "balance_transaction": f"txn_{pid}", "automatic": True}  # fmt: skip


def _txn(tid: str, cents: int, kind: str, source: str) -> dict:
    return {"id": tid, "object": "balance_transaction", "amount": cents, "fee": 0,
            "net": cents, "currency": "myr", "created": CREATED, "available_on": CREATED,
            "type": kind, "source": source, "exchange_rate": None, "description": None}  # fmt: skip


PAYOUTS = [_payout("po_a", 12000), _payout("po_b", 18000), _payout("po_c", 5000)]
TXNS = [_txn("txn_gift", 35000, "charge", "ch_gift")] + [
    _txn(f"txn_{p['id']}", -p["amount"], "payout", p["id"]) for p in PAYOUTS
]
CARRIED = {"po_a": ["txn_gift"], "po_b": [], "po_c": []}


class RecordedStripe(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        url = urlparse(self.path)
        payout = parse_qs(url.query).get("payout", [None])[0]
        if url.path == "/v1/payouts":
            data = PAYOUTS
        elif payout:
            data = [t for t in TXNS if t["id"] in CARRIED[payout] or t["source"] == payout]
        else:
            data = TXNS
        body = json.dumps({"object": "list", "data": data, "has_more": False, "url": url.path})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args) -> None:
        return None


@pytest.fixture
def recorded_stripe(settings):
    """The Stripe provider pointed at a server that answers with recorded API pages."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordedStripe)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.STRIPE_SECRET_KEY = "sk_test_recorded"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_port}"
    get_provider.cache_clear()
    yield server
    server.shutdown()
    get_provider.cache_clear()


def test_payouts_meet_their_deposits_by_name_and_as_a_group(chart, campaign, recorded_stripe):
    rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="txn_gift"),
        donation_ref="gift",
        presentment=Money(350, "MYR"),
        gross=Money(350, "MYR"),
        fee=Money(0, "MYR"),
        net=Money(350, "MYR"),
        exchange_rate=None,
        donor_country="MY",
        effective_date=dt.date(2026, 3, 18),
    )
    for payout in PAYOUTS:
        amount = Money(Decimal(payout["amount"]) / 100, "MYR")
        rules.payout_paid(
            clearing=clearing(),
            label="Stripe",
            payout_id=payout["id"],
            amount=amount,
            bank_account_code=None,
            effective_date=ARRIVAL.date(),
        )
    job = import_run(job=import_job_create(kind="stripe_api"))
    assert (job.state, job.total) == ("succeeded", 7)
    assert ProviderPayout.objects.filter(status="matched").count() == 3

    import_run(job=import_job_create(kind="bank_csv"), data=(
        "date,description,amount,currency,reference\n"
        "2026-03-20,STRIPE PAYOUTS,300.00,MYR,STRIPE\n"
        "2026-03-21,STRIPE po_c,50.00,MYR,TRF 991\n"
    ))  # fmt: skip

    payouts = {p.provider_id: p for p in ProviderPayout.objects.select_related("bank_line")}
    deposit = BankStatementLine.objects.get(reference="STRIPE")
    assert payouts["po_a"].bank_line == payouts["po_b"].bank_line == deposit  # many-to-one
    assert payouts["po_c"].bank_line.reference == "TRF 991"  # named in the line's text
    assert deposit.status == "matched" and deposit.amount == Decimal("300.000")

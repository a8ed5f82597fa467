"""Giving fixtures: a live campaign, the service pointed at the sandbox, signed deliveries."""

from __future__ import annotations

import copy
import json
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from moneyed import Money

from donors.models import Donation
from donors.services import donation_start
from donors.services.start import DonationInput
from tests.factories import CampaignFactory
from webhooks.providers import get_provider
from webhooks.providers.stripe import sign_payload

WEBHOOK_SECRET = "whsec_giving_tests"
OLD_SECRET = "whsec_giving_rotated_out"


@pytest.fixture
def tx(transactional_db, django_db_serialized_rollback):
    """A real-commit database for tests whose side effects run on commit.

    Serialized rollback puts back what data migrations loaded (the SDG goals), which the
    flush at the end of a transactional test would otherwise take from later suites.

    The ledger's append-only triggers refuse the DELETEs that end a transactional test on
    SQLite, so its rows are cleared with the triggers briefly lifted, then put back.
    """
    yield
    from django.apps import apps
    from django.db import connection

    from ledger import db as ledger_db

    with connection.schema_editor(atomic=True) as editor:
        ledger_db.uninstall(apps, editor)
        for table in ("ledger_posting", "ledger_journalentry"):
            if table in connection.introspection.table_names():
                editor.execute(f"DELETE FROM {table}")
        ledger_db.install(apps, editor)


@pytest.fixture(autouse=True)
def _fresh_cache_and_provider():
    cache.clear()
    get_provider.cache_clear()
    yield
    get_provider.cache_clear()


@pytest.fixture
def stripe_env(settings, stripe_sandbox):
    """The service talks to the session's sandbox and trusts our test webhook secrets."""
    settings.STRIPE_API_BASE = stripe_sandbox.url
    settings.STRIPE_SECRET_KEY = stripe_sandbox.api_key
    settings.STRIPE_WEBHOOK_SECRET = [WEBHOOK_SECRET, OLD_SECRET]
    settings.SITE_URL = "http://testserver"
    get_provider.cache_clear()
    return stripe_sandbox


@pytest.fixture
def campaign(db):
    return CampaignFactory(goal=Money(Decimal("10000.00"), "MYR"))


def start(campaign, *, amount="50", currency="MYR", monthly=False, **extra) -> Donation:
    data = DonationInput(amount=Decimal(amount), currency=currency, email="siti@example.org",
                         country=extra.pop("country", "MY"), name=extra.pop("name", "Siti"),
                         monthly=monthly, **extra)  # fmt: skip
    return donation_start(campaign=campaign, data=data)


class Deliverer:
    """Posts Stripe-shaped, signed events to /webhooks/stripe/ as Stripe would."""

    def __init__(self, secret: str = WEBHOOK_SECRET) -> None:
        self.client = Client()
        self.secret = secret

    def event(self, type_: str, obj: dict[str, Any], event_id: str | None = None) -> dict:
        return {
            "id": event_id or f"evt_{uuid.uuid4().hex[:24]}", "object": "event",
            "api_version": "2026-10-28.endive", "created": int(time.time()), "livemode": False,
            "pending_webhooks": 1, "type": type_, "data": {"object": obj},
            "request": {"id": None, "idempotency_key": None},
        }  # fmt: skip

    def post(self, event: dict, *, secret: str | None = None, timestamp: int | None = None,
             header: str | None = None):  # fmt: skip
        body = json.dumps(event).encode()
        sig = header if header is not None else sign_payload(body, secret or self.secret,
                                                             timestamp)  # fmt: skip
        extra = {"HTTP_STRIPE_SIGNATURE": sig} if sig else {}
        return self.client.post("/webhooks/stripe/", data=body,
                                content_type="application/json", **extra)  # fmt: skip

    def send(self, type_: str, obj: dict[str, Any], event_id: str | None = None):
        response = self.post(self.event(type_, obj, event_id))
        assert response.status_code == 200, response.content
        return response


@pytest.fixture
def deliver(stripe_env) -> Deliverer:
    return Deliverer()


FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "stripe_objects.json").read_text())


def stripe_object(kind: str, **fields: Any) -> dict[str, Any]:
    """One of Stripe's own example objects (fixtures3.json), with our ids put in."""
    obj = copy.deepcopy(FIXTURES[kind])
    obj.update(fields)
    return obj


class Gift:
    """A donation started through the service and paid in the sandbox, and the Stripe-shaped
    objects its events carry (the handlers use only the ids and re-fetch the rest)."""

    def __init__(self, sandbox, campaign, *, card: str | None = None, **kwargs: Any) -> None:
        self.sandbox = sandbox
        self.donation = start(campaign, **kwargs)
        self.session_id = self.donation.checkout_session_id
        if card != "none":
            self.sandbox.complete(self.session_id, **({"card": card} if card else {}))
        session = sandbox.client.v1.checkout.sessions.retrieve(self.session_id)
        self.payment_intent_id = session.payment_intent or ""
        self.subscription_id = session.subscription or ""
        self.charge_id = ""
        if self.payment_intent_id:
            pi = sandbox.client.v1.payment_intents.retrieve(self.payment_intent_id)
            self.charge_id = pi.latest_charge or ""

    def refresh(self) -> Donation:
        self.donation.refresh_from_db()
        return self.donation

    def session(self) -> dict:
        return stripe_object("checkout.session", id=self.session_id,
                             client_reference_id=str(self.donation.pk),
                             payment_intent=self.payment_intent_id)  # fmt: skip

    def payment_intent(self) -> dict:
        return stripe_object("payment_intent", id=self.payment_intent_id,
                             latest_charge=self.charge_id)  # fmt: skip

    def charge(self) -> dict:
        return stripe_object("charge", id=self.charge_id, payment_intent=self.payment_intent_id)

    def refund(self, amount: str | None = None) -> dict:
        """Refund at the sandbox (as the dashboard would) and return the refund object."""
        params: dict[str, Any] = {"payment_intent": self.payment_intent_id}
        if amount is not None:
            params["amount"] = int(amount)
        refund = self.sandbox.client.v1.refunds.create(params)
        return stripe_object("refund", id=refund.id, charge=self.charge_id,
                             payment_intent=self.payment_intent_id)  # fmt: skip

    def dispute(self) -> dict:
        dispute = self.sandbox.dispute(self.charge_id)
        return stripe_object("dispute", id=dispute["id"], charge=self.charge_id,
                             payment_intent=self.payment_intent_id)  # fmt: skip


@pytest.fixture
def gift(stripe_env, campaign):
    """Make a paid gift: gift(amount="50000", currency="IDR")."""

    def make(**kwargs: Any) -> Gift:
        return Gift(stripe_env, kwargs.pop("campaign", campaign), **kwargs)

    return make

"""The backlog's raw material: real pending donations, paid in the sandbox, and their events.

Donations are made by `donation_start` (the service the donor's form calls: a pending
donation, its audit row and a Checkout Session at the sandbox, with its idempotency key),
then each session is paid through the sandbox's test helper, as a donor would on the hosted
page. No webhook endpoint is registered at the sandbox (and deliveries are held), so nothing
reaches the service yet: the `checkout.session.completed` events are read back from the
sandbox's `GET /v1/events`, and the benchmark posts them itself.

The gifts are spread over the demo's live campaigns and currencies, so settlement does FX
(IDR given to a MYR campaign is counted at the settled MYR amount), and the campaign rows
and ledger accounts are shared the way real traffic shares them.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import stripe
from django.db import connections

from campaigns.models import Campaign, CampaignStatus
from donors.models import Donation
from donors.services import donation_start
from donors.services.start import DonationInput
from sandbox import SUCCESS_CARD

# (campaign currency, gift currency, share of gifts, whole-unit amount range)
MIX = (
    ("MYR", "MYR", 40, (20, 500)),
    ("MYR", "IDR", 15, (50_000, 2_000_000)),
    ("IDR", "IDR", 20, (50_000, 2_000_000)),
    ("PHP", "PHP", 15, (300, 10_000)),
    ("INR", "INR", 10, (500, 20_000)),
)
COUNTRIES = {"MYR": "MY", "IDR": "ID", "PHP": "PH", "INR": "IN"}
LANGUAGES = {"MYR": "ms", "IDR": "id"}


def plan(count: int, seed: int = 7) -> list[tuple[str, DonationInput]]:
    """`count` gifts as (campaign currency, input), deterministic for a seed."""
    rng = random.Random(seed)
    weights = [row[2] for row in MIX]
    gifts = []
    for i in range(count):
        own, currency, _, (low, high) = rng.choices(MIX, weights)[0]
        gifts.append(
            (
                own,
                DonationInput(
                    amount=Decimal(rng.randint(low, high)),
                    currency=currency,
                    email=f"donor{i}@example.org",
                    name=f"Donor {i}",
                    country=COUNTRIES[currency],
                    language=LANGUAGES.get(currency, "en"),
                    anonymous=i % 7 == 0,
                    message="Semoga berjaya!" if i % 5 == 0 else "",
                ),
            )
        )
    return gifts


def live_campaigns() -> dict[str, Campaign]:
    """The first live campaign in each currency the mix needs (the demo data has them)."""
    found: dict[str, Campaign] = {}
    for campaign in Campaign.objects.filter(status=CampaignStatus.LIVE).order_by("pk"):
        found.setdefault(str(campaign.goal.currency), campaign)
    missing = {row[0] for row in MIX} - set(found)
    if missing:
        raise RuntimeError(f"no live campaign in {sorted(missing)}: did seed_demo run?")
    return found


def sandbox_client(url: str, api_key: str) -> stripe.StripeClient:
    return stripe.StripeClient(api_key, base_addresses={"api": url}, max_network_retries=2)


def make(
    count: int,
    *,
    sandbox_url: str,
    api_key: str,
    threads: int = 4,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Start `count` donations and pay their sessions; returns the donation ids."""
    campaigns = live_campaigns()
    gifts = plan(count)
    cursor = iter(range(count))
    lock = threading.Lock()
    made: list[int] = []

    def worker() -> None:
        client = sandbox_client(sandbox_url, api_key)
        try:
            while True:
                with lock:
                    i = next(cursor, None)
                if i is None:
                    return
                own, data = gifts[i]
                donation = donation_start(campaign=campaigns[own], data=data)
                client.raw_request(
                    "post",
                    f"/v1/test_helpers/checkout/sessions/{donation.checkout_session_id}/complete",
                    card=SUCCESS_CARD,
                )
                with lock:
                    made.append(donation.pk)
                    if progress and len(made) % 1000 == 0:
                        progress(len(made))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(worker) for _ in range(threads)]:
            future.result()
    return made


def completed_events(*, sandbox_url: str, api_key: str) -> list[dict[str, Any]]:
    """Every `checkout.session.completed` event the sandbox holds, oldest first."""
    client = sandbox_client(sandbox_url, api_key)
    events: list[dict[str, Any]] = []
    params: dict[str, Any] = {"type": "checkout.session.completed", "limit": 100}
    while True:
        response = client.raw_request("get", "/v1/events", **params)
        page = json.loads(response.body)
        events.extend(page["data"])
        if not page["has_more"]:
            break
        params["starting_after"] = page["data"][-1]["id"]
    events.reverse()
    return events


def bodies_for(events: list[dict[str, Any]], donation_ids: list[int]) -> list[str]:
    """The delivery bodies (as the sandbox would send them), after checking that each event
    is about one of our pending donations and that each donation has exactly one event."""
    sessions = dict(
        Donation.objects.filter(pk__in=donation_ids).values_list("checkout_session_id", "status")
    )
    seen = [e["data"]["object"]["id"] for e in events]
    if len(seen) != len(set(seen)) or set(seen) != set(sessions):
        raise RuntimeError(
            f"{len(events)} events for {len(set(seen))} sessions; expected one for each "
            f"of {len(sessions)} donations"
        )
    if set(sessions.values()) != {"pending"}:
        raise RuntimeError(f"donations are not all pending: {set(sessions.values())}")
    return [json.dumps(e, indent=2) for e in events]


def timed(label: str, fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    print(f"  {label}: {elapsed:.1f} s", flush=True)
    return result, elapsed

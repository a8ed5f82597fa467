"""Watching the backlog drain, and the checks that the books came out right."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from campaigns.models import Campaign
from donors.models import Donation, DonationStatus, Receipt
from ledger.management.commands.ledger_verify import CHECKS
from ledger.models import EntryKind, EntryState, JournalEntry
from ledger.selectors.balances import trial_balance_figures as trial_balance
from webhooks.models import EventStatus, WebhookEvent


def settled() -> Donation:
    return Donation.objects.filter(status=DonationStatus.SUCCEEDED).exclude(
        balance_transaction_id=""
    )


@dataclass
class Drain:
    first_processing: float | None = None  # wall clock
    last_settled: float | None = None
    settled: int = 0
    stalled: bool = False
    samples: list[tuple[float, int]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return (self.last_settled or 0) - (self.first_processing or 0)


def watch_drain(expected: int, *, timeout: float, stall: float = 120.0) -> Drain:
    """Poll until `expected` donations are settled. The start is the first event leaving
    "received" (polled every 20 ms until seen); the end is the last `settled_at`."""
    drain = Drain()
    deadline = time.monotonic() + timeout
    last_progress, last_count = time.monotonic(), -1
    while time.monotonic() < deadline:
        if drain.first_processing is None:
            if WebhookEvent.objects.exclude(status=EventStatus.RECEIVED).exists():
                drain.first_processing = time.time()
            time.sleep(0.02)
            continue
        drain.settled = settled().count()
        drain.samples.append((round(time.time() - drain.first_processing, 2), drain.settled))
        if drain.settled >= expected:
            break
        if drain.settled != last_count:
            last_progress, last_count = time.monotonic(), drain.settled
        elif time.monotonic() - last_progress > stall:
            drain.stalled = True
            break
        time.sleep(0.5)
    last = settled().aggregate(t=Max("settled_at"))["t"]
    drain.last_settled = last.timestamp() if last else None
    return drain


def verify(expected: int) -> tuple[bool, list[str]]:
    """Exactly `expected` donations settled, each campaign's totals equal its gifts, one
    ledger entry per donation, the trial balance zero and every ledger invariant holding."""
    lines: list[str] = []
    ok = True

    def check(good: bool, text: str) -> None:
        nonlocal ok
        ok = ok and good
        lines.append(f"[{'ok' if good else 'FAIL'}] {text}")

    n_settled = settled().count()
    total = Donation.objects.count()
    check(
        n_settled == expected == total,
        f"donations settled: {n_settled} of {total} (want {expected})",
    )
    flagged = Donation.objects.filter(needs_review=True).count()
    check(flagged == 0, f"donations flagged for review: {flagged}")
    events = dict(WebhookEvent.objects.values_list("status").annotate(n=Count("id")))
    check(events == {EventStatus.SUCCEEDED: expected}, f"webhook events by status: {events}")
    for campaign in Campaign.objects.filter(donations__isnull=False).distinct().order_by("pk"):
        gifts = Donation.objects.filter(campaign=campaign, status=DonationStatus.SUCCEEDED)
        agg = gifts.aggregate(total=Sum("counted"), n=Count("id"))
        total = agg["total"] or Decimal(0)
        check(
            campaign.raised.amount == total and campaign.donor_count == agg["n"],
            f"campaign {campaign.slug}: raised {campaign.raised} = sum of gifts "
            f"{total} {campaign.raised.currency}; donors {campaign.donor_count} = {agg['n']}",
        )
    entries = JournalEntry.objects.filter(kind=EntryKind.DONATION_SETTLED, state=EntryState.POSTED)
    check(entries.count() == expected, f"ledger donation entries: {entries.count()}")
    tb = trial_balance()
    totals = ", ".join(f"{m}" for m in tb.totals.values())
    check(tb.balanced, f"trial balance: per currency {totals}; book {tb.total_book}")
    for name, run in CHECKS.items():
        problems = run()
        check(not problems, f"ledger_verify, {name}: {len(problems)} problem(s)")
    receipts = Receipt.objects.aggregate(
        n=Count("id"), sent=Count("id", filter=Q(sent_at__isnull=False))
    )
    lines.append(f"[info] receipts issued {receipts['n']}, sent {receipts['sent']}")
    return ok, lines

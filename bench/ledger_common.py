"""What both ledgers are fed and how they are timed: the same donations, the same clocks."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

CAMPAIGNS = 20
POSTINGS_PER_DONATION = 5
IDR_PER_MYR = Decimal("3450")  # roughly Stripe's rate in 2025
FEE_RATE = Decimal("0.034")
FEE_FIXED = Decimal("1.00")
CENT = Decimal("0.01")
START = date(2025, 1, 1)


@dataclass(frozen=True)
class Donation:
    """An IDR gift settled in MYR: the five postings both ledgers book for it."""

    number: int
    campaign: int
    gross_idr: Decimal
    gross_myr: Decimal
    fee_myr: Decimal
    rate: Decimal
    day: date

    @property
    def net_myr(self) -> Decimal:
        return self.gross_myr - self.fee_myr

    @property
    def balance_transaction_id(self) -> str:
        return f"txn_bench_{self.number:010d}"


def donation(number: int) -> Donation:
    """The `number`-th donation of the run; deterministic so both systems see the same."""
    rng = random.Random(number)
    gross_idr = Decimal(rng.randrange(50_000, 5_000_000, 1_000))
    rate = (Decimal(1) / IDR_PER_MYR).quantize(Decimal("0.00000001"))
    gross_myr = (gross_idr * rate).quantize(CENT)
    fee = (gross_myr * FEE_RATE + FEE_FIXED).quantize(CENT)
    return Donation(
        number=number,
        campaign=number % CAMPAIGNS,
        gross_idr=gross_idr,
        gross_myr=gross_myr,
        fee_myr=fee,
        rate=rate,
        day=START + timedelta(days=number % 365),
    )


def donations(first: int, count: int) -> Iterator[Donation]:
    for number in range(first, first + count):
        yield donation(number)


def p50_ms(call: Callable[[], object], *, budget_s: float = 3.0, max_runs: int = 101) -> float:
    """Median wall time of `call` in ms; at least 5 runs, more while the budget lasts."""
    call()  # warm caches and prepared plans: we measure steady state, not first touch
    samples: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(samples) < 5 or (len(samples) < max_runs and time.perf_counter() < deadline):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 3)


def rate_per_s(
    call: Callable[[Donation], object], batch: list[Donation], *, rounds: int = 5
) -> float:
    """Entries posted per second, each in its own database transaction: the median of
    `rounds` equal slices, so a burst of load from elsewhere on the machine moves it less."""
    size = max(1, len(batch) // rounds)
    rates = []
    for start in range(0, size * rounds, size):
        began = time.perf_counter()
        for item in batch[start : start + size]:
            call(item)
        rates.append(size / (time.perf_counter() - began))
    return round(statistics.median(rates), 1)

"""One system's half of `make bench-ledger`, run in its own process (so peak memory is its own).

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python -m bench.ledger_run ours

Prints one JSON object on the last line of stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from decimal import Decimal

import django

SIZES = (0, 10_000, 100_000, 1_000_000)
CHUNK = 20_000  # donations per bulk-load round: 100k postings


def _ledger(system: str):  # noqa: ANN202 - either adapter
    if system == "hordak":
        from bench.ledger_hordak import HordakLedger

        return HordakLedger()
    from bench.ledger_ours import OurLedger

    return OurLedger()


def _grow(ledger, target: int, next_number: int) -> int:  # noqa: ANN001
    """Bulk-load background donations until the ledger holds `target` postings."""
    missing = max(0, target - ledger.postings)
    count = -(-missing // 5)
    started = time.perf_counter()
    loaded = 0
    while loaded < count:
        step = min(CHUNK, count - loaded)
        ledger.bulk_load(next_number, step)
        next_number += step
        loaded += step
        print(f"  {ledger.name}: loaded {ledger.postings:,} postings", file=sys.stderr)
    if count:
        print(f"  bulk load took {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return next_number


def run(system: str, sizes: tuple[int, ...], posts: int) -> dict:
    from bench.ledger_common import donations, p50_ms, rate_per_s

    ledger = _ledger(system)
    out: dict = {"posts_per_s": {}, "balance_ms_p50": {}, "trial_balance_ms_p50": {}}
    out["postings_at_measure"] = {}
    number = ledger.entries  # one entry per donation, numbered from 0: the next unused number
    for size in sizes:
        key = str(size)
        number = _grow(ledger, size, number)
        out["postings_at_measure"][key] = ledger.postings
        batch = list(donations(number, posts))
        number += posts
        out["posts_per_s"][key] = rate_per_s(ledger.post, batch)
        out["balance_ms_p50"][key] = p50_ms(ledger.balance)
        out["trial_balance_ms_p50"][key] = p50_ms(ledger.trial_balance)
        print(f"  {ledger.name} @ {size:,}: {_line(out, key)}", file=sys.stderr)
    out["postings_final"] = ledger.postings
    out["entries_final"] = ledger.entries
    out["trial_balance_final"] = _jsonable(ledger.trial_balance())
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def _line(out: dict, key: str) -> str:
    return (
        f"{out['posts_per_s'][key]} entries/s, balance {out['balance_ms_p50'][key]} ms, "
        f"trial balance {out['trial_balance_ms_p50'][key]} ms"
    )


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("system", choices=["ours", "hordak"])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--posts", type=int, default=500)
    args = parser.parse_args()
    django.setup()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    print(json.dumps(run(args.system, sizes, args.posts)))


if __name__ == "__main__":
    main()

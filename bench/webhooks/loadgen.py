"""The load generator: POST a file of bodies with N concurrent keep-alive connections.

`python -m bench.webhooks.loadgen URL BODIES.json [--secret S] [--concurrency 16]` prints one
JSON line: requests, acknowledged (2xx), errors by status, duration, rate and latency
percentiles. With `--secret`, each body is signed at the moment it is sent, exactly as Stripe
signs a delivery (`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`); the
baseline gets the same bodies, signed the same way, so both sides cost the client the same.

It runs in its own process (asyncio + aiohttp) so that its event loop does not share a GIL
with the runner.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import math
import time
from collections import Counter
from pathlib import Path

import aiohttp


def signature(body: bytes, secret: bytes, timestamp: int) -> str:
    digest = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (q in 0..100)."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), math.ceil(q / 100 * len(sorted_values))))
    return sorted_values[rank - 1]


async def _client(session, url, bodies, cursor, secret, latencies, statuses, duplicates):
    while cursor[0] < len(bodies):
        body = bodies[cursor[0]]
        cursor[0] += 1
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if secret:
            headers["Stripe-Signature"] = signature(body, secret, int(time.time()))
        started = time.perf_counter()
        try:
            async with session.post(url, data=body, headers=headers) as response:
                payload = await response.read()
                status = response.status
        except aiohttp.ClientError as exc:
            status, payload = type(exc).__name__, b""
        latencies.append(time.perf_counter() - started)
        statuses[status] += 1
        if status == 200 and b'"duplicate": true' in payload:
            duplicates[0] += 1


async def run(url: str, bodies: list[bytes], secret: str, concurrency: int) -> dict:
    latencies: list[float] = []
    statuses: Counter = Counter()
    duplicates, cursor = [0], [0]
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    key = secret.encode() if secret else b""
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _client(session, url, bodies, cursor, key, latencies, statuses, duplicates)
                for _ in range(concurrency)
            )
        )
        elapsed = time.perf_counter() - started
    latencies.sort()
    ok = sum(n for status, n in statuses.items() if isinstance(status, int) and status < 300)
    return {
        "url": url,
        "requests": len(bodies),
        "concurrency": concurrency,
        "acknowledged": ok,
        "duplicates": duplicates[0],
        "errors": {str(s): n for s, n in statuses.items() if not (isinstance(s, int) and s < 300)},
        "seconds": round(elapsed, 3),
        "per_s": round(ok / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p90_ms": round(percentile(latencies, 90) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else 0.0,
        "latencies": latencies,
    }


def load_bodies(path: Path, offset: int = 0, limit: int | None = None) -> list[bytes]:
    bodies = [b.encode() for b in json.loads(path.read_text())][offset:]
    return bodies[:limit] if limit else bodies


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.webhooks.loadgen", description=__doc__)
    p.add_argument("url")
    p.add_argument("bodies", type=Path, help="a JSON list of request bodies (strings)")
    p.add_argument("--secret", default="", help="sign each body as Stripe does")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--offset", type=int, default=0, help="skip the first N bodies")
    p.add_argument("--limit", type=int, default=None, help="send only N bodies")
    p.add_argument("--latencies", type=Path, help="also write every latency (s) to this file")
    args = p.parse_args(argv)
    bodies = load_bodies(args.bodies, args.offset, args.limit)
    result = asyncio.run(run(args.url, bodies, args.secret, args.concurrency))
    if args.latencies:
        args.latencies.write_text(json.dumps(result.pop("latencies")))
    else:
        result.pop("latencies")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

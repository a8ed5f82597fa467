"""The acknowledge phase: the webhook endpoint and the one-INSERT baseline, interleaved.

The events are sent in rounds (2,000 each for 10,000): in every round the baseline gets the
round's bodies and the webhook endpoint gets them too, the order alternating (B W, W B, ...),
each side from a fresh load-generator process with fresh keep-alive connections. Both sides
thus see the same background load, and the way the kernel happens to spread connections
over the two gunicorn workers evens out. Rates are total acknowledged / total time per side;
percentiles are over every request of the side. The gunicorn workers' CPU time per request
is kept beside the rates: on a shared machine it is the steadier of the two figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.webhooks.harness import cpu_seconds
from bench.webhooks.loadgen import percentile

ROOT = Path(__file__).resolve().parents[2]


def loadgen(
    url: str,
    bodies: Path,
    secret: str,
    concurrency: int,
    offset: int,
    limit: int,
    latencies: Path | None = None,
) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "bench.webhooks.loadgen",
        url,
        str(bodies),
        "--secret",
        secret,
        "--concurrency",
        str(concurrency),
        "--offset",
        str(offset),
        "--limit",
        str(limit),
    ]
    if latencies:
        cmd += ["--latencies", str(latencies)]
    done = subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE)
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def _cpu(pids: list[int]) -> list[float]:
    return [cpu_seconds(p) for p in pids]


def _combine(rounds: list[dict], latencies: list[float], cpu: list[float]) -> dict:
    seconds = sum(r["seconds"] for r in rounds)
    acked = sum(r["acknowledged"] for r in rounds)
    errors: dict[str, int] = {}
    for r in rounds:
        for status, count in r["errors"].items():
            errors[status] = errors.get(status, 0) + count
    latencies.sort()
    return {
        "requests": sum(r["requests"] for r in rounds),
        "acknowledged": acked,
        "duplicates": sum(r["duplicates"] for r in rounds),
        "errors": errors,
        "seconds": round(seconds, 3),
        "per_s": round(acked / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p90_ms": round(percentile(latencies, 90) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else 0.0,
        "gunicorn_worker_cpu_s": [round(c, 2) for c in cpu],
        "cpu_ms_per_request": round(sum(cpu) * 1000 / max(1, acked), 3),
        "rounds_per_s": [r["per_s"] for r in rounds],
    }


def interleaved(
    *,
    base: str,
    bodies: Path,
    count: int,
    secret: str,
    concurrency: int,
    rounds: int,
    workers: list[int],
    tmp: Path,
) -> dict[str, dict]:
    """Run both sides over the `count` bodies in `rounds` rounds; returns each side's totals."""
    urls = {"baseline": f"{base}/bench/baseline/", "webhooks": f"{base}/webhooks/stripe/"}
    size = -(-count // rounds)
    done: dict[str, list[dict]] = {"baseline": [], "webhooks": []}
    samples: dict[str, list[float]] = {"baseline": [], "webhooks": []}
    cpu = {side: [0.0] * len(workers) for side in urls}
    for index in range(rounds):
        offset = index * size
        order = ("baseline", "webhooks") if index % 2 == 0 else ("webhooks", "baseline")
        for side in order:
            before = _cpu(workers)
            dump = tmp / f"latencies-{side}-{index}.json"
            result = loadgen(
                urls[side], bodies, secret, concurrency, offset, min(size, count - offset), dump
            )
            cpu[side] = [
                c + a - b for c, a, b in zip(cpu[side], _cpu(workers), before, strict=True)
            ]
            samples[side].extend(json.loads(dump.read_text()))
            done[side].append(result)
            print(
                f"    round {index + 1} {side:<8} {result['acknowledged']}/{result['requests']}"
                f" {result['per_s']}/s p50 {result['p50_ms']} ms p99 {result['p99_ms']} ms"
                f" errors {result['errors'] or 'none'}",
                flush=True,
            )
    return {side: _combine(done[side], samples[side], cpu[side]) for side in urls}

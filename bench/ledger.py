"""`make bench-ledger`: our ledger against django-hordak, same machine, same run.

Creates the databases (gotong_bench_ours, gotong_bench_hordak on PostgreSQL and a SQLite
file for ours), migrates them, runs each system in its own process (bench/ledger_run.py),
drops the databases, writes bench/results/ledger.json and prints the ratios.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.ledger_run import SIZES

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "ledger.json"
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
SQLITE = Path(os.environ.get("BENCH_SQLITE_DIR", "/tmp")) / "gotong_bench_ours.sqlite3"
# BENCH_LEDGER_SIZES=0,10000 for a quick look; the committed results use all four sizes.
SIZES_RUN = tuple(int(n) for n in os.environ.get("BENCH_LEDGER_SIZES", "").split(",") if n) or SIZES
RUNS = (  # (result key, system, database name or None for SQLite)
    ("ours", "ours", "gotong_bench_ours"),
    ("hordak", "hordak", "gotong_bench_hordak"),
    ("ours_sqlite", "ours", None),
)


def _admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _database(name: str | None) -> str:
    """Fresh database, its DATABASE_URL."""
    if name is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    return f"{PG}/{name}"


def _drop(name: str | None) -> None:
    if name is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE}{suffix}").unlink(missing_ok=True)
    else:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": url}
    env.pop("REDIS_URL", None)
    return env


def _phase(system: str, url: str, size: int, extra: list[str]) -> dict:
    """One system grown to one size and measured, in a process of its own."""
    cmd = [sys.executable, "-m", "bench.ledger_run", system, "--sizes", str(size), *extra]
    done = subprocess.run(cmd, cwd=ROOT, env=_env(url), check=True, stdout=subprocess.PIPE)
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def _merge(into: dict, phase: dict) -> None:
    for key, value in phase.items():
        if isinstance(value, dict):
            into.setdefault(key, {}).update(value)
        elif key == "peak_rss_mb":
            into[key] = max(into.get(key, 0), value)
        else:
            into[key] = value


def _run_all(extra: list[str]) -> dict:
    """Size by size, ours then hordak at each size, so that load from elsewhere on the
    machine falls on both alike; then ours on SQLite."""
    urls = {}
    for key, _, database in RUNS:
        urls[key] = _database(database)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT,
                       env=_env(urls[key]), check=True)  # fmt: skip
    results: dict = {key: {} for key, _, _ in RUNS}
    try:
        for size in SIZES_RUN:
            for key, system, _ in RUNS:
                print(f"== {key} @ {size:,}", file=sys.stderr, flush=True)
                _merge(results[key], _phase(system, urls[key], size, extra))
    finally:
        for _, _, database in RUNS:
            _drop(database)
    return results


def _ratios(ours: dict, hordak: dict) -> dict:
    """Posting speed as ours/hordak; read times as hordak/ours (both: higher is better for us)."""
    out: dict = {}
    for size, rate in ours["posts_per_s"].items():
        out.setdefault("posting_speedup", {})[size] = round(rate / hordak["posts_per_s"][size], 2)
    for metric in ("balance_ms_p50", "trial_balance_ms_p50"):
        for size, ms in ours[metric].items():
            speed = round(hordak[metric][size] / ms, 1) if ms else None
            out.setdefault(metric.replace("_ms_p50", "_speedup"), {})[size] = speed
    return out


def _print_ratios(ratios: dict) -> None:
    print("\nours vs hordak (higher is better for ours):")
    for metric, by_size in ratios.items():
        cells = "  ".join(f"{int(size):>9,}: {value:>7}x" for size, value in by_size.items())
        print(f"  {metric:<20} {cells}")


def main() -> None:
    extra = sys.argv[1:]
    started = time.perf_counter()
    load_before = os.getloadavg()
    results = _run_all(extra)
    results["ratios"] = _ratios(results["ours"], results["hordak"])
    results["meta"] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "python": platform.python_version(),
        "args": extra,
        "load_average_1_5_15": {"before": load_before, "after": os.getloadavg()},
        "duration_s": round(time.perf_counter() - started, 1),
        "notes": "posts_per_s: donation entries (5 postings, IDR and MYR) per second, each "
        "in its own transaction (median of 5 slices); *_ms_p50 keyed by postings in the "
        "ledger when measured; each size measured in a fresh process, ours then hordak; "
        "peak_rss_mb: the largest peak resident memory of those processes.",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    _print_ratios(results["ratios"])
    print(f"\nwrote {RESULTS.relative_to(ROOT)} in {results['meta']['duration_s']}s")


if __name__ == "__main__":
    main()

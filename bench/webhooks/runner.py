"""`make bench-webhooks`: how fast Stripe's webhooks are acknowledged, and turned into money.

One run, one machine:

1. A fresh PostgreSQL database (created here, dropped at the end), Redis db 7 as the Celery
   broker, the offline Stripe sandbox in its own process, the demo campaigns (`seed_demo`)
   and the default chart of accounts.
2. N real pending donations (`donation_start`), each paid in the sandbox, and their N
   `checkout.session.completed` events read back from the sandbox (see `gifts.py`).
3. gunicorn (2 workers) serving the project with these settings, no Celery worker running:
   the N events, signed as Stripe signs them, are posted to `/webhooks/stripe/` by
   concurrent keep-alive clients; the same bodies are posted to `/bench/baseline/` (one
   INSERT, same stack) before and after, and the two baseline runs are averaged.
   Every acknowledged event has been stored and its processing task pushed to Redis, so the
   backlog is now N tasks in the broker.
4. gunicorn stops; a Celery worker (prefork, concurrency 2) starts and drains the backlog,
   re-fetching each session and payment from the sandbox, settling the donation, updating
   the campaign's totals and posting the ledger entry. Processed per second = N / (last
   `settled_at` - first event leaving "received").
5. The books are checked (exactly N settled, totals equal the gifts, trial balance zero,
   ledger invariants) and `bench/results/webhooks.json` is written.

Every process started here is in its own process group and is stopped in `finally`, also
on failure or Ctrl-C. It is a benchmark, not a test: nothing is asserted about speed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.webhooks.harness import (
    CODE,
    LOAD,
    Database,
    Processes,
    children,
    code_version,
    cpu_seconds,
    free_port,
    machine,
    note_load,
    wait_http,
)

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results" / "webhooks.json"
PY = sys.executable


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench.webhooks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--events", type=int, default=10_000)
    p.add_argument("--concurrency", type=int, default=16, help="client connections")
    p.add_argument("--rounds", type=int, default=5, help="baseline/webhook alternations")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    p.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    p.add_argument("--celery-concurrency", type=int, default=2)
    p.add_argument("--setup-threads", type=int, default=4)
    p.add_argument("--conn-max-age", type=int, default=600, help="Django CONN_MAX_AGE")
    p.add_argument(
        "--pg", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    )
    p.add_argument("--database", default="gotong_bench_webhooks")
    p.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    p.add_argument("--drain-timeout", type=float, default=900.0)
    p.add_argument("--celery-loglevel", default="WARNING", help="INFO logs each task's runtime")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--no-write", action="store_true", help="print the results only")
    p.add_argument("--ack-only", action="store_true", help="stop after the acknowledge phase")
    return p.parse_args(argv)


def _terminate(signum, frame):  # SIGTERM unwinds through the finally blocks, like Ctrl-C
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, _terminate)
    logdir = Path(tempfile.mkdtemp(prefix="gotong-bench-webhooks-"))
    procs = Processes(logdir)
    db = Database(args.pg, args.database)
    import redis

    broker = redis.Redis.from_url(args.redis)
    CODE.update(code_version())
    print(f"bench-webhooks: {args.events} events; logs in {logdir}", flush=True)
    try:
        db.create()
        broker.flushdb()
        results = run(args, procs, db, broker, logdir)
    finally:
        procs.stop_all()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        db.drop()
        broker.flushdb()
    if not results["checks_passed"]:
        print(f"checks failed: {args.out.name} left as it was; logs in {logdir}")
    elif not args.no_write:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
        print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    if results["checks_passed"]:  # the logs, the bodies and the latencies are only for failures
        shutil.rmtree(logdir, ignore_errors=True)
    return 0 if results["checks_passed"] else 1


def environment(args, db: Database, sandbox_port: int, secret: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.webhooks.settings",
        "DATABASE_URL": db.url(args.conn_max_age),
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": "gotong-bench-webhooks",
        "STRIPE_API_BASE": f"http://127.0.0.1:{sandbox_port}",
        "STRIPE_SECRET_KEY": "sk_test_bench_webhooks",
        "STRIPE_WEBHOOK_SECRET": secret,
        "SECRET_KEY": "bench-webhooks-" + secrets.token_hex(24),
        "LOG_LEVEL": "WARNING",
    }


def run(args, procs: Processes, db: Database, broker, logdir: Path) -> dict:
    n = args.events
    sandbox_port, web_port = free_port(), free_port()
    secret = "whsec_bench_" + secrets.token_hex(16)
    env = environment(args, db, sandbox_port, secret)
    os.environ.update({k: v for k, v in env.items() if k not in ("PYTHONPATH",)})
    import django

    django.setup()
    from django.core.management import call_command

    from bench.webhooks import ack, checks, gifts
    from ledger.services.chart import chart_ensure_default

    note_load("setup")
    print("setup", flush=True)
    sandbox_cmd = [
        PY,
        "-m",
        "sandbox",
        "--port",
        str(sandbox_port),
        "--hold",
        "--quiet",
    ]
    procs.start("sandbox", sandbox_cmd, env)
    auth = {"Authorization": f"Bearer {env['STRIPE_SECRET_KEY']}"}
    wait_http(f"{env['STRIPE_API_BASE']}/v1/balance", procs, headers=auth)
    gifts.timed("migrate", lambda: call_command("migrate", verbosity=0))
    gifts.timed(
        "seed_demo + chart",
        lambda: (call_command("seed_demo", stdout=io.StringIO()), chart_ensure_default()),
    )
    donation_ids, made_s = gifts.timed(
        f"{n} donations started and paid",
        lambda: gifts.make(
            n,
            sandbox_url=env["STRIPE_API_BASE"],
            api_key=env["STRIPE_SECRET_KEY"],
            threads=args.setup_threads,
            progress=lambda k: print(f"    {k}", flush=True),
        ),
    )
    events, _ = gifts.timed(
        "events read back",
        lambda: gifts.completed_events(
            sandbox_url=env["STRIPE_API_BASE"], api_key=env["STRIPE_SECRET_KEY"]
        ),
    )
    bodies = gifts.bodies_for(events, donation_ids)
    bodies_file = logdir / "bodies.json"
    bodies_file.write_text(json.dumps(bodies))
    broker.flushdb()  # the demo's review notifications: not part of the backlog
    from django.db import connections

    connections.close_all()

    note_load("acknowledge")
    print(f"acknowledge ({args.worker_class}, {args.workers} workers, {args.concurrency} clients)")
    threads = args.threads if args.worker_class == "gthread" else 1
    gunicorn = procs.start(
        "gunicorn",
        [
            PY,
            "-m",
            "gunicorn",
            "fundraising.wsgi:application",
            "--bind",
            f"127.0.0.1:{web_port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(threads),
            "--backlog",
            "2048",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        env,
    )
    base = f"http://127.0.0.1:{web_port}"
    wait_http(f"{base}/healthz", procs)
    warm = ack.loadgen(f"{base}/bench/baseline/", bodies_file, secret, args.concurrency, 0, 1000)
    print(f"  warm-up: {warm['acknowledged']} baseline requests", flush=True)
    phases = ack.interleaved(
        base=base,
        bodies=bodies_file,
        count=n,
        secret=secret,
        concurrency=args.concurrency,
        rounds=args.rounds,
        workers=children(gunicorn.pid),
        tmp=logdir,
    )
    for side, result in phases.items():
        print(
            f"  {side}: {result['acknowledged']}/{result['requests']} in {result['seconds']} s"
            f" = {result['per_s']}/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms,"
            f" errors {result['errors'] or 'none'}; gunicorn CPU"
            f" {result['cpu_ms_per_request']} ms/request {result['gunicorn_worker_cpu_s']}",
            flush=True,
        )
    procs.stop(gunicorn)
    queued = broker.llen("celery")
    from webhooks.models import WebhookEvent

    stored = WebhookEvent.objects.count()
    print(f"  stored events {stored}, tasks queued in Redis {queued}", flush=True)
    if stored != n or phases["webhooks"]["acknowledged"] != n:
        raise RuntimeError(f"{stored} events stored, {phases['webhooks']['acknowledged']} acked")

    if args.ack_only:
        skipped = ["[info] --ack-only: no processing, no checks"]
        return summarise(args, n, phases, checks.Drain(), 0, made_s, queued, None, 0, True, skipped)

    note_load("drain")
    print(f"process (celery prefork, concurrency {args.celery_concurrency})", flush=True)
    worker = procs.start(
        "celery",
        [
            PY,
            "-m",
            "celery",
            "-A",
            "fundraising",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(args.celery_concurrency),
            "--loglevel",
            args.celery_loglevel,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            "bench-webhooks@%h",
        ],
        env,
    )
    drain = checks.watch_drain(n, timeout=args.drain_timeout)
    if drain.first_processing is None or drain.last_settled is None:
        drain.first_processing = drain.last_settled = 0.0  # nothing to time
    processed_per_s = round(n / drain.seconds, 1) if drain.settled >= n and drain.seconds else 0
    print(
        f"  {drain.settled} settled in {drain.seconds:.1f} s = {processed_per_s}/s"
        + (" (STALLED)" if drain.stalled else ""),
        flush=True,
    )
    note_load("drain_end")
    receipts_s = _wait_queue_empty(broker, procs, timeout=60)
    worker_cpu = round(sum(cpu_seconds(p) for p in [worker.pid, *children(worker.pid)]), 1)
    procs.stop(worker)
    procs.stop_all()  # the sandbox

    print("checks", flush=True)
    passed, lines = checks.verify(n)
    for line in lines:
        print("  " + line, flush=True)
    return summarise(
        args,
        n,
        phases,
        drain,
        processed_per_s,
        made_s,
        queued,
        receipts_s,
        worker_cpu,
        passed,
        lines,
    )


def _wait_queue_empty(broker, procs: Processes, timeout: float) -> float | None:
    """After the drain, the receipts queued behind the events: wait until they are sent."""
    from donors.models import Receipt

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        procs.check_alive()
        if not broker.llen("celery") and not Receipt.objects.filter(sent_at=None).exists():
            return round(time.monotonic() - started, 1)
        time.sleep(0.5)
    return None


def summarise(
    args, n, phases, drain, processed_per_s, made_s, queued, receipts_s, worker_cpu, passed, lines
) -> dict:
    from django.db import connection

    hook, base = phases["webhooks"], phases["baseline"]
    baseline_per_s = base["per_s"]
    ratio = round(hook["per_s"] / baseline_per_s, 3) if baseline_per_s else None
    cpu_ratio = (
        round(base["cpu_ms_per_request"] / hook["cpu_ms_per_request"], 3)
        if hook["cpu_ms_per_request"]
        else None
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    out = {
        "ack_per_s": hook["per_s"],
        "ack_p50_ms": hook["p50_ms"],
        "ack_p99_ms": hook["p99_ms"],
        "baseline_insert_per_s": baseline_per_s,
        "processed_per_s": processed_per_s,
        "ratio": ratio,
        "processed_over_ack": round(processed_per_s / hook["per_s"], 3) if hook["per_s"] else None,
        "baseline_p50_ms": base["p50_ms"],
        "baseline_p99_ms": base["p99_ms"],
        "ack_cpu_ms_per_event": hook["cpu_ms_per_request"],
        "baseline_cpu_ms_per_insert": base["cpu_ms_per_request"],
        "cpu_ratio": cpu_ratio,
        "events": n,
        "clients": args.concurrency,
        "rounds": args.rounds,
        "workers": args.workers,
        "worker_class": args.worker_class,
        "threads_per_worker": args.threads if args.worker_class == "gthread" else 1,
        "celery_concurrency": args.celery_concurrency,
        "conn_max_age": args.conn_max_age,
        "runs": phases,
        "backlog_tasks_queued": queued,
        "drain_seconds": round(drain.seconds, 2),
        "drain_progress": drain.samples[:: max(1, len(drain.samples) // 40)],
        "celery_cpu_s": worker_cpu,
        "receipts_drained_after_s": receipts_s,
        "setup_donations_s": round(made_s, 1),
        "checks_passed": passed,
        "checks": lines,
        "machine": {**machine(), "postgresql": pg_version, "loadavg_1min": LOAD},
        "code": CODE,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    print(f"ratio ack/baseline: {hook['per_s']} / {baseline_per_s} = {ratio} (aim >= 0.5)")
    print(
        f"CPU ratio (baseline ms per insert / ms per event): {base['cpu_ms_per_request']}"
        f" / {hook['cpu_ms_per_request']} = {cpu_ratio}"
    )
    print(f"processed/ack: {processed_per_s} / {hook['per_s']} = {out['processed_over_ack']}")
    return out

"""The benchmarks run on production-like settings (fundraising.settings.local_production), and
every server and worker they start is told which: a process left to the default would load
fundraising.settings.production, which refuses the sandbox (see
tests/fundraising/test_production_settings.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench import ledger
from bench.webhooks.harness import Database
from bench.webhooks.runner import environment, parse

ROOT = Path(__file__).resolve().parents[2]
# What gunicorn (fundraising.wsgi) and the Celery worker (-A fundraising) load, read back.
PROBE = (
    "import json, sys, {entry}, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({{'module': s.SETTINGS_MODULE, 'debug': s.DEBUG, "
    "'local_production': 'fundraising.settings.local_production' in sys.modules, "
    "'csp': any('CSPMiddleware' in m for m in s.MIDDLEWARE), 'hsts': s.SECURE_HSTS_SECONDS, "
    "'secure_cookies': s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE, "
    "'demo': s.DEMO_DATA_ALLOWED}}))"
)


def probe(entry: str, env: dict[str, str]) -> dict:
    env = {k: v for k, v in env.items() if not k.startswith("PYTEST")}
    done = subprocess.run([sys.executable, "-c", PROBE.format(entry=entry)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_webhooks_benchmark_serves_and_drains_on_production_like_settings():
    args = parse([])
    env = environment(args, Database(args.pg, args.database), 12999, "whsec_bench_x")
    for entry in ("fundraising.wsgi", "fundraising.celery"):  # gunicorn, then the worker
        got = probe(entry, env)
        assert got["module"] == "bench.webhooks.settings" and got["local_production"]
        assert got["debug"] is False and got["csp"] and got["hsts"] and got["secure_cookies"]
        assert got["demo"] is True  # the runner seeds the demo campaigns


def test_the_ledger_benchmark_runs_on_production_like_settings():
    env = ledger._env("sqlite:////tmp/gotong-bench-settings-probe.sqlite3")
    env.pop("SECRET_KEY", None)  # bench/settings.py makes one per process
    got = probe("django", env)
    assert got["module"] == "bench.settings" and got["local_production"]
    assert got["debug"] is False and got["csp"]


def test_the_makefile_names_the_benchmarks_settings():
    makefile = (ROOT / "Makefile").read_text()
    assert "DJANGO_SETTINGS_MODULE=bench.settings $(PY) -m bench.ledger" in makefile
    assert "DJANGO_SETTINGS_MODULE=bench.webhooks.settings $(PY) -m bench.webhooks" in makefile
    assert os.path.exists(ROOT / "fundraising" / "settings" / "local_production.py")

"""`make fuzz`: Schemathesis against the OpenAPI schema, as each role, on a production-like
site, failing on any 5xx and on any answer the schema does not describe.

    python -m tests.fuzz.run [--examples N] [--seed S] [--roles anonymous,donor,...]

What runs (everything on 127.0.0.1, in its own folder under var/fuzz/, removed at the end):
- a fresh SQLite database, migrated and seeded with the demo data (`seed_demo`: one account
  per role, enterprises, live campaigns, gifts);
- the offline Stripe sandbox, and a local SMTP server catching the site's mail;
- the site under gunicorn with `fundraising.settings.local_production`: DEBUG off, the
  production headers and checks, so a crash is the 500 a donor would get;
- for each role (anonymous, donor, member, reviewer, treasurer, admin): a token from the
  token endpoint, then `schemathesis run` with at most N examples per operation, in the
  examples, coverage, fuzzing and stateful phases (one worker: Hypothesis's source
  inspection is not thread-safe on Python 3.11), checking not_a_server_error,
  status_code_conformance, content_type_conformance and response_schema_conformance.

Signed-in roles skip the two logout operations (they would revoke the token the run signs
with); the anonymous run covers them. Results: a summary per role on stdout and in
var/fuzz/summary.json (operations, test cases, requests, failures by kind, 5xx count), and
Schemathesis's own reports beside it. Exit 1 on any failure or error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
ROLES = {  # role: the demo account seed_demo creates for it (None: no credentials)
    "anonymous": None,
    "donor": "demo-donor",
    "member": "demo-member",
    "reviewer": "demo-reviewer",
    "treasurer": "demo-treasurer",
    "admin": "demo-admin",
}
DEMO_PASSWORD = "gotong-demo-2026"  # noqa: S105 - seed_demo's published demo password
CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance",
])  # fmt: skip
# Operations that end the run's own sign-in: fuzzed anonymously only.
SIGNED_IN_EXCLUDES = ["--exclude-path-regex", r"^/api/v1/auth/logout"]


def say(message: str) -> None:
    print(f"[fuzz {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our local server
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing answered at {url} in {seconds:.0f} s")


class Site:
    """The production-like site and what it needs, in `workdir`."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port, self.sandbox_port, self.smtp_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = workdir / "access.log"
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "fundraising.settings.local_production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": f"sqlite:///{workdir / 'fuzz.sqlite3'}",
            "REDIS_URL": "",
            "SITE_URL": self.url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "STRIPE_API_BASE": f"http://127.0.0.1:{self.sandbox_port}",
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *args: str) -> None:
        log = self.workdir / "setup.log"
        with log.open("ab") as out:
            subprocess.run(  # noqa: S603 - our own manage.py
                [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, stdout=out,
                stderr=subprocess.STDOUT, check=True,
            )  # fmt: skip

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        out = (self.workdir / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - fixed argv
            argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def up(self) -> None:
        say(f"setting up a fresh database and the demo data in {self.workdir}")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("seed_demo")
        smtp = self.start("smtp", [PYTHON, "-m", "aiosmtpd", "-n", "-l",
                                   f"127.0.0.1:{self.smtp_port}"])  # fmt: skip
        sandbox = self.start("sandbox", [
            PYTHON, "-m", "sandbox", "--host", "127.0.0.1", "--port", str(self.sandbox_port),
            "--webhook-url", f"{self.url}/webhooks/stripe/", "--webhook-secret", "whsec_sandbox",
            "--quiet",
        ])  # fmt: skip
        site = self.start("gunicorn", [
            str(BIN / "gunicorn"), "fundraising.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", "2", "--threads", "2", "--timeout", "60",
            "--access-logfile", str(self.access_log),
        ])  # fmt: skip
        wait_for(f"http://127.0.0.1:{self.sandbox_port}/", sandbox)
        wait_for(f"{self.url}/healthz", site)
        if smtp.poll() is not None:
            raise RuntimeError("the SMTP server did not start")
        say(f"site on {self.url} (gunicorn, local_production settings)")

    def down(self) -> None:
        for process in reversed(self.processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    def requests_served(self) -> int:
        """How many requests the site has answered so far (its access log's lines)."""
        if not self.access_log.exists():
            return 0
        with self.access_log.open("rb") as log:
            return sum(1 for _ in log)

    def token(self, username: str) -> str:
        data = urllib.parse.urlencode({"username": username, "password": DEMO_PASSWORD})
        url = f"{self.url}/api/v1/auth/token/"
        request = urllib.request.Request(url, data=data.encode())  # noqa: S310 - local
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - local
            return json.load(response)["token"]


def fuzz_role(
    site: Site, role: str, token: str | None, examples: int, seed: int, outdir: Path
) -> dict:
    argv = [
        str(BIN / "schemathesis"), "run", f"{site.url}/api/schema/",
        "--checks", CHECKS, "--max-examples", str(examples), "--seed", str(seed),
        "--phases", "examples,coverage,fuzzing,stateful", "--workers", "1", "--no-color",
        "--generation-database", "none", "--request-timeout", "30",
        "--report", "json", "--report-json-path", str(outdir / f"{role}.json"),
    ]  # fmt: skip
    if token is not None:
        argv += ["--header", f"Authorization: Token {token}"]
        argv += SIGNED_IN_EXCLUDES
    say(f"{role}: schemathesis, at most {examples} examples per operation")
    started, served = time.monotonic(), site.requests_served()
    with (outdir / f"{role}.txt").open("w") as out:
        done = subprocess.run(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False)  # noqa: S603
    summary = summarise(outdir / f"{role}.json")
    summary.update(role=role, exit_code=done.returncode, requests=site.requests_served() - served,
                   seconds=round(time.monotonic() - started, 1))  # fmt: skip
    say(f"{role}: {summary['operations']} operations, {summary['test_cases']} test cases, "
        f"{summary['requests']} requests, "
        f"{summary['failures']} failures ({summary['server_errors']} 5xx), "
        f"{summary['errors']} errors in {summary['seconds']} s")  # fmt: skip
    return summary


def summarise(report: Path) -> dict:
    """The figures of one Schemathesis JSON report."""
    data = json.loads(report.read_text()) if report.exists() else {}
    failures = data.get("failures", [])
    return {
        "operations": data.get("operations", {}).get("tested", 0),
        "test_cases": data.get("test_cases", {}).get("generated", 0),
        "failures": sum(f.get("count", 1) for f in failures),
        "server_errors": sum(f.get("count", 1) for f in failures
                             if f.get("title") == "Server error"),
        "failure_kinds": {f"{f.get('code')} {f.get('title')}": f.get("count", 1)
                          for f in failures},
        "failing_operations": sorted({op for f in failures for op in f.get("operations", [])}),
        "errors": len(data.get("errors", [])),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=int(os.environ.get("FUZZ_EXAMPLES", 25)))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", 0)) or None)
    parser.add_argument("--roles", default=",".join(ROLES))
    args = parser.parse_args()
    seed = args.seed or secrets.randbelow(2**63)
    roles = [r for r in args.roles.split(",") if r]
    unknown = set(roles) - set(ROLES)
    if unknown:
        parser.error(f"unknown roles: {', '.join(sorted(unknown))} (known: {', '.join(ROLES)})")
    outdir = ROOT / "var" / "fuzz"
    outdir.mkdir(parents=True, exist_ok=True)
    workdir = outdir / f"run-{os.getpid()}"
    workdir.mkdir()
    site = Site(workdir)
    started = time.monotonic()
    results = []
    try:
        site.up()
        # Every token first: the anonymous run spends the token endpoint's hourly allowance.
        tokens = {role: site.token(ROLES[role]) if ROLES[role] else None for role in roles}
        results = [fuzz_role(site, role, tokens[role], args.examples, seed, outdir)
                   for role in roles]  # fmt: skip
    finally:
        site.down()
        server_log = workdir / "gunicorn.log"
        if server_log.exists():
            shutil.copy(server_log, outdir / "gunicorn.log")
        shutil.rmtree(workdir, ignore_errors=True)
    total = {
        "seed": seed, "examples_per_operation": args.examples,
        "seconds": round(time.monotonic() - started, 1), "roles": results,
        "test_cases": sum(r["test_cases"] for r in results),
        "requests": sum(r["requests"] for r in results),
        "failures": sum(r["failures"] for r in results),
        "server_errors": sum(r["server_errors"] for r in results),
        "errors": sum(r["errors"] for r in results),
    }  # fmt: skip
    (outdir / "summary.json").write_text(json.dumps(total, indent=2) + "\n")
    say(f"all roles: {total['test_cases']} test cases, {total['requests']} requests, "
        f"{total['failures']} failures "
        f"({total['server_errors']} 5xx), {total['errors']} errors in {total['seconds']} s; "
        f"seed {seed}; reports in {outdir}")  # fmt: skip
    clean = all(r["exit_code"] == 0 for r in results) and len(results) == len(roles)
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())

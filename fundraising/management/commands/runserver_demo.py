"""``manage.py runserver_demo``: the site and the offline Stripe sandbox, together, offline.

The sandbox runs as a child process (``python -m sandbox``) with the site's webhook endpoint
registered under the first ``STRIPE_WEBHOOK_SECRET``; Django's runserver runs in the
foreground; the sandbox stops when the site does, Ctrl-C included.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

HOST = "127.0.0.1"
STARTUP_SECONDS = 10.0


def port_is_free(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the sandbox binds: a port left in TIME_WAIT by a previous run is free to use.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def wait_until_listening(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError("The Stripe sandbox exited at start-up (its error is above).")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise CommandError(f"The Stripe sandbox did not listen on {HOST}:{port} in time.")


class Command(BaseCommand):
    help = "Run the site on 127.0.0.1 with the offline Stripe sandbox beside it (the demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--sandbox-port", type=int, default=12111)
        parser.add_argument("--noreload", action="store_true", help="no autoreloader")

    def handle(self, *args: Any, **options: Any) -> None:
        port, sandbox_port = options["port"], options["sandbox_port"]
        sandbox_url = f"http://{HOST}:{sandbox_port}"
        # The site must talk to this sandbox; the reloader's child re-reads the environment.
        os.environ["STRIPE_API_BASE"] = sandbox_url
        settings.STRIPE_API_BASE = sandbox_url
        if os.environ.get("RUN_MAIN") == "true":
            # The autoreloader's child: the parent already started the sandbox.
            self._runserver(port, options["noreload"])
            return
        if not port_is_free(port):
            raise CommandError(f"Port {port} on {HOST} is busy: the site cannot start there.")
        sandbox = self._start_sandbox(port, sandbox_port)
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            self._banner(port, sandbox_url)
            self._runserver(port, options["noreload"])
        finally:
            signal.signal(signal.SIGTERM, previous)
            self._stop(sandbox)

    def _start_sandbox(self, port: int, sandbox_port: int) -> subprocess.Popen[bytes]:
        if not port_is_free(sandbox_port):
            raise CommandError(
                f"Port {sandbox_port} on {HOST} is busy, so the Stripe sandbox cannot start. "
                f"Another sandbox or demo may still be running: stop it, or choose another "
                f"port with --sandbox-port (make run SANDBOX_PORT=...)."
            )
        command = [
            sys.executable, "-m", "sandbox", "--host", HOST, "--port", str(sandbox_port),
            "--webhook-url", f"http://{HOST}:{port}/webhooks/stripe/",
            "--webhook-secret", settings.STRIPE_WEBHOOK_SECRET[0],
            "--settlement-currency", settings.STRIPE_SETTLEMENT_CURRENCY,
            "--quiet", "--parent-pid", str(os.getpid()),
        ]  # fmt: skip
        process = subprocess.Popen(command, cwd=settings.BASE_DIR)  # noqa: S603 - fixed argv
        wait_until_listening(process, sandbox_port)
        return process

    def _banner(self, port: int, sandbox_url: str) -> None:
        site = f"http://{HOST}:{port}"
        lines = [
            "Gotong demo, offline:",
            f"  site            {site}/",
            f"  admin           {site}/admin/",
            f"  API docs        {site}/api/docs/",
            f"  Stripe sandbox  {sandbox_url}  (webhooks to {site}/webhooks/stripe/)",
            "  test cards      4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined,",
            "                  4000 0000 0000 1111 pays later (settle with the sandbox's helper)",
            "Stop with Ctrl-C; the sandbox stops with the site.",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))

    def _runserver(self, port: int, noreload: bool) -> None:
        call_command("runserver", f"{HOST}:{port}", use_reloader=not noreload)

    def _stop(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.stdout.write("Stripe sandbox stopped.")


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)

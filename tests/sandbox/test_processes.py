"""The sandbox as a process (``python -m sandbox``) and the demo command that starts it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import stripe

from tests.fixtures.sandbox import WebhookReceiver

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_sandbox_runs_as_a_subprocess_and_signs_with_the_given_secret():
    port, receiver = _free_port(), WebhookReceiver()
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", str(port), "--webhook-url", receiver.url,
         "--webhook-secret", "whsec_cli", "--settlement-currency", "SGD", "--fast-retries",
         "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_for(port, process)
        client = stripe.StripeClient(
            "sk_test_cli", base_addresses={"api": f"http://127.0.0.1:{port}"}
        )
        pi = client.v1.payment_intents.create(
            params={"amount": 1000, "currency": "sgd", "payment_method": "pm_card_visa",
                    "confirm": True, "expand": ["latest_charge.balance_transaction"]}
        )  # fmt: skip
        txn = pi.latest_charge.balance_transaction
        assert (txn.currency, txn.fee) == ("sgd", 84)  # 3.4% + S$0.50
        client.raw_request("post", "/v1/test_helpers/webhooks/flush")
        delivery = receiver.received[0]
        event = stripe.Webhook.construct_event(
            delivery["body"], delivery["headers"]["Stripe-Signature"], "whsec_cli"
        )
        assert event.type == "charge.succeeded"
    finally:
        _stop(process)
        receiver.stop()
    assert process.returncode is not None


def _demo(*args: str, tmp: Path) -> subprocess.Popen:
    # The demo gets a database of its own: the suite's DATABASE_URL names a database that
    # only exists under pytest's "test_" name while the suite runs.
    database = f"sqlite:///{tmp / 'demo.sqlite3'}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "DATABASE_URL": database}
    return subprocess.Popen(
        [sys.executable, "manage.py", "runserver_demo", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def test_demo_refuses_a_busy_sandbox_port_clearly(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = _demo(
            "--port", str(_free_port()), "--sandbox-port", str(port), "--noreload", tmp=tmp_path
        )
        output, _ = process.communicate(timeout=60)
    assert process.returncode != 0
    assert f"Port {port} on 127.0.0.1 is busy" in output


def test_demo_starts_site_and_sandbox_and_stops_both(tmp_path):
    site_port, sandbox_port = _free_port(), _free_port()
    process = _demo(
        "--port", str(site_port), "--sandbox-port", str(sandbox_port), "--noreload", tmp=tmp_path
    )
    try:
        _wait_for(sandbox_port, process, 30)
        _wait_for(site_port, process, 60)
        with urllib.request.urlopen(f"http://127.0.0.1:{site_port}/healthz") as health:  # noqa: S310
            assert health.status == 200
        client = stripe.StripeClient(
            "sk_test_demo", base_addresses={"api": f"http://127.0.0.1:{sandbox_port}"}
        )
        endpoints = client.v1.webhook_endpoints.list().data
        assert endpoints[0].url == f"http://127.0.0.1:{site_port}/webhooks/stripe/"
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{site_port}/admin/" in output
    assert f"http://127.0.0.1:{sandbox_port}" in output
    assert "Stripe sandbox stopped." in output
    with pytest.raises(ConnectionRefusedError):  # the sandbox is gone with the site
        socket.create_connection(("127.0.0.1", sandbox_port), timeout=1).close()


def test_sandbox_says_clearly_when_its_port_is_busy():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "sandbox", "--port", str(port), "--quiet"],
            cwd=ROOT, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr


def test_sandbox_stops_when_its_parent_dies_outright():
    port = _free_port()
    wrapper = (
        "import os, socket, subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-m', 'sandbox', '--port', '{port}', '--quiet',"
        " '--parent-pid', str(os.getpid())], stdout=subprocess.DEVNULL)\n"
        "for _ in range(200):\n"
        "    try:\n"
        f"        socket.create_connection(('127.0.0.1', {port}), timeout=0.2).close()\n"
        "        print('up', flush=True)\n"
        "        break\n"
        "    except OSError:\n"
        "        time.sleep(0.05)\n"
        "os._exit(1)\n"  # as Django's runserver does when its own port is taken
    )
    ran = subprocess.run(
        [sys.executable, "-c", wrapper], cwd=ROOT, timeout=30, capture_output=True, text=True
    )
    assert ran.stdout.strip() == "up"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            return
        time.sleep(0.1)
    raise AssertionError("the orphaned sandbox is still listening")


def test_demo_refuses_a_busy_site_port_before_starting_the_sandbox(tmp_path):
    sandbox_port = _free_port()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = _demo(
            "--port", str(port), "--sandbox-port", str(sandbox_port), "--noreload", tmp=tmp_path
        )
        output, _ = process.communicate(timeout=60)
    assert process.returncode != 0 and f"Port {port} on 127.0.0.1 is busy" in output
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", sandbox_port), timeout=1).close()


def test_the_sandbox_stands_apart_from_django_and_the_project():
    probe = (
        "import sys, sandbox.server, sandbox.__main__\n"
        "apps = ('django', 'rest_framework', 'fundraising', 'campaigns', 'donors', 'ledger',"
        " 'webhooks')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in apps))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    ran = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"

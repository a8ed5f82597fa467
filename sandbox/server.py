"""The HTTP server: Stripe's request conventions around the route handlers.

Every API request runs under the store's lock, so the sandbox behaves as one consistent
account; the webhook sender works on its own thread and never takes that lock, and the
flush endpoint waits outside it (the service under test calls back while it waits).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import socket
import threading
import time
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sandbox import api, checkout_page, forms, receipt_pages
from sandbox.config import SandboxConfig
from sandbox.errors import StripeError, invalid_request, unauthorized
from sandbox.objects import clock
from sandbox.state import API_VERSION, RequestContext, Store
from sandbox.webhooks import WebhookSender

api.load_all()
FLUSH_PATH = "/v1/test_helpers/webhooks/flush"


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], store: Store, sender: WebhookSender) -> None:
        super().__init__(address, Handler)
        self.store = store
        self.sender = sender


class Handler(BaseHTTPRequestHandler):
    server: SandboxHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "StripeSandbox/1.0"
    _replayed = False

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    @property
    def base_url(self) -> str:
        configured = self.server.store.config.public_url
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        return configured or f"http://{host}"

    def _dispatch(self, method: str) -> None:
        path, _, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        self._replayed = False
        if path.startswith(("/receipts/", "/invoices/")):
            self._reply_page(*receipt_pages.handle(self.server.store, path))
            return
        if path.startswith("/c/pay/"):
            server = self.server
            page = checkout_page.handle(server.store, server.sender, method, path, body)
            self._reply_page(*page)
            return
        request_id = "req_" + secrets.token_hex(7)
        try:
            status, payload = self._api(
                method, path, query if method != "POST" else body, request_id
            )
        except StripeError as error:
            status, payload = error.status, json.dumps(error.body(request_id), indent=2).encode()
        except Exception:  # a bug in the sandbox: answer as Stripe does, and show it
            traceback.print_exc()
            failure = StripeError(500, "api_error", "The Stripe sandbox failed on this request.")
            status, payload = 500, json.dumps(failure.body(request_id)).encode()
        self._reply(status, payload, request_id)

    def _api(self, method: str, path: str, raw: str, request_id: str) -> tuple[int, bytes]:
        self._authenticate()
        params = forms.parse(raw)
        if path == FLUSH_PATH and method == "POST":
            return 200, _flush(self.server.sender, params)
        found = api.resolve(method, path)
        if found is None:
            raise StripeError(
                404, "invalid_request_error", f"Unrecognized request URL ({method}: {path})."
            )
        key = self.headers.get("Idempotency-Key") if method != "GET" else None
        store = self.server.store
        with store.lock:
            return _idempotent(self, store, key, (method, path, params), found, request_id)

    def _authenticate(self) -> None:
        header = self.headers.get("Authorization", "")
        scheme, _, credential = header.partition(" ")
        if scheme.lower() == "basic":
            try:
                credential = base64.b64decode(credential).decode(errors="replace").split(":")[0]
            except ValueError:
                raise unauthorized("Invalid Basic authorization header.") from None
        elif scheme.lower() != "bearer":
            raise unauthorized("You did not provide an API key. Use Bearer auth with sk_test_...")
        if not credential.startswith("sk_test_"):
            shown = credential[:8] + "*" * max(0, len(credential) - 12) + credential[-4:]
            raise unauthorized(f"Invalid API Key provided: {shown}")

    def _reply(self, status: int, payload: bytes, request_id: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Request-Id", request_id)
        self.send_header("Stripe-Version", API_VERSION)
        if self._replayed:
            self.send_header("Idempotent-Replayed", "true")
        self.end_headers()
        self.wfile.write(payload)

    def _reply_page(self, status: int, html: str, location: str | None) -> None:
        data = html.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(data)


def _idempotent(
    handler: Handler,
    store: Store,
    key: str | None,
    request: tuple[str, str, dict[str, Any]],
    found: tuple[api.Handler, tuple[str, ...]],
    request_id: str,
) -> tuple[int, bytes]:
    """Run the request once per Idempotency-Key; a repeat with the same params replays it."""
    fingerprint = json.dumps(request, sort_keys=True)
    if key and key in store.idempotency:
        seen, status, payload = store.idempotency[key]
        if seen != fingerprint:
            raise StripeError(
                400,
                "idempotency_error",
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                "execute a different request.",
            )
        handler._replayed = True
        return status, payload
    status, payload = _run(handler, store, request, found, request_id, key)
    if key:
        store.idempotency[key] = (fingerprint, status, payload)
    return status, payload


def _run(
    handler: Handler,
    store: Store,
    request: tuple[str, str, dict[str, Any]],
    found: tuple[api.Handler, tuple[str, ...]],
    request_id: str,
    key: str | None,
) -> tuple[int, bytes]:
    method, path, params = request
    route_handler, args = found
    store.context = RequestContext(request_id if method != "GET" else None, key)
    clock.run_due(store)
    expand = [str(e) for e in forms.as_list(params.get("expand"))]
    call = api.Call(store, handler.server.sender, params, args, handler.base_url, path, expand)
    try:
        status, body = 200, route_handler(call)
    except StripeError as error:
        status, body = error.status, error.body(request_id)
    finally:
        handler.server.sender.enqueue(store.outbox)
        store.outbox = []
        store.context = RequestContext()
    return status, json.dumps(body, indent=2).encode()


def _flush(sender: WebhookSender, params: dict[str, Any]) -> bytes:
    if sender.config.hold:
        raise invalid_request("Webhook deliveries are held; release them before flushing.")
    timeout = float(params.get("timeout") or 30)
    empty = sender.flush(timeout)
    with sender.cond:
        status = {**sender.status(), "empty": empty}
    return json.dumps(status).encode()


@dataclass
class SandboxHandle:
    """A running sandbox: its address, its state and a way to stop it."""

    url: str
    port: int
    store: Store
    sender: WebhookSender
    httpd: SandboxHTTPServer
    thread: threading.Thread

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.sender.stop()
        self.thread.join(timeout=5)


def start(
    port: int = 0, host: str = "127.0.0.1", config: SandboxConfig | None = None
) -> SandboxHandle:
    """Start a sandbox in a background thread (``port=0`` picks a free port)."""
    config = config or SandboxConfig()
    store = Store(config)
    sender = WebhookSender(config)
    httpd = SandboxHTTPServer((host, port), store, sender)
    bound = httpd.server_address[1]
    reachable = "127.0.0.1" if host in {"", "0.0.0.0"} else host
    store.base_url = config.public_url or f"http://{reachable}:{bound}"
    sender.start()
    thread = threading.Thread(target=httpd.serve_forever, name="sandbox-http", daemon=True)
    thread.start()
    return SandboxHandle(f"http://{host}:{bound}", bound, store, sender, httpd, thread)


def serve(
    port: int, host: str, config: SandboxConfig, verbose: bool = True, parent: int | None = None
) -> None:
    """Run in the foreground until interrupted (``python -m sandbox``), or, given ``parent``,
    until that process is gone (a parent killed outright cannot stop its sandbox itself)."""
    handle = start(port, host, config)
    handle.httpd.verbose = verbose  # type: ignore[attr-defined]
    print(f"Stripe sandbox listening on {handle.url}", flush=True)
    try:
        while handle.thread.is_alive() and (parent is None or os.getppid() == parent):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        handle.stop()

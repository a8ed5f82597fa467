"""Who is asking: the client's address, as far as the site can trust it.

Every rate limit and lockout keys on `client_ip(request)` (the donation limit, the login
lockout through AXES_CLIENT_IP_CALLABLE, the API's throttles), so they all agree.

X-Forwarded-For is whatever the client wrote, with one address appended by each proxy it
went through. Only the proxies we run are trusted (TRUSTED_PROXY_COUNT of them, in a row in
front of the site): each appends the address it was reached from, so the client is the
entry the outermost one appended, TRUSTED_PROXY_COUNT places from the right. Everything to
its left is the client's own claim and is ignored. With no trusted proxy (the default) the
header is ignored entirely and the peer's address (REMOTE_ADDR) is the client's.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import ScopedRateThrottle


def client_ip(request: HttpRequest) -> str:
    """The client's IP address ("" when the server gave none)."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(hops) < proxies:  # not through the proxies as configured: trust only the peer
        return peer
    try:
        return str(ipaddress.ip_address(hops[-proxies].strip()))
    except ValueError:  # a trusted proxy would have written an address
        return peer


class ClientRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, counting per `client_ip` rather than DRF's own reading of
    X-Forwarded-For (which, without NUM_PROXIES, trusts the whole header)."""

    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"

"""The client's address: the peer's, unless trusted proxies stand in front of the site."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from common.clients import client_ip


def request(remote: str = "10.0.0.1", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request("198.51.100.7", "203.0.113.1, 203.0.113.2")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # One proxy appended the address it was reached from: the right-most entry.
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "192.0.2.66, 203.0.113.9", "203.0.113.9"),
        # Two: the outer one appended the client, the inner one the outer proxy.
        (2, "192.0.2.66, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "192.0.2.66,2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_address_is_the_client(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_ip(request("10.0.0.1", forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", "203.0.113.9", "not-an-address, 10.0.0.2"])
def test_a_chain_the_proxies_did_not_write_falls_back_to_the_peer(settings, forwarded):
    # Fewer entries than trusted proxies, or garbage where a proxy should have written an
    # address: the request did not come through the proxies as configured.
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request("10.0.0.1", forwarded)) == "10.0.0.1"

"""The donation rate limit: it counts the checkouts a client really started, at the address
the trusted proxies saw, so a forged X-Forwarded-For neither escapes it nor a typo trips it."""

from __future__ import annotations

import pytest
from django.test import override_settings

from donors.models import Donation
from payments import get_provider

pytestmark = pytest.mark.usefixtures("tx")
GOOD = {"amount": "50", "email": "siti@example.org", "name": "Siti", "country": "MY"}


def url(campaign) -> str:
    return f"/api/v1/campaigns/{campaign.slug}/donations/"


@override_settings(DONATION_RATE_LIMIT=(3, 600), TRUSTED_PROXY_COUNT=0)
def test_a_forged_x_forwarded_for_does_not_escape_the_donation_limit(api, stripe_env, campaign):
    # Without a trusted proxy the header is the client's own words: each request claims
    # another address, but they all come from the same peer.
    codes = [api.post(url(campaign), GOOD, format="json", REMOTE_ADDR="198.51.100.7",
                      HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
             for n in range(4)]  # fmt: skip

    assert codes == [201, 201, 201, 429]
    assert Donation.objects.count() == 3


@override_settings(DONATION_RATE_LIMIT=(3, 600), TRUSTED_PROXY_COUNT=1)
def test_behind_one_trusted_proxy_the_limit_counts_the_address_the_proxy_saw(
    api, stripe_env, campaign
):
    # The proxy (10.0.0.1) appends the address it was reached from; whatever the client
    # wrote to the left of it is ignored.
    def give(forged: str, client: str) -> int:
        return api.post(url(campaign), GOOD, format="json", REMOTE_ADDR="10.0.0.1",
                        HTTP_X_FORWARDED_FOR=f"{forged}, {client}").status_code  # fmt: skip

    codes = [give(f"192.0.2.{n}", "203.0.113.5") for n in range(4)]

    assert codes == [201, 201, 201, 429]
    # Another donor behind the same proxy is counted apart.
    assert give("203.0.113.5", "203.0.113.6") == 201


@override_settings(DONATION_RATE_LIMIT=(3, 600))
def test_mistyped_gifts_do_not_lock_a_donor_out(api, stripe_env, campaign):
    mistakes = [{"amount": "1.50"}, {"amount": "10.555"}, {"email": "siti@"}, {"country": "M1"}]
    for n in range(10):
        response = api.post(url(campaign), {**GOOD, **mistakes[n % len(mistakes)]},
                            format="json", REMOTE_ADDR="198.51.100.9")  # fmt: skip
        assert response.status_code == 400, response.json()

    codes = [api.post(url(campaign), GOOD, format="json", REMOTE_ADDR="198.51.100.9").status_code
             for _ in range(4)]  # fmt: skip

    assert codes == [201, 201, 201, 429]


@override_settings(DONATION_RATE_LIMIT=(2, 600))
def test_a_checkout_the_provider_refused_does_not_count(api, settings, stripe_env, campaign):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    get_provider.cache_clear()
    for _ in range(3):
        response = api.post(url(campaign), GOOD, format="json", REMOTE_ADDR="198.51.100.10")
        assert response.status_code == 503

    settings.STRIPE_API_BASE = stripe_env.url
    get_provider.cache_clear()
    codes = [api.post(url(campaign), GOOD, format="json", REMOTE_ADDR="198.51.100.10").status_code
             for _ in range(3)]  # fmt: skip

    assert codes == [201, 201, 429]

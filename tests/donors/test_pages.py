"""The donor's pages: thank-you (refreshing until the webhook confirms), cancel, wall."""

from __future__ import annotations

import pytest

from tests.fixtures.giving import start

pytestmark = pytest.mark.usefixtures("tx")


def test_thank_you_refreshes_while_pending_then_shows_the_confirmation(client, gift, deliver):
    g = gift(amount="75")
    url = f"/donations/{g.donation.reference}/thank-you/"
    pending = client.get(url).content.decode()
    assert 'http-equiv="refresh"' in pending and 'data-status="pending"' in pending
    deliver.send("checkout.session.completed", g.session())
    done = client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in done and 'data-status="succeeded"' in done
    assert "RM 75.00" in done


def test_thank_you_in_the_donors_language(client, gift, deliver):
    g = gift(amount="75")
    deliver.send("checkout.session.completed", g.session())
    page = client.get(f"/donations/{g.donation.reference}/thank-you/",
                      HTTP_ACCEPT_LANGUAGE="id")  # fmt: skip
    html = page.content.decode()
    assert "Terima kasih atas" in html and "Thank you for your gift!" not in html


def test_cancel_page_and_unknown_reference(client, stripe_env, campaign):
    d = start(campaign)
    assert (
        b"You cancelled the payment" in client.get(f"/donations/{d.reference}/cancelled/").content
    )
    missing = "/donations/00000000-0000-0000-0000-000000000000/thank-you/"
    assert client.get(missing).status_code == 404


def test_donor_wall_shows_name_or_anonymous_and_message(client, api, gift, deliver, campaign):
    named = gift(amount="30", name="Rahim", message="For the farmers")
    hidden = gift(amount="40", name="Secret Person", anonymous=True, message="Keep going")
    for g in (named, hidden):
        deliver.send("checkout.session.completed", g.session())
    html = client.get(f"/campaigns/{campaign.slug}/").content.decode()
    assert "Rahim" in html and "For the farmers" in html
    assert "Anonymous" in html and "Secret Person" not in html and "Keep going" in html
    wall = api.get(f"/api/v1/campaigns/{campaign.slug}/donor-wall/").json()
    assert {w["name"] for w in wall} == {"Rahim", "Anonymous"}
    assert [w["amount"] for w in wall if w["name"] == "Anonymous"] == [None]
    status = api.get(f"/api/v1/donations/{named.donation.reference}/").json()
    assert status["status"] == "succeeded" and "email" not in status

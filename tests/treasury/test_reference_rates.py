"""Any enabled currency: the secretariat's reference rates count a gift in a campaign's
raised total when the donor gave in another currency than the campaign's."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from django.utils import timezone
from moneyed import Money

from campaigns.models import Campaign
from common.errors import ApplicationError, Conflict
from donors import selectors as donor_selectors
from donors.models import Donation, DonationStatus
from donors.services.common import campaign_share, share_of
from payments.types import BalanceTransaction
from tests.factories import CampaignFactory
from tests.webhooks.test_events import thrice
from treasury import selectors
from treasury.models import ReferenceRate
from treasury.services.rates import reference_rate_publish

TODAY = timezone.localdate
RATES = "/api/v1/exchange-rates/"


def publish(actor, currency: str, rate: str, days: int = 0) -> ReferenceRate:
    return reference_rate_publish(actor=actor, currency=currency, rate=Decimal(rate),
                                  effective_date=TODAY() + dt.timedelta(days=days))  # fmt: skip


def donations_url(campaign) -> str:
    return f"/api/v1/campaigns/{campaign.slug}/donations/"


GOOD = {"amount": "25", "email": "ana@example.org", "name": "Ana", "country": "US"}


# --- publishing and reading rates ------------------------------------------------------
def test_the_treasurer_publishes_and_anyone_signed_in_reads(api, treasurer, donor, db):
    api.force_authenticate(treasurer)
    day = (TODAY() - dt.timedelta(days=3)).isoformat()
    made = api.post(RATES, {"currency": "idr", "rate": "0.000253", "effective_date": day},
                    format="json")  # fmt: skip
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["currency"] == "IDR" and Decimal(body["rate"]) == Decimal("0.000253")
    assert body["book_currency"] == "MYR" and body["recorded_by"] == "treasurer"
    api.force_authenticate(donor)
    listed = api.get(RATES).json()
    assert [r["currency"] for r in listed["results"]] == ["IDR"]
    assert api.post(RATES, {"currency": "THB", "rate": "0.13", "effective_date": day},
                    format="json").status_code == 403  # fmt: skip
    api.force_authenticate(None)
    assert api.get(RATES).status_code in (401, 403)
    assert ReferenceRate.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"currency": "MYR", "rate": "1"}, 400, "currency"),
        ({"currency": "XYZ", "rate": "0.5"}, 400, "currency"),
        ({"currency": "USD", "rate": "0"}, 400, "rate"),
        ({"currency": "USD", "rate": "-4.2"}, 400, "rate"),
        ({"currency": "USD", "rate": "4.2", "effective_date": "soon"}, 400, "effective_date"),
    ],
)  # fmt: skip
def test_bad_rates_are_refused(api, treasurer, data, status, field):
    api.force_authenticate(treasurer)
    response = api.post(RATES, {"effective_date": TODAY().isoformat(), **data}, format="json")
    assert response.status_code == status and field in response.json()["fields"]
    assert not ReferenceRate.objects.exists()


def test_a_published_rate_is_never_replaced(api, treasurer):
    publish(treasurer, "USD", "4.2000")
    api.force_authenticate(treasurer)
    again = api.post(RATES, {"currency": "USD", "rate": "9.99",
                             "effective_date": TODAY().isoformat()}, format="json")  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "rate_exists"
    assert ReferenceRate.objects.get().rate == Decimal("4.2")


def test_only_the_treasurer_may_publish_through_the_service(donor):
    with pytest.raises(ApplicationError) as caught:
        publish(donor, "USD", "4.2")
    assert caught.value.status_code == 403


def test_the_rate_in_force_is_the_latest_published_on_or_before_the_day(api, treasurer):
    old, current, _future = (publish(treasurer, "IDR", r, d) for r, d in
                             (("0.00025", -30), ("0.000253", -2), ("0.00030", 5)))  # fmt: skip
    publish(treasurer, "USD", "4.2", -1)
    assert selectors.reference_rate_in_force(currency="IDR", on=TODAY()) == current
    assert selectors.reference_rate_in_force(currency="idr", on=TODAY() - dt.timedelta(10)) == old
    assert selectors.reference_rate_in_force(currency="IDR", on=TODAY() - dt.timedelta(31)) is None
    api.force_authenticate(treasurer)
    in_force = api.get(RATES, {"on": TODAY().isoformat()}).json()["results"]
    assert [(r["currency"], Decimal(r["rate"])) for r in in_force] == [
        ("IDR", Decimal("0.000253")), ("USD", Decimal("4.2"))]  # fmt: skip
    assert len(api.get(RATES, {"currency": "IDR"}).json()["results"]) == 3


def test_the_api_is_documented(api, treasurer):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    path = schema["paths"]["/api/v1/exchange-rates/"]
    assert path["get"]["operationId"] == "exchange_rate_list"
    assert path["post"]["operationId"] == "exchange_rate_publish"
    assert {"201", "400", "403", "409"} <= set(path["post"]["responses"])


def test_the_admin_publishes_through_the_service_and_changes_nothing(client, treasurer):
    client.force_login(treasurer)
    add = "/admin/treasury/referencerate/add/"
    assert client.get(add).status_code == 200
    response = client.post(add, {"currency": "THB", "rate": "0.1292",
                                 "effective_date": TODAY().isoformat()})  # fmt: skip
    assert response.status_code == 302
    rate = ReferenceRate.objects.get()
    assert rate.recorded_by == treasurer and rate.rate == Decimal("0.1292")
    again = client.post(add, {"currency": "THB", "rate": "0.5",
                              "effective_date": TODAY().isoformat()})  # fmt: skip
    assert again.status_code == 200 and "already published" in again.content.decode()
    change = client.get(f"/admin/treasury/referencerate/{rate.pk}/change/")
    assert change.status_code == 200 and b'name="rate"' not in change.content
    assert client.post(f"/admin/treasury/referencerate/{rate.pk}/delete/").status_code == 403
    assert ReferenceRate.objects.get().rate == Decimal("0.1292")


def test_others_do_not_see_the_rates_in_the_admin(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/admin/treasury/referencerate/").status_code == 403


# --- which currencies a campaign takes --------------------------------------------------
@pytest.mark.usefixtures("tx")
def test_a_campaign_in_another_currency_needs_its_rate_for_other_currencies(
    api, stripe_env, treasurer
):
    campaign = CampaignFactory(goal=Money(Decimal("50000000"), "IDR"))
    own = api.post(donations_url(campaign), {**GOOD, "amount": "100000", "currency": "IDR"},
                   format="json")  # fmt: skip
    assert own.status_code == 201
    for currency, amount in (("USD", "25"), ("MYR", "50")):
        data = {**GOOD, "amount": amount, "currency": currency}
        refused = api.post(donations_url(campaign), data, format="json")
        assert refused.status_code == 400, currency
        assert f"not taken in {currency}" in refused.json()["fields"]["currency"][0]
    publish(treasurer, "IDR", "0.000253", days=1)  # not in force yet
    assert api.post(donations_url(campaign), {**GOOD, "currency": "USD"},
                    format="json").status_code == 400  # fmt: skip
    publish(treasurer, "IDR", "0.000252")
    taken = [
        api.post(
            donations_url(campaign), {**GOOD, "amount": a, "currency": c}, format="json"
        ).status_code
        for a, c in (("25", "USD"), ("50", "MYR"))
    ]
    assert taken == [201, 201]


@pytest.mark.usefixtures("tx")
def test_only_enabled_currencies_are_taken(api, stripe_env, settings, treasurer):
    settings.DONATION_CURRENCIES = ["MYR", "IDR", "USD"]
    campaign = CampaignFactory(goal=Money(Decimal("50000000"), "IDR"))
    publish(treasurer, "IDR", "0.000252")
    refused = api.post(donations_url(campaign), {**GOOD, "amount": "3000", "currency": "JPY"},
                       format="json")  # fmt: skip
    message = refused.json()["fields"]["currency"][0]
    assert refused.status_code == 400 and "not taken in JPY" in message
    assert "IDR, MYR, USD" in message
    assert not Donation.objects.exists()


# --- counting in the campaign's currency -------------------------------------------------
def _bt(gross: str, created: dt.datetime, currency: str = "MYR") -> BalanceTransaction:
    zero = Money(0, currency)
    return BalanceTransaction(id="txn_x", gross=Money(Decimal(gross), currency), fee=zero,
                              net=zero, exchange_rate=None, created=created)  # fmt: skip


def test_the_settled_gross_is_converted_at_the_rate_of_the_settlement_day(treasurer):
    campaign = CampaignFactory(goal=Money(Decimal("5000000"), "JPY"))
    publish(treasurer, "JPY", "0.02", days=-3)
    publish(treasurer, "JPY", "0.04", days=-1)
    gift = Donation(campaign=campaign, amount=Money(10, "USD"))
    # 12.5 JPY and 13.5 JPY: half-even keeps the even yen.
    three_days_ago = timezone.make_aware(dt.datetime.combine(TODAY() - dt.timedelta(3),
                                                             dt.time(12)))  # fmt: skip
    assert campaign_share(gift, campaign, _bt("0.25", three_days_ago))[0] == Money(12, "JPY")
    share, rate = campaign_share(gift, campaign, _bt("0.27", three_days_ago))
    assert share == Money(14, "JPY") and rate.rate == Decimal("0.02")
    # 23:30 UTC yesterday is already today in Kuala Lumpur: the day is the secretariat's.
    late = timezone.make_aware(dt.datetime.combine(TODAY() - dt.timedelta(2), dt.time(23, 30)),
                               dt.UTC)  # fmt: skip
    assert campaign_share(gift, campaign, _bt("0.40", late))[1].rate == Decimal("0.04")


def test_identity_in_myr_and_the_donors_own_amount_in_the_campaigns_currency(treasurer):
    myr = CampaignFactory()
    now = timezone.now()
    assert campaign_share(Donation(amount=Money(25, "USD")), myr, _bt("104.765", now)) == (
        Money(Decimal("104.76"), "MYR"), None)  # fmt: skip
    idr = CampaignFactory(goal=Money(Decimal("50000000"), "IDR"))
    same = Donation(amount=Money(Decimal("150000"), "IDR"))
    assert campaign_share(same, idr, _bt("37.95", now)) == (Money(150000, "IDR"), None)
    with pytest.raises(Conflict) as missing:
        campaign_share(Donation(amount=Money(25, "USD")), idr, _bt("105", now))
    assert missing.value.code == "reference_rate_missing"


def test_a_partial_share_is_proportional_and_the_last_takes_the_rest():
    gift = Donation(
        amount=Money(25, "USD"),
        refunded_amount=Money(0, "USD"),
        counted=Money(Decimal("414624.51"), "IDR"),
        status=DonationStatus.SUCCEEDED,
    )
    first = share_of(gift, Money(10, "USD"))
    expected = (Decimal("414624.51") * 10 / 25).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
    assert first == Money(expected, "IDR")
    gift.refunded_amount = Money(10, "USD")
    gift.counted = Money(Decimal("414624.51") - expected, "IDR")
    assert share_of(gift, Money(15, "USD")) == gift.counted


@pytest.mark.usefixtures("tx")
def test_a_usd_gift_to_an_idr_campaign_counts_at_the_reference_rate_and_refunds_exactly(
    gift, deliver, treasurer, api
):
    campaign = CampaignFactory(goal=Money(Decimal("50000000"), "IDR"))
    publish(treasurer, "IDR", "0.000240", days=-30)
    rate = publish(treasurer, "IDR", "0.000253", days=-1)
    publish(treasurer, "IDR", "0.000300", days=2)  # not in force when the gift settles
    g = gift(campaign=campaign, amount="25", currency="USD", country="US")
    thrice(deliver, "checkout.session.completed", g.session())
    d = g.refresh()
    assert d.status == DonationStatus.SUCCEEDED and str(d.settled_amount.currency) == "MYR"
    expected = (d.settled_amount.amount / Decimal("0.000253")).quantize(
        Decimal("0.01"), ROUND_HALF_EVEN
    )
    assert d.campaign_amount == d.counted == Money(expected, "IDR")
    assert d.reference_rate == rate
    api.force_authenticate(treasurer)
    [row] = api.get("/api/v1/donations/", {"campaign": campaign.slug}).json()["results"]
    assert row["campaign_amount"] == {"amount": f"{expected:f}", "currency": "IDR"}
    assert Decimal(row["reference_rate"]) == Decimal("0.000253")
    assert row["reference_rate_date"] == rate.effective_date.isoformat()
    c = Campaign.objects.get(pk=campaign.pk)
    assert c.raised == Money(expected, "IDR") and c.donor_count == 1
    g.refund("1000")  # USD 10 of 25
    thrice(deliver, "charge.refunded", g.charge())
    part = (expected * 10 / 25).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
    assert Campaign.objects.get(pk=campaign.pk).raised == Money(expected - part, "IDR")
    thrice(deliver, "refund.updated", g.refund())
    d = g.refresh()
    c = Campaign.objects.get(pk=campaign.pk)
    assert d.status == DonationStatus.REFUNDED and d.counted == Money(0, "IDR")
    assert c.raised == Money(0, "IDR") and c.donor_count == 0
    assert d.campaign_amount == Money(expected, "IDR")  # what it counted when it settled
    assert donor_selectors.campaign_raised_recomputed(campaign=c) == c.raised


@pytest.mark.usefixtures("tx")
def test_a_lost_dispute_takes_the_converted_gift_off_exactly(gift, deliver, treasurer,
                                                               stripe_env):  # fmt: skip
    campaign = CampaignFactory(goal=Money(Decimal("5000000"), "JPY"))
    publish(treasurer, "JPY", "0.0276")
    g = gift(campaign=campaign, amount="3000", currency="THB", country="TH")
    deliver.send("checkout.session.completed", g.session())
    d = g.refresh()
    assert d.counted.amount > 0 and d.counted.amount == d.counted.amount.to_integral_value()
    assert Campaign.objects.get(pk=campaign.pk).raised == d.counted
    dispute = g.dispute()
    deliver.send("charge.dispute.created", dispute)
    deliver.send("charge.dispute.funds_withdrawn", dispute)
    stripe_env.lose(dispute["id"])
    deliver.send("charge.dispute.closed", dispute)
    c = Campaign.objects.get(pk=campaign.pk)
    assert g.refresh().status == DonationStatus.DISPUTE_LOST
    assert c.raised == Money(0, "JPY") and c.donor_count == 0


def test_demo_rates_are_seeded_once_for_every_currency_but_the_books(treasurer, settings):
    from treasury.demo import DEMO_RATES, seed_rates

    assert seed_rates() == len(DEMO_RATES) and seed_rates() == 0
    assert set(DEMO_RATES) == set(settings.CURRENCIES) - {settings.BOOK_CURRENCY}
    usd = selectors.reference_rate_in_force(currency="USD", on=TODAY())
    assert usd.rate == Decimal("4.2") and usd.recorded_by == treasurer

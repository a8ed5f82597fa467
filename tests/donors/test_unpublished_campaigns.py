"""Giving is public only for published campaigns: a draft, a proposal under review, an
approved one not yet live or a rejected one is a 404 on the gift page and the giving API, for
everyone (its enterprise and the reviewers follow it on the proposal pages)."""

from __future__ import annotations

import pytest

from campaigns.models import CampaignStatus as S
from donors.models import Donation
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

UNPUBLISHED = [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED, S.REJECTED]
GIFT = {"amount": "50", "currency": "MYR", "email": "siti@example.org", "country": "MY"}


def _urls(slug: str) -> dict[str, str]:
    return {
        "give page": f"/give/{slug}/",
        "giving": f"/api/v1/campaigns/{slug}/giving/",
        "donor wall": f"/api/v1/campaigns/{slug}/donor-wall/",
    }


@pytest.mark.parametrize("who", ["anonymous", "member", "reviewer"])
@pytest.mark.parametrize("state", UNPUBLISHED)
def test_an_unpublished_campaign_is_not_readable_by_its_slug(
    client, enterprise, member_user, reviewer, state, who
):
    campaign = CampaignFactory(enterprise=enterprise, status=state, title="Secret sewing plan")
    if who != "anonymous":
        client.force_login({"member": member_user, "reviewer": reviewer}[who])

    for name, url in _urls(campaign.slug).items():
        response = client.get(url)
        assert response.status_code == 404, (name, response.status_code)
        assert b"Secret sewing plan" not in response.content, name


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_no_gift_can_be_started_for_an_unpublished_campaign(client, api, state):
    campaign = CampaignFactory(status=state)

    page = client.post(f"/give/{campaign.slug}/", GIFT)
    started = api.post(f"/api/v1/campaigns/{campaign.slug}/donations/", GIFT, format="json")

    # A 404 like a slug that does not exist: the answer does not tell that it exists.
    assert page.status_code == 404
    assert started.status_code == 404 and started.json()["message"]
    assert not Donation.objects.exists()


@pytest.mark.parametrize("state", [S.LIVE, S.ENDED])
def test_a_published_campaign_stays_readable_by_its_slug(client, state):
    campaign = CampaignFactory(status=state, title="Solar dryers for everyone")

    for name, url in _urls(campaign.slug).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
    assert b"Solar dryers for everyone" in client.get(f"/give/{campaign.slug}/").content

"""The proposal pages show the review history (who, when, why) to the enterprise's members and
the secretariat's reviewers only; everyone else reads the public campaign page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import CampaignStatus, CampaignTransition
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

REASON = "Internal: the chair is related to the tank supplier."


@pytest.fixture
def live(enterprise, reviewer):
    campaign = CampaignFactory(enterprise=enterprise, status=CampaignStatus.LIVE)
    CampaignTransition.objects.create(
        campaign=campaign,
        from_state="submitted",
        to_state="approved",
        actor=reviewer,
        comment=REASON,
    )
    return campaign


@pytest.mark.parametrize("who", ["donor", "treasurer", "other_member"])
def test_a_stranger_signed_in_does_not_read_a_campaigns_review_history(request, client, live, who):
    client.force_login(request.getfixturevalue(who))

    for name in ("campaigns:proposal", "campaigns:edit", "campaigns:submit"):
        response = client.get(reverse(name, args=[live.slug]))
        assert response.status_code == 404, name
        assert REASON not in response.content.decode(), name
    # The public page is theirs to read, without the history.
    public = client.get(reverse("campaigns:detail", args=[live.slug]))
    assert public.status_code == 200 and REASON not in public.content.decode()


@pytest.mark.parametrize("who", ["member_user", "reviewer", "admin_user"])
def test_the_enterprise_and_the_secretariat_keep_the_history(request, client, live, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("campaigns:proposal", args=[live.slug]))

    assert response.status_code == 200 and REASON in response.content.decode()

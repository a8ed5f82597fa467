"""Drafting and editing proposals: validation, sanitising, uploads, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns import services
from campaigns.models import BudgetLine, Campaign, CampaignStatus
from common.errors import ApplicationError, Conflict
from tests.factories import CampaignFactory, proposal_data

pytestmark = pytest.mark.django_db


def image_upload(size=(800, 450), fmt="PNG", name="cover.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def errors_for(enterprise, user, **overrides) -> dict:
    with pytest.raises(ApplicationError) as raised:
        services.campaign_create(actor=user, enterprise=enterprise,
                                 data=proposal_data(**overrides))  # fmt: skip
    assert Campaign.objects.count() == 0 and BudgetLine.objects.count() == 0
    return raised.value.fields


def test_a_member_drafts_a_complete_proposal(enterprise, member_user):
    campaign = services.campaign_create(actor=member_user, enterprise=enterprise,
                                        data=proposal_data(cover=image_upload()))  # fmt: skip
    assert campaign.status == CampaignStatus.DRAFT
    assert str(campaign.goal.currency) == "PHP" and campaign.goal.amount == Decimal("250000")
    assert [str(line.amount) for line in campaign.budget_lines.all()] == [
        "₱200,000.00", "₱50,000.00"]  # fmt: skip
    assert sorted(campaign.sdg_goals.values_list("number", flat=True)) == [5, 6]
    assert campaign.cover.name.startswith("campaigns/covers/")
    assert campaign.raised.amount == 0 and str(campaign.raised.currency) == "PHP"


def test_budget_lines_must_add_up_to_the_goal(enterprise, member_user):
    fields = errors_for(enterprise, member_user, goal_amount=Decimal("260000"))
    assert "add up to 250000" in fields["budget_lines"][0]


@pytest.mark.parametrize(
    ("currency", "amount"),
    [("JPY", "1000.5"), ("KRW", "15000.10"), ("VND", "0.5"), ("MYR", "10.005")],
)
def test_amounts_respect_the_currency_decimals(enterprise, member_user, currency, amount):
    fields = errors_for(enterprise, member_user, goal_currency=currency, goal_amount=amount,
                        budget_lines=[{"description": "All", "amount": amount}])  # fmt: skip
    assert "decimals" in " ".join(fields["goal_amount"])


def test_whole_yen_are_fine(enterprise, member_user):
    campaign = services.campaign_create(
        actor=member_user, enterprise=enterprise, data=proposal_data(
            goal_currency="JPY", goal_amount="640000",
            budget_lines=[{"description": "Van", "amount": "640000"}]))  # fmt: skip
    assert campaign.goal.amount == 640000


@pytest.mark.parametrize("amount", ["0", "-5", "1e13", "abc", "NaN"])
def test_goal_must_be_a_sane_positive_number(enterprise, member_user, amount):
    fields = errors_for(enterprise, member_user, goal_amount=amount)
    assert fields["goal_amount"]


def test_currency_must_be_a_network_currency(enterprise, member_user):
    assert "goal_currency" in errors_for(enterprise, member_user, goal_currency="GBP")


def test_dates_are_checked(enterprise, member_user):
    start = dt.date.today() + dt.timedelta(days=10)
    assert "end_date" in errors_for(enterprise, member_user, start_date=start, end_date=start)
    past = dt.date.today() - dt.timedelta(days=3)
    assert "end_date" in errors_for(
        enterprise, member_user, start_date=past - dt.timedelta(days=9), end_date=past
    )
    assert "end_date" in errors_for(enterprise, member_user, start_date=start,
                                    end_date=start + dt.timedelta(days=400))  # fmt: skip


def test_story_is_sanitized(enterprise, member_user):
    story = ('<p onclick="steal()">Water <b>now</b></p><script>alert(1)</script>'
             '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>'
             '<a href="https://coop.example">site</a>')  # fmt: skip
    campaign = services.campaign_create(actor=member_user, enterprise=enterprise,
                                        data=proposal_data(story=story))  # fmt: skip
    assert "script" not in campaign.story and "onclick" not in campaign.story
    assert "javascript:" not in campaign.story and "onerror" not in campaign.story
    assert "<b>now</b>" in campaign.story and 'href="https://coop.example"' in campaign.story


def test_a_story_that_is_only_a_script_is_empty(enterprise, member_user):
    assert "story" in errors_for(enterprise, member_user, story="<script>x()</script>")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.png", b"not an image", content_type="image/png"), "valid image"),
        (image_upload(fmt="GIF", name="x.gif"), "JPEG, PNG or WebP"),
        (image_upload(size=(100, 100)), "at least"),
        (SimpleUploadedFile("big.png", b"0" * (5 * 1024 * 1024 + 1)), "5 MB"),
    ],
)
def test_bad_uploads_are_rejected(enterprise, member_user, upload, message):
    fields = errors_for(enterprise, member_user, cover=upload)
    assert message in fields["cover"][0]


def test_indicators_must_belong_to_chosen_goals(enterprise, member_user):
    fields = errors_for(enterprise, member_user, sdg_indicators=["3.1.1", "banana"])
    assert len(fields["sdg_indicators"]) == 2


def test_every_problem_is_reported_at_once(enterprise, member_user):
    fields = errors_for(
        enterprise,
        member_user,
        title="",
        slug="Not A Slug!",
        sdg_goals=[18],
        outcomes=[{"indicator": "", "target_value": "-1", "unit": ""}],
    )
    assert {"title", "slug", "sdg_goals", "outcomes"} <= set(fields)


def test_slug_must_be_unique(enterprise, member_user):
    CampaignFactory(slug="clean-water-san-isidro")
    with pytest.raises(ApplicationError) as raised:
        services.campaign_create(actor=member_user, enterprise=enterprise, data=proposal_data())
    assert "already uses" in raised.value.fields["slug"][0]
    assert Campaign.objects.count() == 1


def test_only_members_of_member_enterprises_propose(enterprise, other_member, reviewer):
    with pytest.raises(ApplicationError) as raised:
        services.campaign_create(actor=other_member, enterprise=enterprise, data=proposal_data())
    assert raised.value.code == "not_a_member"
    services.enterprise_suspend(actor=reviewer, enterprise=enterprise, comment="Audit")
    member = enterprise.members.first()
    with pytest.raises(ApplicationError) as raised:
        services.campaign_create(actor=member, enterprise=enterprise, data=proposal_data())
    assert raised.value.code == "enterprise_not_member"


def test_update_keeps_absent_fields_and_checks_the_sum(enterprise, member_user):
    campaign = services.campaign_create(actor=member_user, enterprise=enterprise,
                                        data=proposal_data())  # fmt: skip
    campaign = services.campaign_update(actor=member_user, campaign=campaign,
                                        data={"title": "Clean water for Tabucan"})  # fmt: skip
    assert campaign.title == "Clean water for Tabucan" and campaign.budget_lines.count() == 2
    with pytest.raises(ApplicationError) as raised:
        services.campaign_update(actor=member_user, campaign=campaign,
                                 data={"goal_amount": "1", "title": "Changed"})  # fmt: skip
    assert "budget_lines" in raised.value.fields
    campaign.refresh_from_db()
    assert campaign.title == "Clean water for Tabucan"  # nothing half-saved


def test_submitted_proposals_cannot_be_edited(enterprise, member_user):
    campaign = CampaignFactory(enterprise=enterprise, status=CampaignStatus.SUBMITTED)
    with pytest.raises(Conflict):
        services.campaign_update(actor=member_user, campaign=campaign, data={"title": "New"})

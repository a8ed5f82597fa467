"""An enterprise member drafts, edits and submits a proposal through the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import BudgetLine, Campaign, CampaignStatus, CampaignTransition
from tests.factories import CampaignFactory, EnterpriseFactory, UserFactory
from tests.pages.factories import image_upload, proposal_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, member_user, enterprise):
    client.force_login(member_user)
    return client


@pytest.fixture
def draft(enterprise):
    return CampaignFactory(enterprise=enterprise, status=CampaignStatus.DRAFT, slug="our-draft")


@pytest.mark.parametrize(
    "name",
    ["campaigns:mine", "campaigns:create"],
)
def test_proposal_pages_ask_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_page_and_sign_in(client, member_user):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ms")
    assert "Log masuk" in page.content.decode()
    response = client.post(
        reverse("login"), {"username": "member", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:mine")
    assert "Sign out" in client.get(reverse("campaigns:mine")).content.decode()


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "My proposals"), ("id", "Proposal saya"), ("ms", "Cadangan saya")],
)
def test_my_proposals_lists_states_in_each_language(member, draft, language, heading):
    CampaignFactory(title="Someone else's", status=CampaignStatus.DRAFT)
    html = member.get(reverse("campaigns:mine"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert draft.title in html and "Someone else's" not in html
    assert {"en": "Draft", "id": "Draf", "ms": "Draf"}[language] in html
    assert reverse("campaigns:edit", args=[draft.slug]) in html


def test_create_a_proposal(member, enterprise):
    post = proposal_post(enterprise)
    post["cover"] = image_upload()
    response = member.post(reverse("campaigns:create"), post)
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="clean-water-san-isidro")
    assert response["Location"] == reverse("campaigns:proposal", args=[campaign.slug])
    assert campaign.status == CampaignStatus.DRAFT and campaign.enterprise == enterprise
    assert campaign.goal.amount == Decimal("250000.00") and str(campaign.goal.currency) == "PHP"
    assert [line.description for line in campaign.budget_lines.all()] == [
        "Rainwater tanks", "Plumbing and training"
    ]  # fmt: skip
    assert campaign.outcomes.get().unit == "households"
    assert sorted(campaign.sdg_goals.values_list("number", flat=True)) == [5, 6]
    assert campaign.sdg_indicators == ["6.1.1"] and campaign.beneficiary_groups == ["women"]
    assert campaign.cover.name.startswith("campaigns/covers/")
    page = member.get(response["Location"]).content.decode()
    assert "Your draft is saved" in page and "₱250,000.00" in page


def test_budget_not_adding_up_is_shown_on_the_form_and_nothing_is_saved(member, enterprise):
    post = proposal_post(enterprise)
    post["budget-1-amount"] = "40000"
    response = member.post(reverse("campaigns:create"), post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The proposal was not saved" in html
    assert "The budget lines add up to 240000.00 but the goal is 250000.00." in html
    assert 'value="Plumbing and training"' in html  # what was typed is kept
    assert not Campaign.objects.exists() and not BudgetLine.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("cover.png", b"not an image", content_type="image/png"),
         "The file is not a valid image: upload a JPEG, PNG or WebP image."),
        (image_upload(size=(100, 50)), "The image must be at least 320×180 pixels."),
    ],
)  # fmt: skip
def test_bad_cover_upload_is_shown_on_the_form_and_nothing_is_saved(
    member, enterprise, upload, message
):
    post = proposal_post(enterprise)
    post["cover"] = upload
    response = member.post(reverse("campaigns:create"), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors["cover"] == [message]
    assert not Campaign.objects.exists()


def test_form_errors_are_shown_in_indonesian(member, enterprise):
    post = proposal_post(enterprise, title="")
    post["budget-1-amount"] = "40000"
    response = member.post(reverse("campaigns:create"), post, HTTP_ACCEPT_LANGUAGE="id")
    html = response.content.decode()
    assert "Proposal belum disimpan" in html
    assert "Kolom ini wajib diisi." in html


def test_partly_filled_budget_row_is_an_error_on_that_row(member, enterprise):
    post = proposal_post(enterprise)
    post["budget-2-description"] = "Transport"
    response = member.post(reverse("campaigns:create"), post)
    assert response.status_code == 400
    assert response.context["budget"].forms[2].errors == {"amount": ["This field is required."]}
    assert not Campaign.objects.exists()


def test_add_more_rows_keeps_what_was_typed(member, enterprise):
    post = proposal_post(enterprise)
    post["more_rows"] = "1"
    response = member.post(reverse("campaigns:create"), post)
    assert response.status_code == 200
    assert len(response.context["budget"].forms) == 2 + 2 + 3
    assert 'value="Rainwater tanks"' in response.content.decode()
    assert not Campaign.objects.exists()


def test_create_page_offers_all_fields(member):
    html = member.get(reverse("campaigns:create")).content.decode()
    for name in ("title", "slug", "summary", "story", "cover", "goal_amount", "goal_currency",
                 "start_date", "end_date", "funding_model", "sdg_goals", "sdg_indicators",
                 "beneficiary_groups", "budget-0-description", "budget-0-amount",
                 "outcome-0-indicator", "outcome-0-target_value", "outcome-0-unit"):  # fmt: skip
        assert f'name="{name}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_title">' in html


def test_only_members_of_member_enterprises_may_create(client, db):
    applicant = UserFactory(username="applicant")
    EnterpriseFactory(members=[applicant], status="applicant")
    client.force_login(applicant)
    response = client.get(reverse("campaigns:create"))
    assert response.status_code == 403
    assert "Only members of a member enterprise" in response.content.decode()
    assert client.post(reverse("campaigns:create"), proposal_post()).status_code == 403
    assert not Campaign.objects.exists()


def test_edit_a_draft(member, draft):
    page = member.get(reverse("campaigns:edit", args=[draft.slug]))
    assert page.status_code == 200
    assert f'value="{draft.title}"' in page.content.decode()
    assert page.context["budget"].forms[0]["description"].value() == "Solar dryer units"
    post = proposal_post(slug=draft.slug, title="Better title", goal_currency="MYR",
                         goal_amount=Decimal("10000"))  # fmt: skip
    post.update(
        {
            "budget-TOTAL_FORMS": "3",
            "budget-INITIAL_FORMS": "2",
            "budget-0-description": "Dryers",
            "budget-0-amount": "7000",
            "budget-1-description": "Training",
            "budget-1-amount": "3000",
            "budget-1-DELETE": "",
            "budget-2-description": "",
            "budget-2-amount": "",
        }
    )
    post["cover"] = image_upload()
    response = member.post(reverse("campaigns:edit", args=[draft.slug]), post)
    assert response.status_code == 302, response.context and response.context["form"].errors
    draft.refresh_from_db()
    assert draft.title == "Better title" and draft.cover
    assert [(line.description, line.amount.amount) for line in draft.budget_lines.all()] == [
        ("Dryers", Decimal("7000.00")), ("Training", Decimal("3000.00"))
    ]  # fmt: skip


def test_removing_a_budget_line_on_edit(member, draft):
    post = proposal_post(slug=draft.slug, goal_currency="MYR", goal_amount=Decimal("5000"))
    post.update({"budget-TOTAL_FORMS": "2", "budget-INITIAL_FORMS": "2",
                 "budget-0-description": "Dryers", "budget-0-amount": "5000",
                 "budget-1-description": "Training", "budget-1-amount": "5000",
                 "budget-1-DELETE": "on"})  # fmt: skip
    response = member.post(reverse("campaigns:edit", args=[draft.slug]), post)
    assert response.status_code == 302
    assert [line.description for line in draft.budget_lines.all()] == ["Dryers"]


def test_failed_edit_changes_nothing(member, draft):
    post = proposal_post(slug=draft.slug, title="Changed", goal_currency="MYR",
                         goal_amount=Decimal("99"))  # fmt: skip
    response = member.post(reverse("campaigns:edit", args=[draft.slug]), post)
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.title != "Changed" and draft.budget_lines.count() == 2


def test_submitted_proposal_cannot_be_edited(member, enterprise):
    submitted = CampaignFactory(enterprise=enterprise, status=CampaignStatus.SUBMITTED)
    response = member.get(reverse("campaigns:edit", args=[submitted.slug]), follow=True)
    assert "This proposal can no longer be edited." in response.content.decode()
    response = member.post(reverse("campaigns:edit", args=[submitted.slug]), proposal_post())
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.title != "Clean water for Barangay San Isidro"


def test_submit_with_a_comment_and_see_the_history(member, draft, member_user):
    response = member.post(
        reverse("campaigns:submit", args=[draft.slug]), {"comment": "Ready for review."}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == CampaignStatus.SUBMITTED
    transition = CampaignTransition.objects.get(campaign=draft)
    assert transition.actor == member_user and transition.comment == "Ready for review."
    html = member.get(reverse("campaigns:proposal", args=[draft.slug])).content.decode()
    assert "Ready for review." in html and "Submitted" in html
    assert "Your proposal is submitted for review." in html
    assert reverse("campaigns:edit", args=[draft.slug]) not in html


def test_submitting_twice_shows_the_services_message(member, enterprise):
    submitted = CampaignFactory(enterprise=enterprise, status=CampaignStatus.SUBMITTED)
    response = member.post(reverse("campaigns:submit", args=[submitted.slug]), {"comment": ""})
    assert response.status_code == 400
    assert "You cannot submit a campaign that is submitted." in response.content.decode()


def test_review_history_shows_who_when_and_comment(member, enterprise, reviewer, member_user):
    campaign = CampaignFactory(enterprise=enterprise, status=CampaignStatus.CHANGES_REQUESTED)
    CampaignTransition.objects.create(campaign=campaign, from_state="draft",
                                      to_state="submitted", actor=member_user)  # fmt: skip
    CampaignTransition.objects.create(
        campaign=campaign, from_state="submitted", to_state="changes_requested",
        actor=reviewer, comment="Split the equipment line.",
    )  # fmt: skip
    for language, state in (("en", "Changes requested"), ("ms", "Perubahan diminta"),
                            ("id", "Perlu perbaikan")):  # fmt: skip
        html = member.get(
            reverse("campaigns:proposal", args=[campaign.slug]), HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert state in html and "Split the equipment line." in html
        assert "Test" in html  # the reviewer's name
        assert "<time datetime=" in html


def test_other_enterprises_drafts_are_404(client, other_member, draft):
    client.force_login(other_member)
    for name in ("campaigns:proposal", "campaigns:edit", "campaigns:submit"):
        assert client.get(reverse(name, args=[draft.slug])).status_code == 404
    assert client.post(reverse("campaigns:submit", args=[draft.slug])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == CampaignStatus.DRAFT


def test_reviewer_sees_submitted_proposals_but_not_drafts(client, reviewer, draft, enterprise):
    submitted = CampaignFactory(enterprise=enterprise, status=CampaignStatus.SUBMITTED)
    client.force_login(reviewer)
    assert client.get(reverse("campaigns:proposal", args=[submitted.slug])).status_code == 200
    assert client.get(reverse("campaigns:proposal", args=[draft.slug])).status_code == 404


def test_empty_web_address_is_made_from_the_title(member, enterprise):
    post = proposal_post(enterprise, slug="", title="Clean water for Barangay Tabucan")
    response = member.post(reverse("campaigns:create"), post)
    assert response.status_code == 302
    assert Campaign.objects.get().slug == "clean-water-for-barangay-tabucan"


def test_edit_page_shows_what_the_reviewer_asked_and_the_current_cover(
    member, enterprise, reviewer
):
    campaign = CampaignFactory(
        enterprise=enterprise, status=CampaignStatus.CHANGES_REQUESTED, cover=image_upload()
    )
    CampaignTransition.objects.create(
        campaign=campaign, from_state="submitted", to_state="changes_requested",
        actor=reviewer, comment="Add quotes for the tanks.",
    )  # fmt: skip
    html = member.get(
        reverse("campaigns:edit", args=[campaign.slug]), HTTP_ACCEPT_LANGUAGE="id"
    ).content.decode()
    assert "Perbaikan yang diminta sekretariat" in html and "Add quotes for the tanks." in html
    assert campaign.cover.url in html

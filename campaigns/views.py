"""Server-rendered pages: the public campaign list and page, and the enterprises' proposals.

Views are thin: a form parses the request, a selector reads or a service writes, a template
renders. Rules about proposals live in `campaigns.services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from campaigns import selectors, services
from campaigns.forms import (
    CampaignFilterForm,
    ProposalForm,
    SubmitForm,
    filled_rows,
    row_formsets,
    with_more_rows,
)
from campaigns.models import BeneficiaryGroup, Campaign
from campaigns.regions import CURRENCY
from campaigns.workflow import EDITABLE
from common.errors import ApplicationError

PAGE_SIZE = 12
ROW_FIELDS = ("budget_lines", "outcomes")

# The SDG names live in the database in English; these marks put them in the catalogues
# so templates can show them with {% translate goal.name %}.
SDG_NAMES = [
    gettext_noop("No poverty"), gettext_noop("Zero hunger"),
    gettext_noop("Good health and well-being"), gettext_noop("Quality education"),
    gettext_noop("Gender equality"), gettext_noop("Clean water and sanitation"),
    gettext_noop("Affordable and clean energy"), gettext_noop("Decent work and economic growth"),
    gettext_noop("Industry, innovation and infrastructure"),
    gettext_noop("Reduced inequalities"), gettext_noop("Sustainable cities and communities"),
    gettext_noop("Responsible consumption and production"), gettext_noop("Climate action"),
    gettext_noop("Life below water"), gettext_noop("Life on land"),
    gettext_noop("Peace, justice and strong institutions"),
    gettext_noop("Partnerships for the goals"),
]  # fmt: skip


def _with_progress(campaigns: Any) -> list[tuple[Campaign, selectors.CampaignProgress]]:
    return [(c, selectors.campaign_progress(campaign=c)) for c in campaigns]


def campaign_list(request: HttpRequest) -> HttpResponse:
    form = CampaignFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = Paginator(selectors.campaign_list_public(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "cards": _with_progress(page.object_list),
        "query": query.urlencode(),
        "filtered": bool(filters),
    }
    return render(request, "campaigns/list.html", context)


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get_public(slug=slug)
    others = selectors.enterprise_other_campaigns(campaign=campaign)
    context = {
        "campaign": campaign,
        "progress": selectors.campaign_progress(campaign=campaign),
        "budget_lines": campaign.budget_lines.all(),
        "outcomes": campaign.outcomes.all(),
        "beneficiaries": _beneficiary_labels(campaign),
        "others": _with_progress(others),
        "cover_url": _share_image(request, campaign),
        "page_url": request.build_absolute_uri(),
    }
    return render(request, "campaigns/detail.html", context)


def _share_image(request: HttpRequest, campaign: Campaign) -> str:
    """The picture a shared link shows: the cover, else the enterprise's logo."""
    image = campaign.cover or campaign.enterprise.logo
    return request.build_absolute_uri(image.url) if image else ""


def _beneficiary_labels(campaign: Campaign) -> list[str]:
    return [
        BeneficiaryGroup(value).label
        for value in campaign.beneficiary_groups
        if value in BeneficiaryGroup.values
    ]


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    context = {
        "campaigns": selectors.campaigns_of_user(user=request.user),
        "can_propose": selectors.enterprises_of_user(user=request.user).exists(),
        "editable": EDITABLE,
    }
    return render(request, "campaigns/mine.html", context)


@login_required
def proposal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get_proposal(user=request.user, slug=slug)
    context = {
        "campaign": campaign,
        "is_member": campaign.enterprise.members.filter(pk=request.user.pk).exists(),
        "editable": campaign.status in EDITABLE,
        "transitions": campaign.transitions.select_related("actor"),
        "budget_lines": campaign.budget_lines.all(),
        "outcomes": campaign.outcomes.all(),
        "beneficiaries": _beneficiary_labels(campaign),
        "submit_form": SubmitForm(),
    }
    return render(request, "campaigns/proposal.html", context)


def _show_service_errors(error: ApplicationError, form: ProposalForm, rows: dict) -> None:
    """Put the service's per-field messages beside the fields they concern."""
    for field, problems in (error.fields or {}).items():
        for problem in problems:
            if field in ROW_FIELDS:
                rows[field].append(problem)
            elif field in form.fields:
                form.add_error(field, problem)
            else:
                form.add_error(None, problem)
    if not error.fields:
        form.add_error(None, error.message)


def _proposal_page(request: HttpRequest, template_context: dict[str, Any]) -> HttpResponse:
    failed = request.method == "POST" and not template_context.get("more_rows")
    return render(
        request, "campaigns/proposal_form.html", template_context, status=400 if failed else 200
    )


def _save_proposal(
    request: HttpRequest, campaign: Campaign | None, enterprises: Any
) -> tuple[Campaign | None, dict[str, Any]]:
    """Validate the posted form and rows, call the service; the page context on failure."""
    initial_rows = _initial_rows(campaign) if campaign else {}
    form = ProposalForm(request.POST, request.FILES, enterprises=enterprises)
    budget, outcomes = row_formsets(request.POST, **initial_rows)
    context = {"form": form, "budget": budget, "outcomes": outcomes, "campaign": campaign,
               "row_errors": {"budget_lines": [], "outcomes": []}}  # fmt: skip
    if "more_rows" in request.POST:
        form = ProposalForm(with_more_rows(request.POST), enterprises=enterprises)
        budget, outcomes = row_formsets(with_more_rows(request.POST), **initial_rows)
        return None, {**context, "form": form, "budget": budget, "outcomes": outcomes,
                      "more_rows": True}  # fmt: skip
    # Validate all three so every problem shows at once.
    if not all([form.is_valid(), budget.is_valid(), outcomes.is_valid()]):
        return None, context
    data = {**form.service_data(), "budget_lines": filled_rows(budget),
            "outcomes": filled_rows(outcomes)}  # fmt: skip
    try:
        if campaign is None:
            enterprise = form.cleaned_data["enterprise"]
            saved = services.campaign_create(actor=request.user, enterprise=enterprise, data=data)
        else:
            saved = services.campaign_update(actor=request.user, campaign=campaign, data=data)
    except ApplicationError as error:
        _show_service_errors(error, form, context["row_errors"])
        return None, context
    return saved, context


def _initial_rows(campaign: Campaign) -> dict[str, list[dict]]:
    return {
        "budget_lines": [
            {"description": line.description, "amount": line.amount.amount}
            for line in campaign.budget_lines.all()
        ],
        "outcomes": [
            {"indicator": o.indicator, "target_value": o.target_value, "unit": o.unit}
            for o in campaign.outcomes.all()
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    enterprises = selectors.enterprises_of_user(user=request.user)
    if not enterprises.exists():
        return render(request, "campaigns/not_a_member.html", status=403)
    if request.method == "POST":
        campaign, context = _save_proposal(request, None, enterprises)
        if campaign is not None:
            messages.success(request, _("Your draft is saved. Submit it when it is ready."))
            return redirect("campaigns:proposal", slug=campaign.slug)
        return _proposal_page(request, context)
    first = enterprises.first()
    initial = {"enterprise": first, "goal_currency": CURRENCY.get(first.country, "USD")}
    form = ProposalForm(enterprises=enterprises, initial=initial)
    budget, outcomes = row_formsets()
    context = {"form": form, "budget": budget, "outcomes": outcomes, "campaign": None}
    return _proposal_page(request, context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get_proposal(user=request.user, slug=slug)
    if campaign.status not in EDITABLE:
        messages.error(request, _("This proposal can no longer be edited."))
        return redirect("campaigns:proposal", slug=campaign.slug)
    if request.method == "POST":
        saved, context = _save_proposal(request, campaign, None)
        if saved is not None:
            messages.success(request, _("Your changes are saved."))
            return redirect("campaigns:proposal", slug=saved.slug)
        return _proposal_page(request, context)
    form = ProposalForm(initial=_initial_fields(campaign))
    budget, outcomes = row_formsets(**_initial_rows(campaign))
    context = {"form": form, "budget": budget, "outcomes": outcomes, "campaign": campaign}
    return _proposal_page(request, context)


def _initial_fields(campaign: Campaign) -> dict[str, Any]:
    return {
        "title": campaign.title, "slug": campaign.slug, "summary": campaign.summary,
        "story": campaign.story, "goal_amount": campaign.goal.amount,
        "goal_currency": str(campaign.goal.currency), "start_date": campaign.start_date,
        "end_date": campaign.end_date, "funding_model": campaign.funding_model,
        "sdg_goals": [goal.number for goal in campaign.sdg_goals.all()],
        "sdg_indicators": campaign.sdg_indicators,
        "beneficiary_groups": campaign.beneficiary_groups,
    }  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def proposal_submit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get_proposal(user=request.user, slug=slug)
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_submit(
                actor=request.user, campaign=campaign, comment=form.cleaned_data["comment"]
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
            for problem in (error.fields or {}).get("comment", []):
                form.add_error("comment", problem)
        else:
            messages.success(request, _("Your proposal is submitted for review."))
            return redirect("campaigns:proposal", slug=campaign.slug)
    status = 400 if form.errors else 200
    context = {"campaign": campaign, "form": form}
    return render(request, "campaigns/submit.html", context, status=status)

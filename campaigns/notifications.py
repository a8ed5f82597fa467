"""Emails about proposals and memberships, each in its reader's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from campaigns.models import CampaignStatus, CampaignTransition, Enterprise, FocalPoint
from campaigns.regions import LANGUAGE

TEMPLATES = {
    CampaignStatus.SUBMITTED: "campaign_submitted",
    CampaignStatus.CHANGES_REQUESTED: "campaign_changes_requested",
    CampaignStatus.APPROVED: "campaign_approved",
    CampaignStatus.REJECTED: "campaign_rejected",
    CampaignStatus.LIVE: "campaign_live",
    CampaignStatus.ENDED: "campaign_ended",
}


def enterprise_recipients(enterprise: Enterprise) -> list[str]:
    emails = [enterprise.contact_email, *enterprise.members.values_list("email", flat=True)]
    return sorted({email for email in emails if email})


def _send(template: str, language: str, recipients: list[str], context: dict) -> int:
    if not recipients:
        return 0
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}_body.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def send_campaign_transition(transition: CampaignTransition) -> int:
    """Tell the enterprise (and on submission the country's focal points) what happened."""
    campaign = transition.campaign
    enterprise = campaign.enterprise
    context = {"campaign": campaign, "enterprise": enterprise, "transition": transition}
    sent = _send(TEMPLATES[transition.to_state], enterprise.language,
                 enterprise_recipients(enterprise), context)  # fmt: skip
    if transition.to_state == CampaignStatus.SUBMITTED:
        focal = FocalPoint.objects.filter(country=enterprise.country).select_related("user")
        emails = sorted({fp.user.email for fp in focal if fp.user.email})
        sent += _send("campaign_submitted_focal_point", LANGUAGE.get(enterprise.country, "en"),
                      emails, context)  # fmt: skip
    return sent


def send_enterprise_status(enterprise: Enterprise, template: str) -> int:
    transition = enterprise.history.order_by("-at", "-id").first()
    context = {"enterprise": enterprise, "transition": transition, "campaign": None}
    return _send(template, enterprise.language, enterprise_recipients(enterprise), context)

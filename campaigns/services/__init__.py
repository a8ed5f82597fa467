"""Every write to enterprises and campaigns goes through these services."""

from campaigns.services.conflicts import review_conflict_refuse
from campaigns.services.enterprises import (
    enterprise_accept,
    enterprise_apply,
    enterprise_decline,
    enterprise_suspend,
    focal_point_assign,
)
from campaigns.services.proposals import campaign_create, campaign_update
from campaigns.services.review import (
    campaign_approve,
    campaign_end,
    campaign_go_live,
    campaign_reject,
    campaign_request_changes,
    campaign_submit,
    campaigns_advance_schedule,
)

__all__ = [
    "campaign_approve", "campaign_create", "campaign_end", "campaign_go_live",
    "campaign_reject", "campaign_request_changes", "campaign_submit", "campaign_update",
    "campaigns_advance_schedule", "enterprise_accept", "enterprise_apply",
    "enterprise_decline", "enterprise_suspend", "focal_point_assign", "review_conflict_refuse",
]  # fmt: skip

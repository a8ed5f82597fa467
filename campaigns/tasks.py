"""Celery tasks for campaigns: they take ids, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from campaigns import notifications
from campaigns.models import CampaignTransition, Enterprise
from campaigns.services import campaigns_advance_schedule


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_campaign_transition(transition_id: int) -> int:
    transition = CampaignTransition.objects.select_related("campaign__enterprise").get(
        pk=transition_id
    )
    return notifications.send_campaign_transition(transition)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_enterprise(enterprise_id: int, template: str) -> int:
    return notifications.send_enterprise_status(Enterprise.objects.get(pk=enterprise_id), template)


@shared_task
def advance_campaign_schedule() -> dict[str, int]:
    """Celery beat: publish campaigns on their start date, end them on their end date."""
    return campaigns_advance_schedule()

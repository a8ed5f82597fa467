"""Donation side effects, run after the commit. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from donors.services.receipts import receipt_send
from donors.services.refunds import refund_submit
from payments.types import ProviderError


@shared_task(bind=True, max_retries=8, acks_late=True)
def send_receipt(self, receipt_id: int) -> bool:
    try:
        return receipt_send(receipt_id=receipt_id)
    except OSError as exc:  # the mail server is away: try again later
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc


@shared_task(bind=True, max_retries=8, acks_late=True)
def submit_refund(self, refund_id: int) -> None:
    try:
        refund_submit(refund_id=refund_id)
    except ProviderError as exc:
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 3600)) from exc

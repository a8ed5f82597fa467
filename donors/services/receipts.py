"""Receipts: a numbered row issued with the confirmation, emailed once after the commit."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from common.tasks import enqueue
from donors.models import Donation, Frequency, Receipt

CANCEL_SALT = "donors.recurring-gift.cancel"


def receipt_number(donation: Donation) -> str:
    return f"GT-{timezone.localdate():%Y}-{donation.pk:08d}"


def cancel_url(donation: Donation) -> str:
    """The signed link that cancels a monthly gift (in every monthly receipt)."""
    token = signing.dumps({"gift": donation.recurring_gift_id or 0, "donation": donation.pk},
                          salt=CANCEL_SALT)  # fmt: skip
    return settings.SITE_URL.rstrip("/") + reverse("donors:cancel-monthly", args=[token])


def receipt_issue(*, donation: Donation) -> Receipt:
    """Called inside the settlement transaction: the row makes the email exactly-once."""
    receipt, created = Receipt.objects.get_or_create(
        donation=donation, defaults={"number": receipt_number(donation)}
    )
    if created:
        transaction.on_commit(lambda: enqueue("donors.tasks.send_receipt", receipt.pk))
    return receipt


def receipt_send(*, receipt_id: int) -> bool:
    """Send the receipt unless it went already; True when this call sent it.

    The row stays locked while the email is handed to the mail server, so two workers never
    both send it; `sent_at` is committed right after.
    """
    with transaction.atomic(durable=True):
        receipt = (Receipt.objects.select_for_update()
                   .select_related("donation__campaign").get(pk=receipt_id))  # fmt: skip
        if receipt.sent_at:
            return False
        donation = receipt.donation
        with translation.override(donation.language):
            context = {
                "donation": donation, "campaign": donation.campaign, "receipt": receipt,
                "cancel_url": cancel_url(donation)
                if donation.frequency == Frequency.MONTHLY else "",
                "site_url": settings.SITE_URL,
            }  # fmt: skip
            subject = render_to_string("donors/email/receipt_subject.txt", context).strip()
            body = render_to_string("donors/email/receipt.txt", context)
        EmailMessage(subject, body, to=[donation.email]).send()
        receipt.sent_at = timezone.now()
        receipt.save(update_fields=["sent_at"])
    return True

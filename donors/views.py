"""The donor's pages: the gift form's target, the thank-you and cancel pages, monthly cancel."""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaigns.selectors import campaign_get_public
from common.errors import ApplicationError
from donors import selectors
from donors.apis import DonationInputSerializer, client_key
from donors.forms import give_context
from donors.models import DonationStatus, RecurringGift
from donors.services import donation_start, recurring_gift_cancel
from donors.services.receipts import CANCEL_SALT

CANCEL_LINK_MAX_AGE = 60 * 60 * 24 * 400  # a receipt's link works for over a year


@require_http_methods(["GET", "POST"])
def give(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign page's form posts here; on success the donor goes on to the payment page."""
    campaign = campaign_get_public(slug=slug)  # 404 unless live or ended
    if request.method == "GET":
        return render(request, "donors/give.html", give_context(campaign, request))
    data = request.POST.copy()
    for flag in ("anonymous", "cover_fee", "monthly"):
        data[flag] = "true" if request.POST.get(flag) else "false"
    other = request.POST.get("other_amount", "").strip()
    if other or data.get("amount") == "other":
        data["amount"] = other
    serializer = DonationInputSerializer(data=data)
    errors: dict = {}
    preset_in = request.POST.get("preset_currency", "").upper()
    currency = (request.POST.get("currency") or preset_in).upper()
    if not other and data.get("amount") and preset_in and currency != preset_in:
        # A preset ("Rp 50.000") is an amount in its own currency, not 50,000 of another.
        message = _("The amounts to choose from are in %(p)s: for a gift in %(c)s, enter "
                    "it under “Other amount”.") % {"p": preset_in, "c": currency}  # fmt: skip
        errors, status = {"amount": [message], "form": [message]}, 400
    elif serializer.is_valid():
        try:
            donation = donation_start(
                campaign=campaign,
                client_key=client_key(request),
                data=serializer.to_input(campaign, request.LANGUAGE_CODE),
            )
            return redirect(donation.checkout_url)
        except ApplicationError as exc:
            errors = {**exc.fields, "form": [exc.message]}
            status = exc.status_code
    else:
        errors = {k: [str(m) for m in v] for k, v in serializer.errors.items()}
        status = 400
    context = give_context(campaign, request, values=request.POST, errors=errors)
    return render(request, "donors/give.html", context, status=status)


def thank_you(request: HttpRequest, reference: str) -> HttpResponse:
    """Where the provider sends the donor back; refreshes itself until the webhook confirms."""
    donation = selectors.donation_by_reference(reference)
    if donation is None:
        raise Http404
    pending = donation.status == DonationStatus.PENDING and not donation.needs_review
    return render(request, "donors/thank_you.html", {
        "donation": donation, "campaign": donation.campaign, "pending": pending,
        "succeeded": donation.status == DonationStatus.SUCCEEDED,
    })  # fmt: skip


def cancelled(request: HttpRequest, reference: str) -> HttpResponse:
    donation = selectors.donation_by_reference(reference)
    if donation is None:
        raise Http404
    return render(request, "donors/cancelled.html",
                  {"donation": donation, "campaign": donation.campaign})  # fmt: skip


@require_http_methods(["GET", "POST"])
def cancel_monthly(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link in every monthly receipt: confirm (GET), then cancel (POST)."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT, max_age=CANCEL_LINK_MAX_AGE)
    except signing.BadSignature as exc:
        raise Http404(_("This link is not valid any more.")) from exc
    donation = selectors.donation_by_id(data.get("donation", ""))
    if donation is None:
        raise Http404
    gift = RecurringGift.objects.filter(pk=data.get("gift") or 0).first() or (
        donation.recurring_gift
    )
    if gift is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            gift = recurring_gift_cancel(gift=gift)
        except Exception:  # the provider is away: tell the donor to try again
            error = _("We could not reach the payment service. Please try again shortly.")
    return render(request, "donors/cancel_monthly.html",
                  {"gift": gift, "donation": donation, "campaign": donation.campaign,
                   "error": error}, status=503 if error else 200)  # fmt: skip

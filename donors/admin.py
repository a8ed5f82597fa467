import uuid

from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from moneyed import Money

from common.errors import ApplicationError
from common.roles import is_treasurer
from donors.models import (
    Dispute,
    Donation,
    DonationTransition,
    Receipt,
    RecurringGift,
    Refund,
)
from donors.services import refund_request


class TransitionInline(admin.TabularInline):
    model = DonationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "source", "actor", "comment", "at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ["amount", "status", "provider_refund_id", "settled_amount", "requested_by",
              "created_at", "booked_at"]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        required=False, help_text="Leave empty to refund what remains of the gift."
    )
    reason = forms.CharField(required=False, max_length=255)
    idempotency_key = forms.CharField(widget=forms.HiddenInput)


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    list_display = ["id", "campaign", "amount", "status", "email", "country", "needs_review",
                    "created_at"]  # fmt: skip
    list_filter = ["status", "needs_review", "frequency", "amount_currency"]
    search_fields = ["email", "name", "reference", "payment_intent_id", "checkout_session_id",
                     "charge_id"]  # fmt: skip
    readonly_fields = [f.name for f in Donation._meta.fields if f.name != "review_note"]
    inlines = [TransitionInline, RefundInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        refund = self.admin_site.admin_view(self.refund_view)
        return [path("<int:pk>/refund/", refund, name="donors_donation_refund"),
                *super().get_urls()]  # fmt: skip

    def refund_view(self, request, pk: int):
        """The treasurer's refund form: goes through the same service as the API."""
        donation = get_object_or_404(Donation, pk=pk)
        if not is_treasurer(request.user):
            messages.error(request, "Only the treasurer may refund.")
            return redirect(reverse("admin:donors_donation_change", args=[pk]))
        form = RefundForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex})
        if request.method == "POST" and form.is_valid():
            value = form.cleaned_data["amount"]
            # Zero is an amount (refused by the service), not "everything": only an empty
            # field means what remains.
            amount = Money(value, str(donation.amount.currency)) if value is not None else None
            try:
                refund_request(
                    donation=donation,
                    amount=amount,
                    actor=request.user,
                    idempotency_key=f"admin-{form.cleaned_data['idempotency_key']}",
                    reason=form.cleaned_data["reason"],
                )
                messages.success(
                    request, "Refund sent to the payment provider; booked when it confirms."
                )
                return redirect(reverse("admin:donors_donation_change", args=[pk]))
            except ApplicationError as exc:
                messages.error(request, exc.message)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "donation": donation,
            "title": f"Refund donation {donation.pk}",
            "opts": self.model._meta,
        }
        return render(request, "admin/donors/donation/refund.html", context)


@admin.register(RecurringGift)
class RecurringGiftAdmin(admin.ModelAdmin):
    list_display = ["subscription_id", "campaign", "email", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in RecurringGift._meta.fields]


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["id", "donation", "amount", "status", "provider_refund_id", "booked_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Refund._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["provider_dispute_id", "donation", "amount", "status", "reason"]
    readonly_fields = [f.name for f in Dispute._meta.fields]


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = ["number", "donation", "issued_at", "sent_at"]
    readonly_fields = [f.name for f in Receipt._meta.fields]

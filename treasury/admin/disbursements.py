"""Disbursements in the admin: "Add" approves one, the actions pay or cancel the selected
ones; each calls the disbursement services (`treasury/services/disbursements.py`), as the API
does. Nothing here writes a disbursement directly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.regions import CURRENCY
from common.admin import clean_money
from common.money import positive_money
from common.roles import is_treasurer
from ledger.models import Account, AccountRole
from treasury.admin.operations import (
    CURRENCIES,
    form_action,
    form_page,
)
from treasury.models import Disbursement, DisbursementAudit
from treasury.services.disbursements import (
    disbursement_approve,
    disbursement_cancel,
    disbursement_pay,
)

RATE_MIN = Decimal("0.000000000001")


class ApproveForm(forms.Form):
    """Approve paying an enterprise from its campaign's restricted fund. The approval is a
    pending entry; no balance moves until the disbursement is paid."""

    campaign = forms.ModelChoiceField(queryset=Campaign.objects.select_related("enterprise"))
    amount = forms.DecimalField(min_value=Decimal(0), help_text=_("What the enterprise gets."))
    currency = forms.ChoiceField(
        choices=[("", _("The enterprise's currency")), *CURRENCIES], required=False
    )
    fund_amount = forms.DecimalField(min_value=Decimal(0), help_text=_("What leaves the fund."))
    fund_currency = forms.ChoiceField(
        choices=[("", _("The campaign's currency")), *CURRENCIES], required=False
    )
    fund_rate = forms.DecimalField(
        required=False, min_value=RATE_MIN, help_text=_("MYR per unit of the fund's currency.")
    )
    effective_date = forms.DateField(initial=timezone.localdate)
    reference = forms.CharField(max_length=100, required=False)
    comment = forms.CharField(widget=forms.Textarea, required=False)

    def clean(self) -> dict:
        data = super().clean()
        campaign = data.get("campaign")
        if campaign is not None:
            data["currency"] = data.get("currency") or CURRENCY[campaign.enterprise.country]
            data["fund_currency"] = data.get("fund_currency") or campaign.goal_currency
            data["money"] = clean_money(self, "amount", "currency")
            data["fund_money"] = clean_money(self, "fund_amount", "fund_currency")
        return data


def _approve(user: Any, d: dict) -> object:
    return disbursement_approve(
        campaign=d["campaign"], amount=d["money"], fund_amount=d["fund_money"],
        fund_rate=d.get("fund_rate"), effective_date=d["effective_date"], created_by=user,
        reference=d["reference"], comment=d["comment"],
    )  # fmt: skip


class PayForm(forms.Form):
    effective_date = forms.DateField(label=_("Paid on"), initial=timezone.localdate)
    paid_amount = forms.DecimalField(
        min_value=Decimal(0), required=False,
        help_text=_("What left the bank; empty: the approved amount."),
    )  # fmt: skip
    paid_currency = forms.ChoiceField(
        choices=[("", _("The enterprise's currency")), ("MYR", "MYR")], required=False
    )
    bank_account = forms.ModelChoiceField(
        queryset=Account.objects.filter(role=AccountRole.BANK), required=False,
        help_text=_("Empty: the currency's bank account."),
    )  # fmt: skip
    comment = forms.CharField(widget=forms.Textarea, required=False)


def _pay(user: Any, disbursement: Disbursement, d: dict) -> object:
    paid = None
    if d.get("paid_amount") is not None:
        code = d["paid_currency"] or disbursement.amount.currency.code
        paid = positive_money(d["paid_amount"], code, field="paid_amount")
    bank = d.get("bank_account")
    return disbursement_pay(
        disbursement=disbursement, effective_date=d["effective_date"], actor=user, paid=paid,
        bank_account_code=bank.code if bank else "", comment=d["comment"],
    ).state  # fmt: skip


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)


def _cancel(user: Any, disbursement: Disbursement, d: dict) -> object:
    return disbursement_cancel(disbursement=disbursement, actor=user, reason=d["reason"]).state


class AuditInline(admin.TabularInline):
    model = DisbursementAudit
    extra = 0
    can_delete = False
    fields = readonly_fields = ("from_state", "to_state", "actor", "comment", "at")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Disbursement)
class DisbursementAdmin(admin.ModelAdmin):
    list_display = ("reference", "campaign", "enterprise", "amount", "fund_amount", "state",
                    "approved_on", "paid", "paid_on")  # fmt: skip
    list_filter = ("state",)
    search_fields = ("reference",)
    inlines = [AuditInline]
    readonly_fields = [f.name for f in Disbursement._meta.fields]
    actions = [
        form_action("pay_disbursements", _("Mark the selected disbursements paid"), PayForm,
                    _pay),
        form_action("cancel_disbursements", _("Cancel the selected disbursements"),
                    CancelForm, _cancel),
    ]  # fmt: skip

    # The treasurer's role, not per-model permissions, decides (as for reconciliation): a
    # treasurer group created before this model existed still sees it.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_treasurer(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_treasurer(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_treasurer(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None):
        return form_page(self, request, ApproveForm, _approve, str(_("Approve a disbursement")))

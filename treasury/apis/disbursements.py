"""Disbursements to enterprises: list, approve, read, pay, cancel (the disbursement services)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns.models import Campaign
from campaigns.regions import CURRENCY
from common.api import (
    PAGE_PARAMETERS,
    Amount,
    CurrencyField,
    MoneyAmount,
    OperationApi,
    PageOut,
    Pages,
    PositiveAmount,
    Rate,
    answers,
    money_in,
    query,
)
from ledger.models import Account, AccountRole
from treasury.models import Disbursement, DisbursementState
from treasury.services.disbursements import (
    disbursement_approve,
    disbursement_cancel,
    disbursement_pay,
)

TAGS = ["ledger: disbursements"]


class AuditOut(serializers.Serializer):
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField(source="actor.username", default=None)
    comment = serializers.CharField()
    at = serializers.DateTimeField()


class DisbursementOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    campaign = serializers.IntegerField(source="campaign_id")
    enterprise = serializers.IntegerField(source="enterprise_id")
    amount = MoneyAmount()
    currency = serializers.CharField(source="amount.currency.code")
    fund_amount = MoneyAmount()
    fund_currency = serializers.CharField(source="fund_amount.currency.code")
    fund_rate = Amount(allow_null=True)
    state = serializers.ChoiceField(choices=DisbursementState.choices)
    approved_on = serializers.DateField()
    paid = MoneyAmount(allow_null=True)
    paid_currency = serializers.CharField(source="paid.currency.code", default=None)
    paid_on = serializers.DateField(allow_null=True)
    entry = serializers.IntegerField(source="entry_id")
    payment_entry = serializers.IntegerField(source="payment_entry_id", allow_null=True)
    created_by = serializers.CharField(source="created_by.username", default=None)
    audit = AuditOut(many=True, source="audit.all")


class DisbursementIn(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    amount = PositiveAmount(help_text="What the enterprise receives.")
    currency = CurrencyField(required=False, help_text="Default: the enterprise's currency.")
    fund_amount = PositiveAmount(help_text="What leaves the campaign's fund.")
    fund_currency = CurrencyField(required=False, help_text="Default: the campaign's currency.")
    fund_rate = Rate(required=False, help_text="MYR per unit of the fund's currency (not MYR).")
    effective_date = serializers.DateField(help_text="The day of the approval.")
    reference = serializers.CharField(max_length=100, required=False, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict) -> dict:
        campaign = attrs["campaign"]
        attrs.setdefault("currency", CURRENCY[campaign.enterprise.country])
        attrs.setdefault("fund_currency", campaign.goal_currency)
        attrs["amount"] = money_in(attrs, "amount", "currency")
        attrs["fund_amount"] = money_in(attrs, "fund_amount", "fund_currency")
        del attrs["currency"], attrs["fund_currency"]
        return attrs


class DisbursementQuery(serializers.Serializer):
    state = serializers.ChoiceField(choices=DisbursementState.choices, required=False)


class DisbursementPageOut(PageOut):
    """One page of disbursements, newest first."""

    results = DisbursementOut(many=True)


def _listed(state: str | None):
    rows = Disbursement.objects.select_related("created_by").prefetch_related("audit__actor")
    return rows.filter(state=state) if state else rows


class DisbursementListCreateApi(OperationApi):
    @extend_schema(tags=TAGS, summary="Disbursements, newest first (paginated)",
                   operation_id="v1_ledger_disbursements_list",
                   parameters=[DisbursementQuery, *PAGE_PARAMETERS],
                   responses=answers(200, DisbursementPageOut))  # fmt: skip
    def get(self, request: Request) -> Response:
        state = query(request, DisbursementQuery).get("state")
        pages = Pages()
        page = pages.paginate_queryset(_listed(state), request, view=self)
        return pages.get_paginated_response(DisbursementOut(page, many=True).data)

    @extend_schema(tags=TAGS, summary="Approve a disbursement to a campaign's enterprise",
                   description="Records the pending entry (Dr fund, Cr disbursements payable); "
                   "no balance moves until it is paid.",
                   request=DisbursementIn, responses=answers(201, DisbursementOut))  # fmt: skip
    def post(self, request: Request) -> Response:
        data = DisbursementIn(data=request.data)
        data.is_valid(raise_exception=True)
        disbursement = disbursement_approve(created_by=request.user, **data.validated_data)
        return Response(DisbursementOut(disbursement).data, status=status.HTTP_201_CREATED)


class DisbursementDetailApi(OperationApi):
    @extend_schema(tags=TAGS, summary="One disbursement with its audit trail",
                   responses=answers(200, DisbursementOut))  # fmt: skip
    def get(self, request: Request, pk: int) -> Response:
        return Response(DisbursementOut(get_object_or_404(_listed(None), pk=pk)).data)


class PayIn(serializers.Serializer):
    effective_date = serializers.DateField(help_text="The day the bank paid.")
    paid_amount = PositiveAmount(
        required=False, help_text="What left the bank. Default: the approved amount."
    )
    paid_currency = CurrencyField(
        required=False, help_text=f"The enterprise's currency or {settings.BOOK_CURRENCY}."
    )
    bank_account_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Account.objects.filter(role=AccountRole.BANK),
        required=False, allow_null=True, help_text="Default: the currency's bank account.",
    )  # fmt: skip
    comment = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict) -> dict:
        out = {k: attrs[k] for k in ("effective_date", "comment")}
        if "paid_amount" in attrs:
            attrs.setdefault("paid_currency", self.context["currency"])
            out["paid"] = money_in(attrs, "paid_amount", "paid_currency")
        bank = attrs.get("bank_account_code")
        out["bank_account_code"] = bank.code if bank else ""
        return out


class DisbursementPayApi(OperationApi):
    @extend_schema(tags=TAGS, summary="Mark an approved disbursement paid",
                   description="Posts the approval's entry and books the payment from the "
                   "bank. 409 when the fund would go negative or the disbursement is not "
                   "approved.", request=PayIn, responses=answers(200, DisbursementOut))  # fmt: skip
    def post(self, request: Request, pk: int) -> Response:
        disbursement = get_object_or_404(Disbursement, pk=pk)
        context = {"currency": disbursement.amount.currency.code}
        data = PayIn(data=request.data, context=context)
        data.is_valid(raise_exception=True)
        paid = disbursement_pay(disbursement=disbursement, actor=request.user,
                                **data.validated_data)  # fmt: skip
        return Response(DisbursementOut(paid).data)


class CancelIn(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the disbursement is withdrawn.")


class DisbursementCancelApi(OperationApi):
    @extend_schema(tags=TAGS, summary="Cancel an approved, unpaid disbursement",
                   description="Voids its pending entry. 409 once it is paid or cancelled.",
                   request=CancelIn, responses=answers(200, DisbursementOut))  # fmt: skip
    def post(self, request: Request, pk: int) -> Response:
        disbursement = get_object_or_404(Disbursement, pk=pk)
        data = CancelIn(data=request.data)
        data.is_valid(raise_exception=True)
        cancelled = disbursement_cancel(disbursement=disbursement, actor=request.user,
                                        **data.validated_data)  # fmt: skip
        return Response(DisbursementOut(cancelled).data)

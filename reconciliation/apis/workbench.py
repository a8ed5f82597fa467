"""The reconciliation workbench: unmatched items, and the treasurer's decisions on them."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import Amount, TreasurerApi
from ledger.models import JournalEntry
from reconciliation.models import BankStatementLine, ProviderPayout
from reconciliation.selectors import WORKBENCH_LIMIT, workbench
from reconciliation.services import matching

TAGS = ["ledger: reconciliation"]


class ItemOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    entry_id = serializers.IntegerField(allow_null=True)
    method = serializers.CharField()
    explanation = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)


class BalanceTransactionOut(ItemOut):
    provider = serializers.CharField()
    stripe_id = serializers.CharField(source="provider_id", help_text="The provider's id.")
    type = serializers.CharField()
    source_id = serializers.CharField()
    amount = Amount()
    fee = Amount()
    net = Amount()
    currency = serializers.CharField()
    created = serializers.DateTimeField()
    payout_id = serializers.CharField()


class PayoutOut(ItemOut):
    provider = serializers.CharField()
    stripe_id = serializers.CharField(source="provider_id", help_text="The provider's id.")
    amount = Amount()
    currency = serializers.CharField()
    arrival_date = serializers.DateField()
    payout_status = serializers.CharField()
    bank_line_id = serializers.IntegerField(allow_null=True)


class BankLineOut(ItemOut):
    date = serializers.DateField()
    description = serializers.CharField()
    amount = Amount()
    currency = serializers.CharField()
    reference = serializers.CharField()
    bank_account = serializers.CharField(source="bank_account.code", default=None)


class WorkbenchOut(serializers.Serializer):
    balance_transactions = BalanceTransactionOut(many=True)
    payouts = PayoutOut(many=True)
    payouts_without_deposit = PayoutOut(many=True)
    bank_lines = BankLineOut(many=True)
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="How many of each kind there are in all; each list shows the oldest "
        f"{WORKBENCH_LIMIT}.",
    )


OUT = {"balance_transaction": BalanceTransactionOut, "payout": PayoutOut, "bank_line": BankLineOut}


class WorkbenchApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Unmatched items to resolve", responses=WorkbenchOut)
    def get(self, request: Request):
        return Response(WorkbenchOut(workbench()).data)


class AutoMatchOut(serializers.Serializer):
    balance_transactions = serializers.IntegerField()
    payouts = serializers.IntegerField()
    payouts_to_bank = serializers.IntegerField()
    bank_lines = serializers.IntegerField()


class AutoMatchApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Run the automatic matcher again", request=None,
                   responses=AutoMatchOut)  # fmt: skip
    def post(self, request: Request):
        return Response(matching.reconciliation_auto_match())


class MatchIn(serializers.Serializer):
    entry_id = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField()


def _item(item_type: str, pk: int):  # noqa: ANN202 - one of three item models
    model = matching.ITEM_MODELS.get(item_type)
    return get_object_or_404(model, pk=pk) if model else get_object_or_404(ProviderPayout, pk=0)


class ItemMatchApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Match an item to a journal entry by hand",
                   description="item_type: balance_transaction, payout or bank_line.",
                   request=MatchIn, responses=ItemOut)  # fmt: skip
    def post(self, request: Request, item_type: str, pk: int):
        data = MatchIn(data=request.data)
        data.is_valid(raise_exception=True)
        entry = get_object_or_404(JournalEntry, pk=data.validated_data["entry_id"])
        item = matching.reconciliation_match(
            item=_item(item_type, pk), entry=entry, actor=request.user,
            reason=data.validated_data["reason"],
        )  # fmt: skip
        return Response(OUT[item_type](item).data)


class ItemExplainApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Mark an item as explained (no entry), with a reason",
                   request=ReasonIn, responses=ItemOut)  # fmt: skip
    def post(self, request: Request, item_type: str, pk: int):
        data = ReasonIn(data=request.data)
        data.is_valid(raise_exception=True)
        item = matching.reconciliation_explain(
            item=_item(item_type, pk), reason=data.validated_data["reason"], actor=request.user
        )
        return Response(OUT[item_type](item).data)


class ItemUnmatchApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Undo a match or an explanation, with a reason",
                   request=ReasonIn, responses=ItemOut)  # fmt: skip
    def post(self, request: Request, item_type: str, pk: int):
        data = ReasonIn(data=request.data)
        data.is_valid(raise_exception=True)
        item = matching.reconciliation_unmatch(
            item=_item(item_type, pk), reason=data.validated_data["reason"], actor=request.user
        )
        return Response(OUT[item_type](item).data)


class LinkPayoutsIn(serializers.Serializer):
    payout_ids = serializers.ListField(child=serializers.CharField(), min_length=1,
                                       help_text="The provider's payout ids (po_...).")  # fmt: skip


class LinkPayoutsApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Payouts that arrived as this one bank deposit",
                   request=LinkPayoutsIn, responses=BankLineOut)  # fmt: skip
    def post(self, request: Request, pk: int):
        data = LinkPayoutsIn(data=request.data)
        data.is_valid(raise_exception=True)
        line = get_object_or_404(BankStatementLine, pk=pk)
        ids = data.validated_data["payout_ids"]
        payouts = list(ProviderPayout.objects.filter(provider_id__in=ids))
        line = matching.reconciliation_link_payouts(
            bank_line=line, payouts=payouts, actor=request.user
        )
        return Response(BankLineOut(line).data)

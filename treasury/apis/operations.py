"""The treasurer's posting operations: offline gifts, releases from restriction, manual
adjusting entries, reversals, FX revaluation, and each campaign's fee share.

Each view validates its input, calls one ledger service, and answers with what it wrote;
the services' refusals (closed period, fund would go negative, already reversed) come back
as 4xx `{"message", "code", "fields"}` through the project's exception handler.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns.models import Campaign
from common.api import (
    CountryField,
    CurrencyField,
    OperationApi,
    PositiveAmount,
    Rate,
    answers,
    money_in,
)
from ledger.apis.operations_io import EntryOut
from ledger.models import Account, AccountRole, JournalEntry
from ledger.services import rules
from ledger.services.corrections import entry_reverse_once
from ledger.services.posting import credit, debit
from treasury.models import FeeShare
from treasury.services.fees import fee_share_for, fee_share_set
from treasury.services.operations import offline_gift_record, release_record

TAGS = ["ledger: operations"]
ENTRY_RESPONSES = answers(201, EntryOut)


def _created(entry: JournalEntry) -> Response:
    return Response(EntryOut(entry).data, status=status.HTTP_201_CREATED)


class OfflineGiftIn(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    reference = serializers.CharField(max_length=150, help_text="The bank line; books it once.")
    amount = PositiveAmount()
    currency = CurrencyField()
    exchange_rate = Rate(required=False, help_text="MYR per unit; needed for other currencies.")
    bank_account_code = serializers.SlugRelatedField(
        slug_field="code", queryset=Account.objects.filter(role=AccountRole.BANK),
        required=False, allow_null=True, help_text="Default: the currency's bank account.",
    )  # fmt: skip
    donor_country = CountryField(help_text="ISO 3166 alpha-2, for the foreign-gifts schedule.")
    effective_date = serializers.DateField(help_text="The day the money arrived.")

    def validate(self, attrs: dict) -> dict:
        attrs["amount"] = money_in(attrs, "amount", "currency")
        return attrs


class OfflineGiftApi(OperationApi):
    @extend_schema(tags=TAGS, summary="Record a gift received by bank transfer",
                   description="Dr bank, Cr the campaign's restricted fund. Idempotent on "
                   "`reference`: the same gift again returns the first entry.",
                   request=OfflineGiftIn, responses=ENTRY_RESPONSES)  # fmt: skip
    def post(self, request: Request) -> Response:
        data = OfflineGiftIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        bank = d.get("bank_account_code")
        entry = offline_gift_record(
            campaign=d["campaign"], reference=d["reference"], amount=d["amount"],
            bank_account_code=bank.code if bank else None, donor_country=d["donor_country"],
            effective_date=d["effective_date"], actor=request.user,
            exchange_rate=d.get("exchange_rate"),
        )  # fmt: skip
        return _created(entry)


class ReleaseIn(serializers.Serializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    reference = serializers.CharField(max_length=150)
    amount = PositiveAmount()
    currency = CurrencyField()
    book_rate = Rate(required=False, help_text="MYR per unit; needed for other currencies.")
    reason = serializers.CharField(help_text="Why the restriction no longer applies.")
    effective_date = serializers.DateField()

    def validate(self, attrs: dict) -> dict:
        attrs["amount"] = money_in(attrs, "amount", "currency")
        return attrs


class ReleaseApi(OperationApi):
    @extend_schema(tags=TAGS, summary="Release money from a campaign's restriction",
                   description="Dr the campaign's fund, Cr the operations (unrestricted) fund.",
                   request=ReleaseIn, responses=ENTRY_RESPONSES)  # fmt: skip
    def post(self, request: Request) -> Response:
        data = ReleaseIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        entry = release_record(
            campaign=d["campaign"], reference=d["reference"], amount=d["amount"],
            reason=d["reason"], effective_date=d["effective_date"], actor=request.user,
            book_rate=d.get("book_rate"),
        )  # fmt: skip
        return _created(entry)


class LineIn(serializers.Serializer):
    account = serializers.SlugRelatedField(slug_field="code", queryset=Account.objects.all())
    side = serializers.ChoiceField(choices=["debit", "credit"])
    amount = PositiveAmount(help_text="In the account's currency.")
    rate = Rate(required=False, help_text="MYR per unit; needed for other currencies.")

    def validate(self, attrs: dict) -> dict:
        attrs["currency"] = attrs["account"].currency
        money = money_in(attrs, "amount", "currency")
        make = debit if attrs["side"] == "debit" else credit
        return {"line": make(attrs["account"], money, rate=attrs.get("rate"))}


class ManualAdjustmentIn(serializers.Serializer):
    reason = serializers.CharField(help_text="Required; kept on the entry.")
    effective_date = serializers.DateField()
    reference = serializers.CharField(max_length=150, required=False, default="")
    allow_negative = serializers.BooleanField(
        default=False, help_text="Let a restricted fund or Stripe clearing go below zero."
    )
    lines = LineIn(many=True, min_length=2)


class ManualAdjustmentApi(OperationApi):
    @extend_schema(tags=TAGS, summary="Post a manual adjusting entry (reason required)",
                   description="The lines must balance per currency and in MYR. Without a "
                   "`reference` a double submit of the same content books it once.",
                   request=ManualAdjustmentIn, responses=ENTRY_RESPONSES)  # fmt: skip
    def post(self, request: Request) -> Response:
        data = ManualAdjustmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        entry = rules.manual_adjustment(
            lines=[line["line"] for line in d["lines"]], reason=d["reason"],
            effective_date=d["effective_date"], recorded_by=request.user,
            reference=d["reference"], allow_negative=d["allow_negative"],
        )  # fmt: skip
        return _created(entry)


class ReverseIn(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the entry is wrong; kept on the reversal.")
    effective_date = serializers.DateField(required=False, help_text="Default: today.")
    allow_negative = serializers.BooleanField(default=False)


class EntryReverseApi(OperationApi):
    @extend_schema(tags=TAGS, summary="Reverse a posted entry (at most once)",
                   description="Posts the mirror image of the entry. 409 when the entry was "
                   "reversed already or is not posted.",
                   request=ReverseIn, responses=ENTRY_RESPONSES)  # fmt: skip
    def post(self, request: Request, pk: int) -> Response:
        data = ReverseIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        entry = get_object_or_404(JournalEntry, pk=pk)
        reversal = entry_reverse_once(
            entry=entry, reason=d["reason"], recorded_by=request.user,
            effective_date=d.get("effective_date") or timezone.localdate(),
            allow_negative=d["allow_negative"],
        )  # fmt: skip
        return _created(reversal)


class RevaluationIn(serializers.Serializer):
    as_of = serializers.DateField(help_text="Period end; the entry's effective date.")
    closing_rates = serializers.DictField(
        child=Rate(), allow_empty=False,
        help_text='MYR per unit at the close, by currency: {"PHP": "0.0825"}.',
    )  # fmt: skip

    def validate_closing_rates(self, rates: dict) -> dict:
        field = CurrencyField()
        return {field.to_internal_value(code): rate for code, rate in rates.items()}


class RevaluationApi(OperationApi):
    @extend_schema(tags=TAGS, summary="Period-end FX revaluation at closing rates",
                   description="Revalues foreign-currency bank, clearing, disputed-funds and "
                   "payable balances; the change goes to unrealised FX. Once per date.",
                   request=RevaluationIn, responses=ENTRY_RESPONSES)  # fmt: skip
    def post(self, request: Request) -> Response:
        data = RevaluationIn(data=request.data)
        data.is_valid(raise_exception=True)
        entry = rules.fx_revaluation(recorded_by=request.user, **data.validated_data)
        return _created(entry)


class FeeShareOut(serializers.Serializer):
    campaign = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=5, decimal_places=4)
    is_default = serializers.BooleanField(help_text="No share set: the secretariat's default.")
    reason = serializers.CharField()
    set_by = serializers.CharField(allow_null=True)
    set_at = serializers.DateTimeField(allow_null=True)


class FeeShareIn(serializers.Serializer):
    share = serializers.DecimalField(
        max_digits=5, decimal_places=4, help_text="0 to 0.5; 0.0500 takes 5% of each donation."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _fee_share(campaign: Campaign) -> dict:
    row = FeeShare.objects.filter(campaign=campaign).select_related("set_by").first()
    return {
        "campaign": campaign.pk, "share": fee_share_for(campaign_id=campaign.pk),
        "is_default": row is None, "reason": row.reason if row else "",
        "set_by": row.set_by.username if row and row.set_by else None,
        "set_at": row.set_at if row else None,
    }  # fmt: skip


class FeeShareApi(OperationApi):
    @extend_schema(tags=TAGS, summary="The secretariat's fee share of a campaign",
                   responses=answers(200, FeeShareOut))  # fmt: skip
    def get(self, request: Request, campaign_id: int) -> Response:
        campaign = get_object_or_404(Campaign, pk=campaign_id)
        return Response(FeeShareOut(_fee_share(campaign)).data)

    @extend_schema(tags=TAGS, summary="Set the secretariat's fee share of a campaign",
                   description="Applies to donations booked from now on.",
                   request=FeeShareIn, responses=answers(200, FeeShareOut))  # fmt: skip
    def put(self, request: Request, campaign_id: int) -> Response:
        campaign = get_object_or_404(Campaign, pk=campaign_id)
        data = FeeShareIn(data=request.data)
        data.is_valid(raise_exception=True)
        fee_share_set(campaign_id=campaign.pk, actor=request.user, **data.validated_data)
        return Response(FeeShareOut(_fee_share(campaign)).data)

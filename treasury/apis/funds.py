"""The treasurer's reports on the campaigns' restricted funds: the statement of changes in
funds and one campaign's fund statement (JSON, or `?format=csv|xlsx`)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request

from campaigns.models import Campaign
from common.api import (
    FORMAT_PARAMETER,
    Amount,
    OptionalPeriodQuery,
    PeriodQuery,
    TreasurerApi,
    file_responses,
    query,
    report_response,
)
from ledger.selectors.funds import FundStatement
from ledger.services.chart import owner_pk
from treasury import selectors

TAGS = ["ledger: reports"]


class FundChangeOut(serializers.Serializer):
    fund = serializers.CharField()
    campaign_id = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField()
    restricted = serializers.BooleanField()
    opening_myr = Amount(source="opening_book")
    income_myr = Amount(source="income_book")
    expenditure_myr = Amount(source="expenditure_book")
    gains_myr = Amount(source="gains_book")
    transfers_myr = Amount(source="transfers_book")
    closing_myr = Amount(source="closing_book")
    closing = Amount(allow_null=True, help_text="In the fund's own currency.")


class ChangesInFundsOut(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    balanced = serializers.BooleanField()
    rows = FundChangeOut(many=True)


class ChangesInFundsApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Statement of changes in funds",
                   parameters=[PeriodQuery, FORMAT_PARAMETER],
                   responses=file_responses(ChangesInFundsOut))  # fmt: skip
    def get(self, request: Request):
        report = selectors.changes_in_funds(**query(request, PeriodQuery))
        name = f"changes in funds {report.date_from} {report.date_to}"
        return report_response(request, report, ChangesInFundsOut, name)


class FundOut(serializers.Serializer):
    account_code = serializers.CharField()
    currency = serializers.CharField()
    opening = Amount()
    received = Amount()
    spent = Amount()
    closing = Amount()
    lines = serializers.ListField(
        child=serializers.ListField(), help_text="Journal columns plus the running balance."
    )


class FundStatementOut(serializers.Serializer):
    campaign_id = serializers.SerializerMethodField()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    funds = FundOut(many=True)

    def get_campaign_id(self, report: FundStatement) -> int:
        return owner_pk(report.owner, "campaign")


class FundStatementApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="One campaign's restricted fund statement",
                   parameters=[OptionalPeriodQuery, FORMAT_PARAMETER],
                   responses=file_responses(FundStatementOut))  # fmt: skip
    def get(self, request: Request, campaign_id: int):
        get_object_or_404(Campaign, pk=campaign_id)  # a mistyped id is not an empty fund
        params = query(request, OptionalPeriodQuery)
        report = selectors.campaign_fund_statement(campaign_id=campaign_id, **params)
        return report_response(request, report, FundStatementOut, f"campaign {campaign_id} fund")

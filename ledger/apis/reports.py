"""The treasurer's reports: JSON, or `?format=csv|xlsx` for an accountant's import."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request

from common.api import (
    FORMAT_PARAMETER,
    Amount,
    AsOfQuery,
    OptionalPeriodQuery,
    PeriodQuery,
    TreasurerApi,
    file_responses,
    query,
    report_response,
)
from ledger.selectors import funds, reports, schedules

TAGS = ["ledger: reports"]


class TotalsOut(serializers.Serializer):
    basis = serializers.ChoiceField(
        choices=["currency", "book"],
        help_text="currency: that currency's own amounts; book: every account in MYR.",
    )
    currency = serializers.CharField()
    debit = Amount()
    credit = Amount()
    difference = Amount()


class TrialBalanceRowOut(serializers.Serializer):
    account_code = serializers.CharField()
    account_name = serializers.CharField()
    type = serializers.CharField()
    currency = serializers.CharField()
    debit = Amount(allow_null=True)
    credit = Amount(allow_null=True)
    debit_myr = Amount(allow_null=True)
    credit_myr = Amount(allow_null=True)


class TrialBalanceOut(serializers.Serializer):
    as_of = serializers.DateField()
    balanced = serializers.BooleanField()
    rows = TrialBalanceRowOut(many=True)
    totals = TotalsOut(many=True, help_text="Per currency, then the book currency (MYR).")


class TrialBalanceApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Trial balance, per currency and in MYR",
                   parameters=[AsOfQuery, FORMAT_PARAMETER],
                   responses=file_responses(TrialBalanceOut))  # fmt: skip
    def get(self, request: Request):
        report = reports.trial_balance(**query(request, AsOfQuery))
        return report_response(request, report, TrialBalanceOut, f"trial balance {report.as_of}")


class SheetLineOut(serializers.Serializer):
    section = serializers.CharField()
    account_code = serializers.CharField()
    account_name = serializers.CharField()
    currency = serializers.CharField()
    amount = Amount()
    amount_myr = Amount()


class BalanceSheetOut(serializers.Serializer):
    as_of = serializers.DateField()
    balanced = serializers.BooleanField()
    lines = SheetLineOut(many=True)
    totals = serializers.DictField(child=Amount())


class BalanceSheetApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Balance sheet: assets less liabilities equal the funds",
                   parameters=[AsOfQuery, FORMAT_PARAMETER],
                   responses=file_responses(BalanceSheetOut))  # fmt: skip
    def get(self, request: Request):
        report = reports.balance_sheet(**query(request, AsOfQuery))
        return report_response(request, report, BalanceSheetOut, f"balance sheet {report.as_of}")


class ColumnsOut(serializers.Serializer):
    line = serializers.CharField()
    unrestricted = Amount()
    restricted = Amount()
    total = Amount()


class IncomeLineOut(ColumnsOut):
    section = serializers.CharField()


class IncomeExpenditureOut(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    balanced = serializers.BooleanField()
    lines = IncomeLineOut(many=True)
    totals = ColumnsOut(many=True)


class IncomeExpenditureApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Income and expenditure, restricted and unrestricted",
                   parameters=[PeriodQuery, FORMAT_PARAMETER],
                   responses=file_responses(IncomeExpenditureOut))  # fmt: skip
    def get(self, request: Request):
        report = reports.income_expenditure(**query(request, PeriodQuery))
        name = f"income and expenditure {report.date_from} {report.date_to}"
        return report_response(request, report, IncomeExpenditureOut, name)


class FundChangeOut(serializers.Serializer):
    fund = serializers.CharField()
    campaign_id = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField()
    restricted = serializers.BooleanField()
    opening_myr = Amount()
    income_myr = Amount()
    expenditure_myr = Amount()
    gains_myr = Amount()
    transfers_myr = Amount()
    closing_myr = Amount()
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
        report = funds.changes_in_funds(**query(request, PeriodQuery))
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
    campaign_id = serializers.IntegerField()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    funds = FundOut(many=True)


class FundStatementApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="One campaign's restricted fund statement",
                   parameters=[OptionalPeriodQuery, FORMAT_PARAMETER],
                   responses=file_responses(FundStatementOut))  # fmt: skip
    def get(self, request: Request, campaign_id: int):
        params = query(request, OptionalPeriodQuery)
        report = funds.fund_statement(campaign_id=campaign_id, **params)
        return report_response(request, report, FundStatementOut, f"campaign {campaign_id} fund")


class ForeignRowOut(serializers.Serializer):
    country = serializers.CharField()
    country_name = serializers.CharField()
    gifts = serializers.IntegerField()
    received_myr = Amount()
    returned_myr = Amount()
    net_myr = Amount()
    currencies = serializers.CharField()


class ForeignScheduleOut(serializers.Serializer):
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    rows = ForeignRowOut(many=True)
    totals = serializers.DictField()


class ForeignContributionsApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Money received from outside Malaysia, by donor country",
                   parameters=[PeriodQuery, FORMAT_PARAMETER],
                   responses=file_responses(ForeignScheduleOut))  # fmt: skip
    def get(self, request: Request):
        report = schedules.outside_malaysia(**query(request, PeriodQuery))
        name = f"foreign contributions {report.date_from} {report.date_to}"
        return report_response(request, report, ForeignScheduleOut, name)

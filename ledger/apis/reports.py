"""The treasurer's reports: JSON, or `?format=csv|xlsx` for an accountant's import."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request

from common.api import (
    FORMAT_PARAMETER,
    Amount,
    AsOfQuery,
    PeriodQuery,
    TreasurerApi,
    file_responses,
    query,
    report_response,
)
from ledger.selectors import reports, schedules

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
    debit_myr = Amount(allow_null=True, source="debit_book", help_text="In the book currency.")
    credit_myr = Amount(allow_null=True, source="credit_book", help_text="In the book currency.")


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
        report = reports.trial_balance_report(**query(request, AsOfQuery))
        return report_response(request, report, TrialBalanceOut, f"trial balance {report.as_of}")


class SheetLineOut(serializers.Serializer):
    section = serializers.CharField()
    account_code = serializers.CharField()
    account_name = serializers.CharField()
    currency = serializers.CharField()
    amount = Amount()
    amount_myr = Amount(source="amount_book", help_text="In the book currency.")


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


class ForeignRowOut(serializers.Serializer):
    country = serializers.CharField()
    country_name = serializers.CharField()
    gifts = serializers.IntegerField()
    received_myr = Amount(source="received_book", help_text="In the book currency.")
    returned_myr = Amount(source="returned_book", help_text="In the book currency.")
    net_myr = Amount(source="net_book", help_text="In the book currency.")
    currencies = serializers.CharField()


class ForeignScheduleOut(serializers.Serializer):
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    rows = ForeignRowOut(many=True)
    totals = serializers.SerializerMethodField()

    def get_totals(self, report: schedules.ForeignSchedule) -> dict:
        """The totals under the export's column names (gifts, received_myr, ...)."""
        names = {key: column for column, key in report.COLUMNS.items()}
        return {names.get(key, key): value for key, value in report.totals.items()}


class ForeignContributionsApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Money received from outside Malaysia, by donor country",
                   parameters=[PeriodQuery, FORMAT_PARAMETER],
                   responses=file_responses(ForeignScheduleOut))  # fmt: skip
    def get(self, request: Request):
        report = schedules.outside_malaysia(**query(request, PeriodQuery))
        name = f"foreign contributions {report.date_from} {report.date_to}"
        return report_response(request, report, ForeignScheduleOut, name)

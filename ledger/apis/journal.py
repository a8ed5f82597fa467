"""The general journal, the chart of accounts with balances, and account statements."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import (
    FORMAT_PARAMETER,
    PAGE_PARAMETERS,
    Amount,
    OptionalPeriodQuery,
    PageOut,
    Pages,
    TreasurerApi,
    file_response,
    file_responses,
    query,
    wants_file,
)
from common.exports import Table
from ledger.models import Account
from ledger.selectors import balances, journal
from ledger.selectors.journal import JOURNAL_COLUMNS
from ledger.services.chart import owner_pk

TAGS = ["ledger: journal and accounts"]


class JournalRowOut(serializers.Serializer):
    date = serializers.DateField()
    entry_no = serializers.IntegerField()
    account_code = serializers.CharField()
    account_name = serializers.CharField()
    description = serializers.CharField()
    debit = Amount(allow_null=True)
    credit = Amount(allow_null=True)
    currency = serializers.CharField()
    myr_amount = Amount(help_text="Signed, debit positive.")
    rate = Amount()
    reference = serializers.CharField()


class JournalPageOut(PageOut):
    """One page of the general journal, one row per posting."""

    results = JournalRowOut(many=True)


class JournalApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="General journal, one row per posting (paginated)",
                   parameters=[OptionalPeriodQuery, FORMAT_PARAMETER, *PAGE_PARAMETERS],
                   responses=file_responses(JournalPageOut))  # fmt: skip
    def get(self, request: Request):
        params = query(request, OptionalPeriodQuery)
        fmt = wants_file(request)
        if fmt:
            return file_response([journal.journal_table(**params)], fmt, "general journal")
        pages = Pages()
        postings = pages.paginate_queryset(journal.journal_postings(**params), request, view=self)
        rows = [dict(zip(JOURNAL_COLUMNS, journal.journal_row(p), strict=True)) for p in postings]
        return pages.get_paginated_response(JournalRowOut(rows, many=True).data)


class AccountOut(serializers.Serializer):
    code = serializers.CharField(source="account.code")
    name = serializers.CharField(source="account.name")
    type = serializers.CharField(source="account.type")
    role = serializers.CharField(source="account.role")
    currency = serializers.CharField(source="account.currency")
    owner = serializers.CharField(
        source="account.owner", help_text="What it is kept for: campaign:42, stripe, ..."
    )
    campaign_id = serializers.SerializerMethodField(
        help_text="The campaign a restricted fund is kept for (from `owner`)."
    )
    balance = Amount(source="balance.amount", help_text="Signed, debit positive.")
    balance_myr = Amount(source="balance_book.amount", help_text="In the book currency.")

    def get_campaign_id(self, row: balances.TrialBalanceRow) -> int | None:
        # Kept for the API's clients from before accounts had owners.
        return owner_pk(row.account.owner, "campaign")


class AccountListApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Chart of accounts with current balances",
                   parameters=[FORMAT_PARAMETER],
                   responses=file_responses(AccountOut(many=True)))  # fmt: skip
    def get(self, request: Request):
        rows = balances.trial_balance_figures().rows
        fmt = wants_file(request)
        if fmt:
            columns = ("code", "name", "type", "role", "currency", "balance", "balance_myr")
            table = Table("Accounts", columns, [
                [r.account.code, r.account.name, r.account.type, r.account.role,
                 r.account.currency, r.balance.amount, r.balance_book.amount] for r in rows
            ])  # fmt: skip
            return file_response([table], fmt, "accounts")
        return Response(AccountOut(rows, many=True).data)


class StatementLineOut(serializers.Serializer):
    entry_id = serializers.IntegerField()
    effective_date = serializers.DateField()
    kind = serializers.CharField()
    memo = serializers.CharField()
    amount = Amount(source="amount.amount", help_text="Signed, debit positive.")
    amount_myr = Amount(source="amount_book")
    running_balance = Amount(source="running_balance.amount")


class StatementPageOut(serializers.Serializer):
    account = serializers.CharField()
    currency = serializers.CharField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    count = serializers.IntegerField()
    results = StatementLineOut(many=True)


class StatementQuery(OptionalPeriodQuery):
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=50)


class AccountStatementApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="An account's statement with running balance",
                   description="JSON is paginated over the whole history; the CSV/XLSX "
                   "export covers date_from..date_to.",
                   parameters=[StatementQuery, FORMAT_PARAMETER],
                   responses=file_responses(StatementPageOut))  # fmt: skip
    def get(self, request: Request, code: str):
        account = get_object_or_404(Account, code=code)
        params = query(request, StatementQuery)
        fmt = wants_file(request)
        if fmt:
            dates = {k: params.get(k) for k in ("date_from", "date_to")}
            report = journal.account_statement_export(account=account, **dates)
            return file_response(report.tables(), fmt, f"{account.code} statement")
        page = balances.account_statement(
            account=account, page=params["page"], page_size=params["page_size"]
        )
        return Response({
            "account": account.code, "currency": account.currency, "page": page.number,
            "pages": page.paginator.num_pages, "count": page.paginator.count,
            "results": StatementLineOut(page.object_list, many=True).data,
        })  # fmt: skip


class LateEntryOut(serializers.Serializer):
    entry_id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    memo = serializers.CharField()
    effective_date = serializers.DateField(help_text="The first open day, where it is booked.")
    original_date = serializers.DateField(
        source="source_refs.original_date", help_text="When it happened: in a closed period."
    )
    posted_at = serializers.DateTimeField()
    reference = serializers.SerializerMethodField(help_text="The provider's or our reference.")

    def get_reference(self, entry) -> str:
        return journal.reference(entry.source_refs, entry.idempotency_key)


class LateEntryPageOut(PageOut):
    results = LateEntryOut(many=True)


class LateEntriesApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Entries booked late because their date was closed",
                   description="Money a payment provider had already moved (a gift settled, a "
                   "refund, a dispute, a payout, their fees) whose day was in a closed period "
                   "when we heard of it: booked on the first day after the closed periods, its "
                   "own date kept as `original_date`. Newest first. Treasurer only.",
                   parameters=PAGE_PARAMETERS, responses=LateEntryPageOut)  # fmt: skip
    def get(self, request: Request):
        pages = Pages()
        page = pages.paginate_queryset(journal.late_entries(), request, view=self)
        return pages.get_paginated_response(LateEntryOut(page, many=True).data)

"""The treasurer's API under /api/v1/ledger/."""

from django.urls import path

from ledger.apis import journal, periods, reports

urlpatterns = [
    path("trial-balance/", reports.TrialBalanceApi.as_view(), name="api-ledger-trial-balance"),
    path("balance-sheet/", reports.BalanceSheetApi.as_view(), name="api-ledger-balance-sheet"),
    path("income-expenditure/", reports.IncomeExpenditureApi.as_view(),
         name="api-ledger-income-expenditure"),
    path("foreign-contributions/", reports.ForeignContributionsApi.as_view(),
         name="api-ledger-foreign-contributions"),
    path("journal/", journal.JournalApi.as_view(), name="api-ledger-journal"),
    path("late-entries/", journal.LateEntriesApi.as_view(), name="api-ledger-late-entries"),
    path("accounts/", journal.AccountListApi.as_view(), name="api-ledger-accounts"),
    path("accounts/<str:code>/statement/", journal.AccountStatementApi.as_view(),
         name="api-ledger-account-statement"),
    path("periods/", periods.PeriodListApi.as_view(), name="api-ledger-periods"),
    path("periods/close/", periods.PeriodCloseApi.as_view(), name="api-ledger-period-close"),
    path("periods/<id:pk>/reopen/", periods.PeriodReopenApi.as_view(),
         name="api-ledger-period-reopen"),
]  # fmt: skip

"""The treasurer's API under /api/v1/ledger/."""

from django.urls import path

from ledger.apis import journal, periods, reconciliation, reports, workbench

urlpatterns = [
    path("trial-balance/", reports.TrialBalanceApi.as_view(), name="api-ledger-trial-balance"),
    path("balance-sheet/", reports.BalanceSheetApi.as_view(), name="api-ledger-balance-sheet"),
    path("income-expenditure/", reports.IncomeExpenditureApi.as_view(),
         name="api-ledger-income-expenditure"),
    path("changes-in-funds/", reports.ChangesInFundsApi.as_view(),
         name="api-ledger-changes-in-funds"),
    path("campaigns/<int:campaign_id>/fund-statement/", reports.FundStatementApi.as_view(),
         name="api-ledger-fund-statement"),
    path("foreign-contributions/", reports.ForeignContributionsApi.as_view(),
         name="api-ledger-foreign-contributions"),
    path("journal/", journal.JournalApi.as_view(), name="api-ledger-journal"),
    path("accounts/", journal.AccountListApi.as_view(), name="api-ledger-accounts"),
    path("accounts/<str:code>/statement/", journal.AccountStatementApi.as_view(),
         name="api-ledger-account-statement"),
    path("periods/", periods.PeriodListApi.as_view(), name="api-ledger-periods"),
    path("periods/close/", periods.PeriodCloseApi.as_view(), name="api-ledger-period-close"),
    path("periods/<int:pk>/reopen/", periods.PeriodReopenApi.as_view(),
         name="api-ledger-period-reopen"),
    path("reconciliation/imports/", reconciliation.ImportListCreateApi.as_view(),
         name="api-ledger-imports"),
    path("reconciliation/imports/<int:pk>/", reconciliation.ImportDetailApi.as_view(),
         name="api-ledger-import"),
    path("reconciliation/report/", reconciliation.ReconciliationReportApi.as_view(),
         name="api-ledger-reconciliation-report"),
    path("reconciliation/workbench/", workbench.WorkbenchApi.as_view(),
         name="api-ledger-workbench"),
    path("reconciliation/auto-match/", workbench.AutoMatchApi.as_view(),
         name="api-ledger-auto-match"),
    path("reconciliation/items/<str:item_type>/<int:pk>/match/", workbench.ItemMatchApi.as_view(),
         name="api-ledger-item-match"),
    path("reconciliation/items/<str:item_type>/<int:pk>/explain/",
         workbench.ItemExplainApi.as_view(), name="api-ledger-item-explain"),
    path("reconciliation/items/<str:item_type>/<int:pk>/unmatch/",
         workbench.ItemUnmatchApi.as_view(), name="api-ledger-item-unmatch"),
    path("reconciliation/bank-lines/<int:pk>/link-payouts/", workbench.LinkPayoutsApi.as_view(),
         name="api-ledger-link-payouts"),
]  # fmt: skip

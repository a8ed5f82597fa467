"""The treasurer's reconciliation API, under /api/v1/ledger/reconciliation/."""

from django.urls import path

from reconciliation.apis import imports, workbench

urlpatterns = [
    path("reconciliation/imports/", imports.ImportListCreateApi.as_view(),
         name="api-ledger-imports"),
    path("reconciliation/imports/<id:pk>/", imports.ImportDetailApi.as_view(),
         name="api-ledger-import"),
    path("reconciliation/imports/<id:pk>/file/", imports.ImportFileApi.as_view(),
         name="api-ledger-import-file"),
    path("reconciliation/report/", imports.ReconciliationReportApi.as_view(),
         name="api-ledger-reconciliation-report"),
    path("reconciliation/workbench/", workbench.WorkbenchApi.as_view(),
         name="api-ledger-workbench"),
    path("reconciliation/auto-match/", workbench.AutoMatchApi.as_view(),
         name="api-ledger-auto-match"),
    path("reconciliation/items/<str:item_type>/<id:pk>/match/", workbench.ItemMatchApi.as_view(),
         name="api-ledger-item-match"),
    path("reconciliation/items/<str:item_type>/<id:pk>/explain/",
         workbench.ItemExplainApi.as_view(), name="api-ledger-item-explain"),
    path("reconciliation/items/<str:item_type>/<id:pk>/unmatch/",
         workbench.ItemUnmatchApi.as_view(), name="api-ledger-item-unmatch"),
    path("reconciliation/bank-lines/<id:pk>/link-payouts/", workbench.LinkPayoutsApi.as_view(),
         name="api-ledger-link-payouts"),
]  # fmt: skip

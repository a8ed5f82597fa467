"""The treasurer's operations and campaign fund reports, under /api/v1/ledger/, and the
reference exchange rates at /api/v1/exchange-rates/."""

from django.urls import path

from treasury.apis import disbursements, funds, operations, rates

urlpatterns = [
    path("ledger/changes-in-funds/", funds.ChangesInFundsApi.as_view(),
         name="api-ledger-changes-in-funds"),
    path("ledger/campaigns/<id:campaign_id>/fund-statement/", funds.FundStatementApi.as_view(),
         name="api-ledger-fund-statement"),
    path("ledger/offline-gifts/", operations.OfflineGiftApi.as_view(),
         name="api-ledger-offline-gifts"),
    path("ledger/releases/", operations.ReleaseApi.as_view(), name="api-ledger-releases"),
    path("ledger/manual-adjustments/", operations.ManualAdjustmentApi.as_view(),
         name="api-ledger-manual-adjustments"),
    path("ledger/entries/<id:pk>/reverse/", operations.EntryReverseApi.as_view(),
         name="api-ledger-entry-reverse"),
    path("ledger/fx-revaluations/", operations.RevaluationApi.as_view(),
         name="api-ledger-fx-revaluations"),
    path("ledger/campaigns/<id:campaign_id>/fee-share/", operations.FeeShareApi.as_view(),
         name="api-ledger-fee-share"),
    path("ledger/disbursements/", disbursements.DisbursementListCreateApi.as_view(),
         name="api-ledger-disbursements"),
    path("ledger/disbursements/<id:pk>/", disbursements.DisbursementDetailApi.as_view(),
         name="api-ledger-disbursement"),
    path("ledger/disbursements/<id:pk>/pay/", disbursements.DisbursementPayApi.as_view(),
         name="api-ledger-disbursement-pay"),
    path("ledger/disbursements/<id:pk>/cancel/", disbursements.DisbursementCancelApi.as_view(),
         name="api-ledger-disbursement-cancel"),
    path("exchange-rates/", rates.ReferenceRateApi.as_view(), name="exchange-rates"),
]  # fmt: skip

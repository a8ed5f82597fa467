"""Reconciliation for the treasurer: imports (with their progress) and the checks."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import (
    FORMAT_PARAMETER,
    PAGE_PARAMETERS,
    Amount,
    ErrorOut,
    PageOut,
    Pages,
    TreasurerApi,
    file_response,
    wants_file,
)
from common.errors import ApplicationError
from common.parsers import FormParser, JSONParser, MultiPartParser
from common.uploads import CsvUpload, private_file_response
from ledger.models import Account, AccountRole
from reconciliation import selectors as checks
from reconciliation.models import ImportJob, import_kinds
from reconciliation.services import imports

TAGS = ["ledger: reconciliation"]


class ImportJobOut(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = ["id", "kind", "state", "file_name", "total", "processed", "created_count",
                  "existing_count", "error", "created_at", "finished_at"]  # fmt: skip


class ImportJobPageOut(PageOut):
    """One page of import jobs, newest first."""

    results = ImportJobOut(many=True)


class ImportIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=import_kinds())
    file = CsvUpload(required=False, help_text="The CSV (a provider's or a bank's), UTF-8.")
    bank_account = serializers.CharField(required=False, help_text="Bank account code.")
    created_gte = serializers.IntegerField(required=False, help_text="API: from this epoch.")


class ImportListCreateApi(TreasurerApi):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(tags=TAGS, summary="Import jobs, newest first (paginated)",
                   operation_id="v1_ledger_imports_list", parameters=PAGE_PARAMETERS,
                   responses=ImportJobPageOut)  # fmt: skip
    def get(self, request: Request):
        pages = Pages()
        jobs = pages.paginate_queryset(ImportJob.objects.all(), request, view=self)
        return pages.get_paginated_response(ImportJobOut(jobs, many=True).data)

    @extend_schema(tags=TAGS, summary="Import a provider's transactions and payouts, or bank lines",
                   description="A CSV is checked at once (400 with the reason); the import then "
                   "runs in a worker: follow its progress at the job's address (Location).",
                   request={"multipart/form-data": ImportIn, "application/json": ImportIn},
                   responses={201: ImportJobOut})  # fmt: skip
    def post(self, request: Request):
        data = ImportIn(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        upload = params.get("file")
        job = imports.import_submit(
            kind=params["kind"], created_by=request.user,
            file_name=upload.name if upload else "", bank_account=_bank(params),
            data=upload.read() if upload else None, created_gte=params.get("created_gte"),
        )  # fmt: skip
        location = reverse("api-ledger-import", kwargs={"pk": job.pk})
        return Response(ImportJobOut(job).data, status=status.HTTP_201_CREATED,
                        headers={"Location": location})  # fmt: skip


def _bank(params: dict) -> Account | None:
    code = params.get("bank_account")
    if not code:
        return None
    account = Account.objects.filter(code=code, role=AccountRole.BANK).first()
    if account is None:
        raise ApplicationError(f"No bank account {code}.", code="no_account")
    return account


class ImportDetailApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="One import job: state and progress (processed/total)",
                   responses=ImportJobOut)  # fmt: skip
    def get(self, request: Request, pk: int):
        return Response(ImportJobOut(get_object_or_404(ImportJob, pk=pk)).data)


class ImportFileApi(TreasurerApi):
    """The file an import was given, for the treasurer only: always a download
    (`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`), named after the
    import, never after its sender's file."""

    @extend_schema(
        tags=TAGS, summary="The CSV an import was given, as a download (nosniff, attachment)",
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
                   404: OpenApiResponse(ErrorOut, description="No such import, or it had no "
                                        "file.")},
    )  # fmt: skip
    def get(self, request: Request, pk: int):
        found = checks.import_file(job_pk=pk)
        if found is None:
            raise Http404("This import has no file.")
        name, data = found
        return private_file_response(data, filename=name, content_type="text/csv; charset=utf-8")


class CheckRowOut(serializers.Serializer):
    stripe_id = serializers.CharField(source="provider_id", help_text="The provider's id.")
    type = serializers.CharField()
    net = Amount()
    currency = serializers.CharField()
    created = serializers.DateTimeField()
    entries = serializers.ListField(child=serializers.IntegerField())


class PayoutCheckOut(serializers.Serializer):
    stripe_id = serializers.CharField(source="provider_id", help_text="The provider's id.")
    currency = serializers.CharField()
    amount = Amount()
    arrival_date = serializers.DateField()
    status = serializers.CharField()
    carried = Amount(allow_null=True, help_text="Net of the transactions it paid out.")
    entry_id = serializers.IntegerField(allow_null=True)
    entry_amount = Amount(allow_null=True)
    bank_line_id = serializers.IntegerField(allow_null=True)
    deposit = Amount(allow_null=True)
    ok = serializers.BooleanField()


class ClearingOut(serializers.Serializer):
    account_code = serializers.CharField()
    currency = serializers.CharField()
    provider = serializers.CharField()
    ledger = Amount()
    stripe = Amount(source="provider_balance", help_text="The provider's own balance.")
    difference = Amount()


class ReportOut(serializers.Serializer):
    checked = serializers.IntegerField()
    booked_once = serializers.BooleanField()
    missing = CheckRowOut(many=True)
    duplicates = CheckRowOut(many=True)
    unknown = serializers.ListField(child=serializers.CharField())
    payouts = PayoutCheckOut(many=True)
    clearing = ClearingOut(many=True)


class ReconciliationReportApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Booked exactly once, payout totals, clearing nets to 0",
                   parameters=[FORMAT_PARAMETER], responses=ReportOut)  # fmt: skip
    def get(self, request: Request):
        fmt = wants_file(request)
        if fmt:
            return file_response(checks.reconciliation_tables(), fmt, "reconciliation")
        once = checks.provider_booked_once()
        return Response(ReportOut({
            "checked": once.checked, "booked_once": once.ok, "missing": once.missing,
            "duplicates": once.duplicates, "unknown": once.unknown,
            "payouts": checks.payout_totals(), "clearing": checks.clearing_check(),
        }).data)  # fmt: skip

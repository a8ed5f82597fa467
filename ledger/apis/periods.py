"""Closing and reopening accounting periods (the core's audited period services)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import TreasurerApi, answers
from ledger.models import ClosedPeriod, PeriodAudit, PeriodState
from ledger.services.periods import period_close, period_reopen

TAGS = ["ledger: periods"]


class PeriodAuditOut(serializers.Serializer):
    action = serializers.SerializerMethodField(help_text="close or reopen.")
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    reason = serializers.CharField(source="comment")
    at = serializers.DateTimeField()

    def get_action(self, audit: PeriodAudit) -> str:
        return "close" if audit.to_state == PeriodState.CLOSED else "reopen"


class PeriodOut(serializers.Serializer):
    id = serializers.IntegerField()
    until = serializers.DateField()
    state = serializers.CharField()
    reason = serializers.CharField()
    closed_at = serializers.DateTimeField()
    audit = PeriodAuditOut(many=True, source="audit.all")


class PeriodListApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Closed and reopened periods with their audit trail",
                   responses=PeriodOut(many=True))  # fmt: skip
    def get(self, request: Request):
        periods = ClosedPeriod.objects.prefetch_related("audit__actor")
        return Response(PeriodOut(periods, many=True).data)


class PeriodCloseIn(serializers.Serializer):
    until = serializers.DateField(
        help_text="Last effective date locked (inclusive): a day that has ended, before today "
        "in the secretariat's time zone (400 otherwise)."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PeriodCloseApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Close (lock) the books up to a date",
                   description="Nothing the treasurer enters can be dated in a closed period "
                   "(409 period_closed). Money a payment provider had already moved when we "
                   "hear of it is booked on the first open day instead, and listed under "
                   "`late-entries/`.",
                   request=PeriodCloseIn, responses=answers(201, PeriodOut))  # fmt: skip
    def post(self, request: Request):
        data = PeriodCloseIn(data=request.data)
        data.is_valid(raise_exception=True)
        period = period_close(actor=request.user, **data.validated_data)
        return Response(PeriodOut(period).data, status=status.HTTP_201_CREATED)


class PeriodReopenIn(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the closed period must be reopened.")


class PeriodReopenApi(TreasurerApi):
    @extend_schema(tags=TAGS, summary="Reopen a closed period, with a reason",
                   request=PeriodReopenIn, responses=answers(200, PeriodOut))  # fmt: skip
    def post(self, request: Request, pk: int):
        data = PeriodReopenIn(data=request.data)
        data.is_valid(raise_exception=True)
        period = get_object_or_404(ClosedPeriod, pk=pk)
        period = period_reopen(period=period, actor=request.user, **data.validated_data)
        return Response(PeriodOut(period).data)

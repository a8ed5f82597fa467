"""The secretariat's reference exchange rates in the API: anyone signed in reads them, the
treasurer publishes."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import ErrorOut, page_of
from common.roles import IsTreasurer
from treasury import selectors
from treasury.services.rates import reference_rate_publish


class ReferenceRateInputSerializer(serializers.Serializer):
    currency = serializers.CharField(max_length=3, help_text="ISO 4217 code, e.g. IDR.")
    rate = serializers.DecimalField(
        max_digits=24, decimal_places=12, help_text="Book-currency (MYR) units per one unit."
    )
    effective_date = serializers.DateField(help_text="In force from this day on.")


class ReferenceRateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    currency = serializers.CharField()
    rate = serializers.DecimalField(max_digits=24, decimal_places=12)
    book_currency = serializers.SerializerMethodField()
    effective_date = serializers.DateField()
    recorded_by = serializers.CharField(source="recorded_by.get_username")
    created_at = serializers.DateTimeField()

    def get_book_currency(self, obj) -> str:
        return settings.BOOK_CURRENCY


class ReferenceRateFilterSerializer(serializers.Serializer):
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    on = serializers.DateField(required=False, help_text="Only the rates in force that day.")


class ReferenceRateApi(APIView):
    """The secretariat's reference exchange rates: anyone signed in reads, the treasurer
    publishes (one URL, so one view; each method is one operation)."""

    def get_permissions(self):
        return [IsTreasurer()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        operation_id="exchange_rate_list", tags=["giving"],
        parameters=[ReferenceRateFilterSerializer],
        responses={200: page_of(ReferenceRateOutputSerializer), 400: ErrorOut},
        description="Published reference rates (MYR per one unit of the currency), newest "
        "first; with `on`, the rate in force that day for each currency. Any signed-in user.",
    )  # fmt: skip
    def get(self, request) -> Response:
        filters = ReferenceRateFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rates = selectors.reference_rate_list(**filters.validated_data)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(rates, request, view=self)
        return paginator.get_paginated_response(ReferenceRateOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="exchange_rate_publish", tags=["giving"],
        request=ReferenceRateInputSerializer,
        responses={201: ReferenceRateOutputSerializer, 400: ErrorOut,
                   403: ErrorOut, 409: ErrorOut},
        description="Publish a reference rate (treasurer). Gifts in other currencies are "
        "counted in a campaign's raised total at the rate of its currency in force on the "
        "day they settle. Rates are never changed: a second rate for the same currency and "
        "day is a 409; publish the next day's instead.",
    )  # fmt: skip
    def post(self, request) -> Response:
        serializer = ReferenceRateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rate = reference_rate_publish(actor=request.user, **serializer.validated_data)
        return Response(ReferenceRateOutputSerializer(rate).data, status=status.HTTP_201_CREATED)

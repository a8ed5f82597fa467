"""What the API views share: the error schema, the treasurer's permission, paginated
envelopes, CSV / XLSX downloads (`?format=csv|xlsx`), and money, rate and country fields.

Views stay thin (STYLE.md): they validate with these fields, call one service or selector,
and serialize; a service's refusal becomes `{"message", "code", "fields"}` through
`common.errors.api_exception_handler`.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from typing import Any

import moneyed
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common import exports
from common.countries import COUNTRY_CODES
from common.errors import ApplicationError
from common.money import MAX_AMOUNT, positive_money, quantize
from common.roles import IsTreasurer

# --- Errors ---------------------------------------------------------------------------


class ErrorOut(serializers.Serializer):
    """What every refusal looks like (`common.errors.api_exception_handler`)."""

    message = serializers.CharField(help_text="Safe to show to the user.")
    code = serializers.CharField(help_text="e.g. invalid, period_closed, insufficient_funds.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Per input field, its messages: a list of strings, or for a nested field "
        "(an object or a list of objects) the same shape again.",
    )


ERRORS = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
    409: OpenApiResponse(ErrorOut, description="Conflicts with the current state: a closed "
                         "period, a fund that would go negative, an illegal transition."),
}  # fmt: skip


def answers(ok: int, serializer: Any) -> dict:
    """The success response and the refusals, for `extend_schema(responses=...)`."""
    return {ok: serializer, **ERRORS}


# --- The treasurer's views --------------------------------------------------------------


class _FileRenderer(BaseRenderer):
    """Passes through a file the view already built; anything else (an error body) as JSON."""

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        # An error body (a refused or invalid download): JSON, and labelled so. DRF set the
        # header from this renderer's media type just before calling render.
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = JSONRenderer.media_type
        return JSONRenderer().render(data)


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class XLSXRenderer(_FileRenderer):
    media_type = exports.XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None


class TreasurerApi(APIView):
    """A treasurer's read: JSON, or the report as CSV or XLSX; everyone else gets 401/403."""

    permission_classes = [IsTreasurer]
    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]


class OperationApi(APIView):
    """A treasurer's write: JSON in, JSON out; everyone else gets 401 or 403."""

    permission_classes = [IsTreasurer]
    renderer_classes = [JSONRenderer]


FORMAT_PARAMETER = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"],
    description="csv: the report's main table; xlsx: every table, one sheet each.",
)  # fmt: skip


def file_responses(serializer: Any) -> dict:
    """A report's answers: JSON, CSV or XLSX; refusals are JSON whatever was asked for."""
    return {
        (200, "application/json"): serializer,
        (200, "text/csv"): OpenApiTypes.BINARY,
        (200, exports.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
        **{(code, "application/json"): ERRORS[code] for code in (400, 401, 403, 404)},
    }


def wants_file(request: Request) -> str | None:
    fmt = getattr(request.accepted_renderer, "format", "json")
    return fmt if fmt in ("csv", "xlsx") else None


def file_response(tables: list[exports.Table], fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        body, content_type = exports.to_csv(tables[0]), exports.CSV_CONTENT_TYPE
    else:
        body, content_type = exports.to_xlsx(tables), exports.XLSX_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(name, fmt)}"'
    return response


def report_response(request: Request, report: Any, serializer: Any, name: str) -> Any:
    """The report as JSON, or as the CSV / XLSX file the request asked for."""
    fmt = wants_file(request)
    if fmt:
        return file_response(report.tables(), fmt, name)
    return Response(serializer(report).data)


# --- Query parameters and pages ------------------------------------------------------------


# The dates a report may ask about. The reports count from the day before a period (its
# opening balances), which 0001-01-01 does not have: a 400, not an OverflowError.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)


class QueryDate(serializers.DateField):
    """A date in a report's query, between EARLIEST_DATE and LATEST_DATE."""

    def to_internal_value(self, value: Any) -> date:
        day = super().to_internal_value(value)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise serializers.ValidationError(f"Must be between {EARLIEST_DATE} and {LATEST_DATE}.")
        return day


class AsOfQuery(serializers.Serializer):
    as_of = QueryDate(required=False, help_text="Effective date (default: today).")


class PeriodQuery(serializers.Serializer):
    date_from = QueryDate(required=False, help_text="Default: 1 January this year.")
    date_to = QueryDate(required=False, help_text="Default: today.")

    def validate(self, attrs: dict) -> dict:
        today = timezone.localdate()
        attrs.setdefault("date_to", today)
        attrs.setdefault("date_from", date(attrs["date_to"].year, 1, 1))
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": ["Must not be after date_to."]})
        return attrs


class OptionalPeriodQuery(serializers.Serializer):
    date_from = QueryDate(required=False)
    date_to = QueryDate(required=False)


def query(request: Request, serializer_class: type[serializers.Serializer]) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return dict(params.validated_data)


class Pages(PageNumberPagination):
    """The treasurer's long lists: 100 rows a page, `?page=` and `?page_size=` (up to 1000)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


# The query parameters of a `Pages` list, for its OpenAPI description.
PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("page_size", int, description="Rows a page: 100 unless told, at most 1000."),
]


class PageOut(serializers.Serializer):
    """The envelope of a paginated answer; a subclass adds `results`."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


@functools.cache
def page_of(item: type[serializers.Serializer]) -> type[PageOut]:
    """The envelope of a paginated list of `item` rows, for `extend_schema(responses=...)`."""
    name = item.__name__.removesuffix("Serializer").removesuffix("Out") + "PageOut"
    doc = f"A page of {item.__name__} rows, with the count and the neighbouring pages."
    return type(name, (PageOut,), {"results": item(many=True), "__doc__": doc,
                                   "__module__": item.__module__})  # fmt: skip


# --- Fields -----------------------------------------------------------------------------


def Amount(**kwargs: Any) -> serializers.DecimalField:  # noqa: N802 - a field factory
    """A Decimal shown exactly as the ledger holds it, as a string."""
    return serializers.DecimalField(max_digits=None, decimal_places=None, **kwargs)


def PositiveAmount(**kwargs: Any) -> serializers.DecimalField:  # noqa: N802 - a field factory
    """An amount typed in; `money_in` checks it is above zero for its currency."""
    return serializers.DecimalField(
        max_digits=None, decimal_places=None, min_value=Decimal("0"), max_value=MAX_AMOUNT,
        **kwargs,
    )  # fmt: skip


def Rate(**kwargs: Any) -> serializers.DecimalField:  # noqa: N802 - a field factory
    return serializers.DecimalField(
        max_digits=24, decimal_places=12, min_value=Decimal("0.000000000001"), **kwargs
    )


class CurrencyField(serializers.CharField):
    """An ISO 4217 code the money library knows."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_length=3, max_length=3, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).upper()
        try:
            moneyed.get_currency(code)
        except moneyed.CurrencyDoesNotExist:
            raise serializers.ValidationError(f"{code} is not an ISO 4217 currency.") from None
        return code


class CountryField(serializers.CharField):
    """An ISO 3166-1 alpha-2 country code."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_length=2, max_length=2, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).upper()
        if code not in COUNTRY_CODES:
            raise serializers.ValidationError(f"{code} is not an ISO 3166 country code.")
        return code


def money_in(attrs: dict, amount: str, currency: str) -> moneyed.Money:
    """The Money of two validated fields (`common.money.positive_money`); a refusal is a
    validation error on the amount field."""
    try:
        return positive_money(attrs[amount], attrs[currency], field=amount)
    except ApplicationError as error:
        raise serializers.ValidationError(error.fields) from None


@extend_schema_field({"type": "string", "format": "decimal"})
class MoneyAmount(serializers.Field):
    """A Money's amount with its currency's decimals, as a string: PHP 3000 is "3000.00"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: moneyed.Money) -> str:
        return f"{quantize(value.amount, value.currency.code):f}"


class MoneyOut(serializers.Serializer):
    """Money as `{"amount": "1250.00", "currency": "MYR"}`, with the currency's decimals."""

    amount = serializers.DecimalField(max_digits=18, decimal_places=3)
    currency = serializers.CharField()

    def to_representation(self, value: moneyed.Money) -> dict:
        code = str(value.currency)
        return {"amount": str(quantize(value.amount, code)), "currency": code}

"""What every treasurer endpoint shares: the permission, the query parameters, and the
CSV / XLSX downloads of a report (`?format=csv|xlsx` or an `Accept` header)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fundraising.roles import IsTreasurer
from ledger import exports


class _FileRenderer(BaseRenderer):
    """Passes through a file the view already built; anything else (an error body) as JSON."""

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class XLSXRenderer(_FileRenderer):
    media_type = exports.XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None


FORMAT_PARAMETER = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"],
    description="csv: the report's main table; xlsx: every table, one sheet each.",
)  # fmt: skip


def file_responses(serializer: Any) -> dict:
    return {
        (200, "application/json"): serializer,
        (200, "text/csv"): OpenApiTypes.BINARY,
        (200, exports.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
    }


class TreasurerApi(APIView):
    permission_classes = [IsTreasurer]
    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]


class AsOfQuery(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text="Effective date (default: today).")


class PeriodQuery(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="Default: 1 January this year.")
    date_to = serializers.DateField(required=False, help_text="Default: today.")

    def validate(self, attrs: dict) -> dict:
        today = timezone.localdate()
        attrs.setdefault("date_to", today)
        attrs.setdefault("date_from", date(attrs["date_to"].year, 1, 1))
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": ["Must not be after date_to."]})
        return attrs


class OptionalPeriodQuery(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


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
    """The envelope of a `Pages` answer; a subclass adds `results`."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


def query(request: Request, serializer_class: type[serializers.Serializer]) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return dict(params.validated_data)


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


def Amount(**kwargs: Any) -> serializers.DecimalField:  # noqa: N802 - a field factory
    """A Decimal shown exactly as the ledger holds it, as a string."""
    return serializers.DecimalField(max_digits=None, decimal_places=None, **kwargs)

"""What the treasurer's operation endpoints share: the permission, money and country inputs,
and the journal entry they answer with."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import moneyed
from babel import Locale
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from fundraising.money import MAX_AMOUNT, decimals, has_valid_precision
from fundraising.roles import IsTreasurer
from ledger.apis.common import Amount
from ledger.services.posting import quantize

# Babel's territories are ISO 3166-1 alpha-2 plus a few CLDR-only codes (regions, Kosovo,
# the unknown region, outlying areas) that are not countries a donor lives in.
_NOT_ISO = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB",
            "XK", "ZZ"}  # fmt: skip
ISO_COUNTRIES = (
    frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())
    - _NOT_ISO
)


class OperationApi(APIView):
    """A treasurer's write: JSON in, JSON out; everyone else gets 401 or 403."""

    permission_classes = [IsTreasurer]
    renderer_classes = [JSONRenderer]


class ErrorOut(serializers.Serializer):
    """What every refusal looks like (`fundraising.errors.api_exception_handler`)."""

    message = serializers.CharField(help_text="Safe to show to the treasurer.")
    code = serializers.CharField(help_text="e.g. period_closed, insufficient_funds, precision.")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


ERRORS = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
    409: OpenApiResponse(ErrorOut, description="Conflicts with the ledger's state: a closed "
                         "period, a fund that would go negative, an illegal transition."),
}  # fmt: skip


def answers(ok: int, serializer: Any) -> dict:
    """The success response and the refusals, for `extend_schema(responses=...)`."""
    return {ok: serializer, **ERRORS}


def PositiveAmount(**kwargs: Any) -> serializers.DecimalField:  # noqa: N802 - a field factory
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
        if code not in ISO_COUNTRIES:
            raise serializers.ValidationError(f"{code} is not an ISO 3166 country code.")
        return code


def money_in(attrs: dict, amount: str, currency: str) -> moneyed.Money:
    """The Money of two validated fields: positive, and no more decimals than the currency
    has (JPY 1.5 and MYR 1.005 are refused at the door, on the amount field)."""
    value, code = attrs[amount], attrs[currency]
    if value <= 0:
        raise serializers.ValidationError({amount: ["Must be more than zero."]})
    if not has_valid_precision(value, code):
        raise serializers.ValidationError(
            {amount: [f"{code} amounts have at most {decimals(code)} decimals."]}
        )
    return moneyed.Money(value, code)


@extend_schema_field({"type": "string", "format": "decimal"})
class MoneyAmount(serializers.Field):
    """A Money's amount with its currency's decimals, as a string: PHP 3000 is "3000.00"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: moneyed.Money) -> str:
        return f"{quantize(value.amount, value.currency.code):f}"


class PostingOut(serializers.Serializer):
    account = serializers.CharField(source="account.code")
    currency = serializers.CharField(source="amount.currency.code")
    amount = Amount(source="amount.amount", help_text="Signed, debit positive.")
    amount_myr = Amount(source="amount_book", help_text="Book currency, signed.")
    rate = Amount()


class EntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    idempotency_key = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    effective_date = serializers.DateField()
    memo = serializers.CharField()
    reason = serializers.CharField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    recorded_by = serializers.CharField(source="recorded_by.username", default=None)
    source_refs = serializers.JSONField()
    postings = PostingOut(many=True, source="postings.all")

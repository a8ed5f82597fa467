"""The giving API: start a donation, follow it, list and refund for the treasurer."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from moneyed import Money
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.models import Campaign
from campaigns.selectors import campaign_get_public
from common.api import MoneyOut, page_of
from common.clients import client_ip
from common.errors import ApplicationError
from common.roles import IsTreasurer
from donors import selectors
from donors.models import Donation, Refund
from donors.services import donation_start, refund_request
from donors.services.start import DonationInput


def client_key(request) -> str:
    """Who is asking, for the rate limit: the client's address behind the trusted proxies."""
    return client_ip(request) or "unknown"


class DonationInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=18, decimal_places=3, min_value=0)
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    email = serializers.EmailField()
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    country = serializers.CharField(
        max_length=64, allow_blank=True, help_text="ISO 3166-1 alpha-2 code, e.g. MY."
    )
    anonymous = serializers.BooleanField(required=False, default=False)
    message = serializers.CharField(max_length=500, required=False, allow_blank=True)
    dedication = serializers.CharField(max_length=200, required=False, allow_blank=True)
    cover_fee = serializers.BooleanField(required=False, default=False)
    monthly = serializers.BooleanField(required=False, default=False)
    language = serializers.ChoiceField(choices=["en", "id", "ms"], required=False)

    def to_input(self, campaign: Campaign, language: str) -> DonationInput:
        d = self.validated_data
        return DonationInput(
            amount=d["amount"], currency=(d.get("currency") or str(campaign.goal.currency)),
            email=d["email"], country=d["country"], name=d.get("name", ""),
            language=d.get("language") or language, anonymous=d["anonymous"],
            message=d.get("message", ""), dedication=d.get("dedication", ""),
            cover_fee=d["cover_fee"], monthly=d["monthly"],
        )  # fmt: skip


class DonationOutputSerializer(serializers.Serializer):
    reference = serializers.UUIDField()
    campaign = serializers.CharField(source="campaign.slug", read_only=True)
    status = serializers.CharField()
    frequency = serializers.CharField()
    amount = MoneyOut()
    checkout_url = serializers.URLField()
    created_at = serializers.DateTimeField()
    settled_at = serializers.DateTimeField()


class DonationTreasurerSerializer(DonationOutputSerializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    country = serializers.CharField()
    settled_amount = MoneyOut(allow_null=True)
    stripe_fee = MoneyOut(
        source="processing_fee", allow_null=True, help_text="The payment provider's fee."
    )
    net_amount = MoneyOut(allow_null=True)
    exchange_rate = serializers.DecimalField(max_digits=20, decimal_places=10, allow_null=True)
    refunded_amount = MoneyOut()
    campaign_amount = MoneyOut(
        allow_null=True, help_text="What the gift added to the campaign's raised total."
    )
    counted = MoneyOut(help_text="What it counts there now (after refunds, disputes).")
    reference_rate = serializers.DecimalField(
        source="reference_rate.rate", max_digits=24, decimal_places=12, allow_null=True,
        default=None, help_text="The secretariat's rate that converted it (MYR per unit).",
    )  # fmt: skip
    reference_rate_date = serializers.DateField(
        source="reference_rate.effective_date", allow_null=True, default=None
    )
    payment_intent_id = serializers.CharField()
    charge_id = serializers.CharField()
    balance_transaction_id = serializers.CharField()
    needs_review = serializers.BooleanField()
    review_note = serializers.CharField()


class DonationStartApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="donation_start", request=DonationInputSerializer,
        responses={201: DonationOutputSerializer}, tags=["giving"],
        description="Start a gift: creates a pending donation and the payment provider's "
        "checkout session; "
        "send the donor to `checkout_url`. Rate-limited per client (429). 404 unless the "
        "campaign is live or ended (an ended one refuses gifts, 400).",
    )  # fmt: skip
    def post(self, request, slug: str) -> Response:
        campaign = campaign_get_public(slug=slug)  # 404 unless live or ended
        serializer = DonationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        donation = donation_start(
            campaign=campaign,
            client_key=client_key(request),
            data=serializer.to_input(campaign, request.LANGUAGE_CODE),
        )
        return Response(DonationOutputSerializer(donation).data, status=status.HTTP_201_CREATED)


class DonationDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="donation_detail",
        responses={200: DonationOutputSerializer},
        tags=["giving"],
        description="A donation's status, by its reference.",
    )
    def get(self, request, reference: str) -> Response:
        donation = selectors.donation_by_reference(reference)
        if donation is None:
            raise ApplicationError("No such donation.", code="not_found", status_code=404)
        return Response(DonationOutputSerializer(donation).data)


class DonationListApi(APIView):
    permission_classes = [IsTreasurer]

    @extend_schema(
        operation_id="donation_list", responses={200: page_of(DonationTreasurerSerializer)},
        tags=["giving"], parameters=[
            OpenApiParameter("campaign", str), OpenApiParameter("status", str),
            OpenApiParameter("needs_review", bool),
            OpenApiParameter("page", int, description="Page number, from 1 (20 a page).")],
        description="Every donation, newest first (treasurer).",
    )  # fmt: skip
    def get(self, request) -> Response:
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.donation_list(filters=request.query_params),
                                           request, view=self)  # fmt: skip
        return paginator.get_paginated_response(DonationTreasurerSerializer(page, many=True).data)


class RefundInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=18,
        decimal_places=3,
        required=False,
        allow_null=True,
        help_text="Omit it (or send null) to refund what remains of the gift. Otherwise above "
        "zero and at most what remains, in the gift's currency: zero or a negative amount is "
        "refused (400), never read as a full refund.",
    )
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True)


class RefundOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    amount = MoneyOut()
    stripe_refund_id = serializers.CharField(
        source="provider_refund_id", allow_null=True, help_text="The payment provider's refund id."
    )
    created_at = serializers.DateTimeField()
    booked_at = serializers.DateTimeField()


class DonationRefundApi(APIView):
    permission_classes = [IsTreasurer]

    @extend_schema(
        operation_id="donation_refund", request=RefundInputSerializer,
        responses={202: RefundOutputSerializer}, tags=["giving"],
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                     required=True)],
        description="Refund part of a gift (`amount`) or what remains of it (no `amount`) "
        "through the payment provider. Booked when it confirms it. Repeating the request with "
        "the same Idempotency-Key returns the same refund.",
    )  # fmt: skip
    def post(self, request, reference: str) -> Response:
        donation = get_object_or_404(Donation, reference=reference)
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            raise ApplicationError(
                "Send an Idempotency-Key header.",
                code="idempotency_key",
                fields={"Idempotency-Key": ["This header is required."]},
            )
        serializer = RefundInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value = serializer.validated_data.get("amount")
        amount = Money(value, str(donation.amount.currency)) if value is not None else None
        refund = refund_request(
            donation=donation,
            amount=amount,
            idempotency_key=key[:255],
            actor=request.user,
            reason=serializer.validated_data.get("reason", ""),
        )
        refund = Refund.objects.get(pk=refund.pk)
        return Response(RefundOutputSerializer(refund).data, status=status.HTTP_202_ACCEPTED)


class DonorWallApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="donor_wall", tags=["giving"],
        responses={200: inline_serializer("DonorWallEntry", many=True, fields={
            "name": serializers.CharField(), "message": serializers.CharField(),
            "amount": MoneyOut(allow_null=True), "date": serializers.DateTimeField()})},
        description="Confirmed gifts to a campaign: name or \"Anonymous\", and message. "
        "404 unless the campaign is live or ended.",
    )  # fmt: skip
    def get(self, request, slug: str) -> Response:
        campaign = campaign_get_public(slug=slug)  # 404 unless live or ended
        rows = [{"name": d.public_name, "message": d.message, "date": d.settled_at,
                 "amount": None if d.anonymous else MoneyOut(d.amount).data}
                for d in selectors.donor_wall(campaign=campaign)]  # fmt: skip
        return Response(rows)


class CampaignGivingApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="campaign_giving", tags=["giving"],
        responses={200: inline_serializer("CampaignGiving", fields={
            "raised": MoneyOut(), "goal": MoneyOut(),
            "donor_count": serializers.IntegerField(),
            "pending": MoneyOut(many=True)})},
        description="Confirmed money (raised, in the campaign currency) and, apart from it, "
        "money on its way (checkouts completed, payment not yet confirmed), per currency. "
        "404 unless the campaign is live or ended.",
    )  # fmt: skip
    def get(self, request, slug: str) -> Response:
        campaign = campaign_get_public(slug=slug)  # 404 unless live or ended
        return Response({
            "raised": MoneyOut(campaign.raised).data,
            "goal": MoneyOut(campaign.goal).data,
            "donor_count": campaign.donor_count,
            "pending": [MoneyOut(m).data
                        for m in selectors.campaign_pending(campaign=campaign)],
        })  # fmt: skip

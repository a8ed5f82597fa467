"""HTTP API for campaigns: list, detail, create, update, and one view per review verb."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import services
from campaigns.apis.serializers import CampaignDetailOut, CampaignOut
from campaigns.models import (
    BeneficiaryGroup,
    CampaignStatus,
    Enterprise,
    EnterpriseType,
    FundingModel,
)
from campaigns.regions import CAMPAIGN_CURRENCIES, Country, SubRegion
from campaigns.selectors import SORTS, campaign_filter, campaign_get_for_user, campaigns_visible_to
from common.api import answers
from common.parsers import FormParser, JSONParser, MultiPartParser
from common.uploads import ImageUpload


class CampaignFilterIn(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    country = serializers.ChoiceField(choices=Country.choices, required=False, allow_blank=True)
    sub_region = serializers.ChoiceField(choices=SubRegion.choices, required=False,
                                         allow_blank=True)  # fmt: skip
    sdg = serializers.IntegerField(min_value=1, max_value=17, required=False)
    enterprise_type = serializers.ChoiceField(choices=EnterpriseType.choices, required=False,
                                              allow_blank=True)  # fmt: skip
    state = serializers.ChoiceField(choices=["live", "ended"], required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=CampaignStatus.choices, required=False,
                                     allow_blank=True)  # fmt: skip
    sort = serializers.ChoiceField(choices=SORTS, required=False, allow_blank=True)


class BudgetLineIn(serializers.Serializer):
    description = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=16, decimal_places=3)


class OutcomeIn(serializers.Serializer):
    indicator = serializers.CharField(max_length=200)
    target_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    unit = serializers.CharField(max_length=60)


class CampaignIn(serializers.Serializer):
    title = serializers.CharField(max_length=140)
    slug = serializers.SlugField(max_length=80)
    summary = serializers.CharField(max_length=280)
    story = serializers.CharField()
    cover = ImageUpload(required=False, help_text="JPEG, PNG or WebP; stored re-encoded.")
    goal_amount = serializers.DecimalField(max_digits=16, decimal_places=3)
    goal_currency = serializers.ChoiceField(choices=CAMPAIGN_CURRENCIES)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    funding_model = serializers.ChoiceField(choices=FundingModel.choices, required=False)
    sdg_goals = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=17))
    sdg_indicators = serializers.ListField(child=serializers.CharField(max_length=12),
                                           required=False)  # fmt: skip
    beneficiary_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=BeneficiaryGroup.choices), required=False
    )
    budget_lines = BudgetLineIn(many=True)
    outcomes = OutcomeIn(many=True, required=False)


class CampaignCreateIn(CampaignIn):
    enterprise = serializers.SlugField(help_text="The proposing enterprise's slug.")


class CommentIn(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


def _filter_params() -> list[OpenApiParameter]:
    return [OpenApiParameter(name, str, required=False) for name in CampaignFilterIn().fields]


class CampaignListCreateApi(ListAPIView):
    serializer_class = CampaignOut
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        filters = CampaignFilterIn(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return campaign_filter(campaigns_visible_to(user=self.request.user),
                               filters.validated_data)  # fmt: skip

    @extend_schema(parameters=_filter_params(), summary="List the campaigns you may see")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=CampaignCreateIn, responses={201: CampaignDetailOut},
                   summary="Draft a proposal for your enterprise")  # fmt: skip
    def post(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            self.permission_denied(request)
        data = CampaignCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        enterprise = get_object_or_404(Enterprise, slug=fields.pop("enterprise"))
        campaign = services.campaign_create(actor=request.user, enterprise=enterprise, data=fields)
        return Response(CampaignDetailOut(campaign, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip


class CampaignDetailApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        responses=CampaignDetailOut, summary="A campaign, with its review history",
        description="Everyone reads the history's states and dates; its `comment` only the "
        "enterprise's members and the reviewers, its `actor` only the reviewers.",
    )  # fmt: skip
    def get(self, request: Request, slug: str) -> Response:
        campaign = campaign_get_for_user(user=request.user, slug=slug)
        return Response(CampaignDetailOut(campaign, context={"request": request}).data)

    @extend_schema(request=CampaignIn(partial=True), responses=answers(200, CampaignDetailOut),
                   summary="Edit a draft or a proposal sent back for changes")  # fmt: skip
    def patch(self, request: Request, slug: str) -> Response:
        campaign = campaign_get_for_user(user=request.user, slug=slug)
        data = CampaignIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_update(actor=request.user, campaign=campaign,
                                            data=dict(data.validated_data))  # fmt: skip
        return Response(CampaignDetailOut(campaign, context={"request": request}).data)


class _CampaignActionApi(APIView):
    """POST {comment}: one review verb, performed by its service."""

    permission_classes = [IsAuthenticated]

    def perform(self, request: Request, slug: str, service) -> Response:
        campaign = campaign_get_for_user(user=request.user, slug=slug)
        data = CommentIn(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = service(actor=request.user, campaign=campaign,
                           comment=data.validated_data.get("comment", ""))  # fmt: skip
        return Response(CampaignDetailOut(campaign, context={"request": request}).data)


def _action_api(name: str, service, summary: str) -> type[_CampaignActionApi]:
    @extend_schema(request=CommentIn, responses=answers(200, CampaignDetailOut), summary=summary)
    def post(self, request: Request, slug: str) -> Response:
        return self.perform(request, slug, service)

    return type(name, (_CampaignActionApi,), {"post": post, "__doc__": summary})


CampaignSubmitApi = _action_api(
    "CampaignSubmitApi",
    services.campaign_submit,
    "Submit a proposal for review (enterprise members)",
)
CampaignRequestChangesApi = _action_api(
    "CampaignRequestChangesApi",
    services.campaign_request_changes,
    "Send a proposal back for changes, with a comment (reviewers)",
)
CampaignApproveApi = _action_api(
    "CampaignApproveApi",
    services.campaign_approve,
    "Approve a proposal (reviewers); it goes live at once if its start date has come",
)
CampaignRejectApi = _action_api(
    "CampaignRejectApi", services.campaign_reject, "Reject a proposal, with a comment (reviewers)"
)
CampaignEndApi = _action_api(
    "CampaignEndApi", services.campaign_end, "End a live campaign early, with a comment (reviewers)"
)

"""HTTP API for member enterprises: apply, list, detail, and the secretariat's decisions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import services
from campaigns.apis.campaigns import CommentIn
from campaigns.apis.serializers import EnterpriseDetailOut, EnterpriseOut
from campaigns.models import EnterpriseType, MembershipStatus
from campaigns.regions import Country
from campaigns.selectors import enterprises_visible_to
from common.api import answers
from common.parsers import FormParser, JSONParser, MultiPartParser
from common.uploads import ImageUpload


class EnterpriseApplyIn(serializers.Serializer):
    legal_name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=EnterpriseType.choices)
    country = serializers.ChoiceField(choices=Country.choices)
    city = serializers.CharField(max_length=100)
    website = serializers.URLField(required=False, allow_blank=True)
    description = serializers.CharField()
    contact_email = serializers.EmailField()
    language = serializers.ChoiceField(choices=["en", "id", "ms"], required=False)
    logo = ImageUpload(required=False, help_text="JPEG, PNG or WebP; stored re-encoded.")
    sdg_focus = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=17),
                                      required=False)  # fmt: skip


class EnterpriseFilterIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=MembershipStatus.choices, required=False)
    country = serializers.ChoiceField(choices=Country.choices, required=False)


class EnterpriseListApplyApi(ListAPIView):
    serializer_class = EnterpriseOut
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        filters = EnterpriseFilterIn(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return enterprises_visible_to(user=self.request.user).filter(**filters.validated_data)

    @extend_schema(parameters=[EnterpriseFilterIn], summary="List enterprises you may see")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=EnterpriseApplyIn, responses={201: EnterpriseDetailOut},
                   summary="Apply for your organisation to join the network")  # fmt: skip
    def post(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            self.permission_denied(request)
        data = EnterpriseApplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = services.enterprise_apply(actor=request.user, data=dict(data.validated_data))
        return Response(EnterpriseDetailOut(enterprise, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip


class EnterpriseDetailApi(APIView):
    @extend_schema(
        responses=EnterpriseDetailOut, summary="An enterprise and its membership history",
        description="Everyone reads the history's states and dates; its `comment` only the "
        "enterprise's members and the reviewers, its `actor` only the reviewers.",
    )  # fmt: skip
    def get(self, request: Request, slug: str) -> Response:
        enterprise = get_object_or_404(enterprises_visible_to(user=request.user), slug=slug)
        return Response(EnterpriseDetailOut(enterprise, context={"request": request}).data)


class DecisionReasonIn(serializers.Serializer):
    """A decision the organisation is told the reason for: the service refuses a blank one."""

    comment = serializers.CharField(
        max_length=4000, help_text="Why: the organisation is told (required, not blank)."
    )


class _EnterpriseActionApi(APIView):
    permission_classes = [IsAuthenticated]

    def perform(self, request: Request, slug: str, service) -> Response:
        enterprise = get_object_or_404(enterprises_visible_to(user=request.user), slug=slug)
        # Parsed leniently: the service checks the role first, then whether a reason it
        # needs is there (400), so a stranger hears 403 whatever the body.
        data = CommentIn(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = service(actor=request.user, enterprise=enterprise,
                             comment=data.validated_data.get("comment", ""))  # fmt: skip
        return Response(EnterpriseDetailOut(enterprise, context={"request": request}).data)


def _action_api(name: str, service, summary: str, body=CommentIn) -> type[_EnterpriseActionApi]:
    @extend_schema(request=body, responses=answers(200, EnterpriseDetailOut), summary=summary)
    def post(self, request: Request, slug: str) -> Response:
        return self.perform(request, slug, service)

    return type(name, (_EnterpriseActionApi,), {"post": post, "__doc__": summary})


EnterpriseAcceptApi = _action_api(
    "EnterpriseAcceptApi",
    services.enterprise_accept,
    "Accept an applicant, or reinstate a suspended member (reviewers)",
)
EnterpriseDeclineApi = _action_api(
    "EnterpriseDeclineApi",
    services.enterprise_decline,
    "Decline an application, saying why (reviewers)",
    DecisionReasonIn,
)
EnterpriseSuspendApi = _action_api(
    "EnterpriseSuspendApi",
    services.enterprise_suspend,
    "Suspend a member, saying why (reviewers)",
    DecisionReasonIn,
)

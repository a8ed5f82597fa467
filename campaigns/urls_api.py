from django.urls import path

from campaigns.apis import campaigns as c
from campaigns.apis import enterprises as e

urlpatterns = [
    path("enterprises/", e.EnterpriseListApplyApi.as_view(), name="api-enterprises"),
    path("enterprises/<slug:slug>/", e.EnterpriseDetailApi.as_view(), name="api-enterprise"),
    path("enterprises/<slug:slug>/accept/", e.EnterpriseAcceptApi.as_view(),
         name="api-enterprise-accept"),
    path("enterprises/<slug:slug>/decline/", e.EnterpriseDeclineApi.as_view(),
         name="api-enterprise-decline"),
    path("enterprises/<slug:slug>/suspend/", e.EnterpriseSuspendApi.as_view(),
         name="api-enterprise-suspend"),
    path("campaigns/", c.CampaignListCreateApi.as_view(), name="api-campaigns"),
    path("campaigns/<slug:slug>/", c.CampaignDetailApi.as_view(), name="api-campaign"),
    path("campaigns/<slug:slug>/submit/", c.CampaignSubmitApi.as_view(),
         name="api-campaign-submit"),
    path("campaigns/<slug:slug>/request-changes/", c.CampaignRequestChangesApi.as_view(),
         name="api-campaign-request-changes"),
    path("campaigns/<slug:slug>/approve/", c.CampaignApproveApi.as_view(),
         name="api-campaign-approve"),
    path("campaigns/<slug:slug>/reject/", c.CampaignRejectApi.as_view(),
         name="api-campaign-reject"),
    path("campaigns/<slug:slug>/end/", c.CampaignEndApi.as_view(), name="api-campaign-end"),
]  # fmt: skip

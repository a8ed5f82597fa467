from django.urls import path

from donors import apis

urlpatterns = [
    path("campaigns/<slug:slug>/donations/", apis.DonationStartApi.as_view(),
         name="donation-start"),
    path("campaigns/<slug:slug>/donor-wall/", apis.DonorWallApi.as_view(), name="donor-wall"),
    path("campaigns/<slug:slug>/giving/", apis.CampaignGivingApi.as_view(),
         name="campaign-giving"),
    path("donations/", apis.DonationListApi.as_view(), name="donation-list"),
    path("donations/<uuid:reference>/", apis.DonationDetailApi.as_view(),
         name="donation-detail"),
    path("donations/<uuid:reference>/refunds/", apis.DonationRefundApi.as_view(),
         name="donation-refund"),
]  # fmt: skip

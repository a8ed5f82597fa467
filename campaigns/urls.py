"""Page routes: the public campaign pages and the enterprises' proposal pages."""

from django.urls import path

from campaigns import views, views_membership

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="detail"),
    path("enterprises/apply/", views_membership.enterprise_apply, name="apply"),
    path("proposals/", views.proposal_list, name="mine"),
    path("proposals/new/", views.proposal_create, name="create"),
    path("proposals/<slug:slug>/", views.proposal_detail, name="proposal"),
    path("proposals/<slug:slug>/edit/", views.proposal_edit, name="edit"),
    path("proposals/<slug:slug>/submit/", views.proposal_submit, name="submit"),
]

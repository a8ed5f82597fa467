from django.urls import path

from donors import views

app_name = "donors"
urlpatterns = [
    path("give/<slug:slug>/", views.give, name="give"),
    path("donations/<uuid:reference>/thank-you/", views.thank_you, name="thank-you"),
    path("donations/<uuid:reference>/cancelled/", views.cancelled, name="cancelled"),
    path("monthly/cancel/<str:token>/", views.cancel_monthly, name="cancel-monthly"),
]

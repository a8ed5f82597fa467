"""The project's URLs plus the baseline view at /bench/baseline/."""

from django.urls import path

from bench.webhooks.baseline.views import baseline_insert
from fundraising.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("bench/baseline/", baseline_insert, name="bench-baseline"),
    *project_urlpatterns,
]

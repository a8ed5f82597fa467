"""With DEBUG off (production), an API address answers its errors in the API's shape, and
every other address with the site's own pages."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path

from common.errors import page_not_found, server_error


def crash(request):  # noqa: ANN001, ANN201 - a view that fails, as a bug would
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/crash/", crash),
    path("crash/", crash),
]
handler404 = page_not_found
handler500 = server_error


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unknown_api_address_is_a_json_404_not_an_html_page(client):
    response = client.get("/api/v1/ledger/campaigns/null,null/fee-share/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": "Not found.", "code": "not_found", "fields": {}}


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unknown_page_is_the_sites_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_crash_under_the_api_is_a_json_500_that_tells_nothing_of_the_bug():
    response = Client(raise_request_exception=False).get("/api/v1/crash/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "server_error" and "a bug" not in body["message"]


@pytest.mark.django_db
@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_crash_on_a_page_is_the_sites_500_page():
    response = Client(raise_request_exception=False).get("/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")

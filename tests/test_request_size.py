"""A request body larger than the service takes is refused (413) before anything reads it.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files, so without this a 60 MB
"logo" would be read, spooled to disk and parsed before any field said no."""

from __future__ import annotations

import pytest
from django.test import override_settings

from common.middleware import request_limit

pytestmark = pytest.mark.django_db

SIXTY_MB = 60 * 1024 * 1024


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, *args, **kwargs):
        self.reads += 1
        raise AssertionError("the request body was read")

    readline = read


def post_declaring(client, path: str, length: int) -> tuple:
    body = UnreadableBody()
    response = client.generic(
        "POST", path, b"", content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(length), **{"wsgi.input": body},
    )  # fmt: skip
    return response, body


def test_a_60_mb_upload_to_the_api_is_refused_with_413_before_it_is_read(client, donor):
    client.force_login(donor)
    response, body = post_declaring(client, "/api/v1/enterprises/", SIXTY_MB)
    assert response.status_code == 413 and body.reads == 0
    error = response.json()
    assert "larger than" in error["message"] and error["code"] == "request_too_large"
    assert error["fields"] == {}


def test_a_60_mb_upload_to_a_page_is_refused_with_413_before_it_is_read(client, donor):
    client.force_login(donor)
    response, body = post_declaring(client, "/enterprises/apply/", SIXTY_MB)
    assert response.status_code == 413 and body.reads == 0
    assert response["Content-Type"].startswith("text/plain")
    assert b"larger than" in response.content


def test_a_60_mb_csv_import_is_refused_with_413_before_it_is_read(client, treasurer):
    client.force_login(treasurer)
    response, body = post_declaring(client, "/api/v1/ledger/reconciliation/imports/", SIXTY_MB)
    assert response.status_code == 413 and body.reads == 0


def test_a_chunked_body_without_a_content_length_is_never_read(client, donor):
    """Under WSGI Django reads no further than the declared length: none, nothing."""
    client.force_login(donor)
    body = UnreadableBody()
    response = client.generic(
        "POST", "/api/v1/enterprises/", b"", content_type="application/json",
        CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": body},
    )  # fmt: skip
    assert response.status_code == 400 and body.reads == 0


def test_imports_may_be_larger_than_other_requests_but_not_unbounded(settings):
    ordinary = request_limit("/api/v1/enterprises/")
    imports = request_limit("/api/v1/ledger/reconciliation/imports/")
    workbench = request_limit("/admin/reconciliation/bankstatementline/workbench/")
    assert ordinary == settings.MAX_REQUEST_BYTES < imports == workbench < SIXTY_MB
    # Each limit leaves room for the largest file its form takes, and the form around it.
    assert ordinary > settings.UPLOAD_MAX_BYTES["image"]
    assert imports > settings.UPLOAD_MAX_BYTES["csv"]


def test_the_webhook_receiver_keeps_its_own_tighter_limit(settings):
    assert request_limit("/webhooks/stripe/") >= settings.WEBHOOK_MAX_BODY_BYTES


@override_settings(MAX_REQUEST_BYTES=1024)
def test_a_request_within_the_limit_goes_through(api, donor):
    api.force_authenticate(donor)
    response = api.post("/api/v1/enterprises/", {"legal_name": "x"}, format="json")
    assert response.status_code == 400  # read and validated, not refused for its size

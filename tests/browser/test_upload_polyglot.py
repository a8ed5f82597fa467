"""A PNG with a script appended, uploaded as `poly.html` for a logo, never runs in a browser.

Someone signs up to apply for an enterprise and picks the polyglot as its logo in Debian's
Chromium; the browser then opens the logo's address, as a victim following a link would.
"""

from __future__ import annotations

import io
import os

import pytest
from django.db import connections
from PIL import Image

from campaigns.models import Enterprise
from tests.factories import PASSWORD, UserFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the test's own ORM calls, beside Playwright
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is missing: "
                       "apt-get install chromium (make test does it)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]  # fmt: skip

SCRIPT = b"<script>window.ranScript = true; document.title = 'pwned';</script>"


def polyglot() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), "#0b5d4b").save(buffer, "PNG")
    return buffer.getvalue() + SCRIPT


@pytest.fixture
def applicant(db):
    return UserFactory(username="ayu")


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()
        connections.close_all()  # the ORM's connection opened beside Playwright's loop


@pytest.fixture
def site_serves_media(monkeypatch):
    """The live server answers MEDIA_URL itself, before the site's URLs: let the request
    through to the site's media view (`common.uploads.serve_public_media`), as `make run`."""
    from django.test.testcases import _MediaFilesHandler

    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)


def test_an_uploaded_html_polyglot_logo_is_never_run_as_a_page(
    live_server, site_serves_media, applicant, page
):
    page.goto(f"{live_server.url}/accounts/login/?next=/enterprises/apply/")
    page.fill("input[name=username]", "ayu")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/enterprises/apply/")

    page.fill("input[name=legal_name]", "Bayanihan Water Service Cooperative")
    page.select_option("select[name=type]", "cooperative")
    page.select_option("select[name=country]", "PH")
    page.fill("input[name=city]", "Iloilo City")
    page.fill("input[name=contact_email]", "hi@bayanihan.example")
    page.fill("textarea[name=description]", "A community water cooperative.")
    page.set_input_files("input[name=logo]", files=[
        {"name": "poly.html", "mimeType": "text/html", "buffer": polyglot()}
    ])  # fmt: skip
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_url("**/proposals/")

    logo = Enterprise.objects.get(legal_name="Bayanihan Water Service Cooperative").logo
    assert logo.name.endswith(".png") and "poly" not in logo.name
    response = page.goto(f"{live_server.url}{logo.url}")
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert page.evaluate("document.contentType") == "image/png"
    assert page.evaluate("window.ranScript === undefined")
    assert "pwned" not in page.title()

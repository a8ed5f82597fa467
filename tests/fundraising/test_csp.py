"""The Content-Security-Policy: on every response, the same as production's, and nothing in
our templates that it would block (the browser test, tests/browser/
test_content_security_policy.py, checks the rendered pages in Chromium)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("*/templates/**/*.html"))
INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an on* event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def test_the_templates_are_found():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_what_the_csp_blocks(template):
    text = template.read_text()
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == [], f"{template.relative_to(ROOT)}: {found}"


def test_the_sdg_colours_and_progress_widths_are_in_the_stylesheet():
    css = (ROOT / "fundraising" / "static" / "css" / "site.css").read_text()
    assert re.search(r"\.sdg-1\s*\{[^}]*#E5243B", css, re.I)  # the UN's colour of goal 1
    assert re.search(r"\.sdg-17\s*\{[^}]*#19486A", css, re.I)
    for percent in (0, 1, 37, 99, 100):
        assert re.search(rf"\.pct-{percent}\s*\{{\s*width:\s*{percent}%", css)


@pytest.mark.django_db
def test_every_page_carries_the_policy(client, settings):
    response = client.get("/")
    header = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in header and "frame-ancestors 'none'" in header
    assert "object-src 'none'" in header and "base-uri 'self'" in header
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_gift_form_may_go_on_to_the_sandboxs_checkout_page_and_nowhere_else(client, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:45678"  # a sandbox started for a test
    header = client.get("/").headers["Content-Security-Policy"]
    assert "form-action 'self' http://127.0.0.1:45678;" in header + ";"


@pytest.mark.django_db
def test_the_gift_form_may_go_on_to_stripes_checkout_page(client, settings):
    settings.STRIPE_API_BASE = "https://api.stripe.com"
    settings.STRIPE_CHECKOUT_ORIGIN = "https://checkout.stripe.com"  # as production sets it
    header = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in header.split(";"))
    assert directives["form-action"] == "'self' https://checkout.stripe.com"
    assert "stripe" not in header.replace(directives["form-action"], "")  # nothing else of theirs

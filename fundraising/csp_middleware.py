"""The Content-Security-Policy header: django-csp's middleware, plus the payment provider's
hosted checkout page as the one outside target of a form.

The gift form (campaign page, give page) posts to our own `donors:give`, which redirects the
donor to the provider's checkout page; Chromium holds that redirect to `form-action`, so the
checkout page's origin must be in it. The origin is read from the settings at each response,
so a sandbox started on another port (tests, `runserver_demo --sandbox-port`) is followed.
The policy itself is `CONTENT_SECURITY_POLICY` in fundraising/settings/base.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def checkout_origin() -> str:
    """`STRIPE_CHECKOUT_ORIGIN` (production: https://checkout.stripe.com), or else the origin
    of `STRIPE_API_BASE`: the offline sandbox serves its checkout page beside its API."""
    configured = getattr(settings, "STRIPE_CHECKOUT_ORIGIN", "")
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(settings.STRIPE_API_BASE)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class CSPMiddleware(DjangoCSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        origin = checkout_origin()
        if origin:
            update = dict(parts.update or {})
            update["form-action"] = [*update.get("form-action", []), origin]
            parts.update = update
        return parts
